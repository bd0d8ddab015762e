import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// Decodes a JSON body, answering every client mistake with a 4xx ``Problem`` that names it.
    ///
    /// - 413 `body-too-large` over `context.maxUploadSize`;
    /// - 415 `unsupported-media-type` unless `Content-Type` is `application/json` (or `application/*+json`), UTF-8;
    /// - 400 `invalid-encoding` for bytes that are not UTF-8, `malformed-json` for broken JSON;
    /// - 400 `missing-field`, `null-field`, `invalid-type`, `invalid-value` naming the field's path (`invalid-type`
    ///   too for a number an integer field cannot hold, such as `1.5` or `1e20`).
    ///
    /// Dates are ISO-8601, with or without fractional seconds.
    public func decodeJSON<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T {
        try Self.decodeJSON(type, from: try await collectJSONBody(context: context))
    }

    /// Collects a JSON body's bytes after the content-type and size checks of ``decodeJSON(_:context:)``.
    public func collectJSONBody(context: AppRequestContext) async throws -> ByteBuffer {
        try Self.checkJSONContentType(headers)
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > context.maxUploadSize {
            throw Problem.bodyTooLarge
        }
        do {
            return try await body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw Problem.bodyTooLarge
        }
    }

    /// Refuses a JSON object with members outside `allowed` (mass assignment), naming the first one found.
    ///
    /// Call it after decoding succeeded, so malformed JSON has been answered already.
    public static func rejectUnknownFields(in buffer: ByteBuffer, allowed: Set<String>) throws {
        let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        guard let members = object as? [String: Any] else { return }
        if let field = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Problem.invalidField(field, "field \(field) cannot be set here")
        }
    }

    /// Decodes JSON already in memory, with the same problems as ``decodeJSON(_:context:)``.
    public static func decodeJSON<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        guard buffer.readableBytes > 0 else {
            throw Problem(.badRequest, code: "malformed-json", title: "Malformed JSON", detail: "the body is empty")
        }
        let data = Data(buffer.readableBytesView)
        let isUTF8 = data.withUnsafeBytes { bytes in String(validating: bytes, as: UTF8.self) != nil }
        guard isUTF8 else {
            throw Problem(.badRequest, code: "invalid-encoding", title: "Invalid encoding", detail: "the body must be UTF-8")
        }
        let decoder = JSONDecoder.lastMile
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw Problem(UnrepresentableNumber.diagnose(error, decoding: type, from: data, with: decoder))
        }
    }

    static func checkJSONContentType(_ headers: HTTPFields) throws {
        let unsupported = Problem(
            .unsupportedMediaType, code: "unsupported-media-type", title: "Unsupported media type",
            detail: "send the body as application/json; charset=utf-8")
        guard let value = headers[.contentType] else { throw unsupported }
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let mediaType = parts.first else { throw unsupported }
        let isJSON = mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
        guard isJSON else { throw unsupported }
        for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
            let charset = parameter.dropFirst("charset=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard charset == "utf-8" || charset == "utf8" else { throw unsupported }
        }
    }
}

extension JSONDecoder {
    /// The decoder for request bodies: ISO-8601 dates, with or without fractional seconds.
    static var lastMile: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO-8601 date")
        }
        return decoder
    }
}
