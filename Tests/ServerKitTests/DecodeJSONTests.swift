import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import ServerKit
import Testing

struct NewUser: Decodable, Sendable {
    struct Address: Decodable, Sendable {
        var city: String
    }

    var email: String
    var role: Role
    var age: Int
    var address: Address?
    var birthday: Date?
    var tags: [String]?
}

@Suite struct DecodeJSONTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    func withServer(maxUploadSize: Int = 1024, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.post("/users", access: .anonymous, class: .api) { request, context -> String in
                var context = context
                context.maxUploadSize = maxUploadSize
                let user = try await request.decodeJSON(NewUser.self, context: context)
                let birthday = user.birthday.map { String(Int($0.timeIntervalSince1970)) } ?? "-"
                return "\(user.email) \(user.role.rawValue) \(user.age) \(user.address?.city ?? "-") \(birthday)"
            }
        }
        try await server.application().test(.router, test)
    }

    func post(_ client: any TestClientProtocol, _ body: String, headers: HTTPFields = json) async throws -> TestResponse {
        try await client.execute(uri: "/users", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func validBodyDecodes() async throws {
        try await withServer { client in
            let response = try await post(
                client, #"{"email":"a@b.c","role":"support_agent","age":30,"address":{"city":"Kazan"},"birthday":"2000-01-02T03:04:05Z"}"#,
                headers: [.contentType: "application/json; charset=utf-8"])
            #expect(response.status == .ok)
            #expect(response.text == "a@b.c support_agent 30 Kazan 946782245")
        }
    }

    @Test func fractionalSecondDatesDecode() async throws {
        try await withServer { client in
            let response = try await post(client, #"{"email":"a","role":"admin","age":1,"birthday":"2000-01-02T03:04:05.250Z"}"#)
            #expect(response.text.hasSuffix("946782245"))
        }
    }

    @Test(arguments: [
        (#"{"email": "a", "role": "admin", "age": 1"#, "malformed-json", nil as String?),
        ("", "malformed-json", nil),
        (#"{"role":"admin","age":1}"#, "missing-field", "email"),
        (#"{"email":"a","role":"admin","age":"ten"}"#, "invalid-type", "age"),
        (#"{"email":"a","role":"superuser","age":1}"#, "invalid-value", "role"),
        (#"{"email":null,"role":"admin","age":1}"#, "null-field", "email"),
        (#"{"email":"a","role":"admin","age":1,"address":{}}"#, "missing-field", "address.city"),
        (#"{"email":"a","role":"admin","age":1,"tags":["x",2]}"#, "invalid-type", "tags[1]"),
        (#"{"email":"a","role":"admin","age":1,"birthday":"yesterday"}"#, "invalid-value", "birthday"),
        (#"["not","an","object"]"#, "malformed-json", nil),
    ])
    func badBodiesAreNamed400s(body: String, code: String, field: String?) async throws {
        try await withServer { client in
            let response = try await post(client, body)
            #expect(response.status == .badRequest)
            let problem = try response.problem()
            #expect(problem.code == code)
            #expect(problem.field == field)
            if let field, code == "missing-field" {
                #expect(problem.detail == "field \(field) is required")
            }
            #expect(!response.text.contains("superuser"))
        }
    }

    @Test func invalidUTF8Is400() async throws {
        try await withServer { client in
            var buffer = ByteBuffer(string: #"{"email":""#)
            buffer.writeBytes([0xC3, 0x28, 0xFF])
            buffer.writeString(#"","role":"admin","age":1}"#)
            let response = try await client.execute(uri: "/users", method: .post, headers: Self.json, body: buffer)
            #expect(response.status == .badRequest)
            #expect(try response.problem().code == "invalid-encoding")
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withServer(maxUploadSize: 64) { client in
            let body = #"{"email":""# + String(repeating: "x", count: 100_000) + #"","role":"admin","age":1}"#
            let response = try await post(client, body)
            #expect(response.status == .contentTooLarge)
            #expect(try response.problem().code == "body-too-large")
        }
    }

    @Test func oversizedStreamWithoutContentLengthIs413() async throws {
        let body = #"{"email":""# + String(repeating: "x", count: 100_000) + #""}"#
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "test", path: "/", headerFields: [.contentType: "application/json"]),
            body: RequestBody(buffer: ByteBuffer(string: body)))
        var context = AppRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        context.maxUploadSize = 64
        await #expect(throws: Problem.bodyTooLarge) {
            _ = try await request.decodeJSON(NewUser.self, context: context)
        }
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"])
    func wrongContentTypeIs415(contentType: String?) async throws {
        try await withServer { client in
            var headers: HTTPFields = [:]
            if let contentType { headers[.contentType] = contentType }
            let response = try await post(client, #"{"email":"a","role":"admin","age":1}"#, headers: headers)
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.problem().code == "unsupported-media-type")
        }
    }

    @Test func fieldPathFormatsIndexesAndKeys() throws {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int?
            init(stringValue: String) { self.stringValue = stringValue }
            init(intValue: Int) {
                self.stringValue = "Index \(intValue)"
                self.intValue = intValue
            }
        }
        #expect(Problem.fieldPath([Key(stringValue: "lines"), Key(intValue: 2), Key(stringValue: "amount")]) == "lines[2].amount")
    }
}
