import Blobs
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServerKit

/// Files through the gateway: an upload is the request's raw body (its name in `?name=`), capped before it is read
/// whole; a download is served with the type sniffed at upload and headers that keep a browser from running it.
enum AttachmentTransfer {
    /// Reads an upload's bytes, refusing a body over `maximum` with 413 before or while reading it.
    static func upload(_ request: Request, maximum: Int, isInternal: Bool = false) async throws -> AttachmentUpload {
        let tooLarge = Problem(
            .contentTooLarge, code: "attachment-too-large", title: "File too large", detail: "Files are accepted up to \(maximum) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximum { throw tooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximum)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
        var name = request.uri.queryParameters.get("name").map { String($0) }
        if let given = name, given.count > 255 { name = String(given.prefix(255)) }
        return AttachmentUpload(fileName: name, data: Data(buffer.readableBytesView), isInternal: isInternal)
    }

    /// The response that serves `content`.
    static func download(_ content: AttachmentContent) -> Response {
        var headers = HTTPFields()
        let type = AttachmentType.allCases.first { $0.mimeType == content.attachment.contentType } ?? .text
        for (name, value) in AttachmentHeaders.headers(for: type, fileName: content.attachment.fileName) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        headers[.contentLength] = String(content.data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: content.data)))
    }
}
