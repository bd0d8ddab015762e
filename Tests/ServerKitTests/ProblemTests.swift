import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerKit
import Testing

struct SecretError: Error, CustomStringConvertible {
    var description: String { "connection to postgres://admin:hunter2@db failed" }
}

@Suite struct ProblemTests {
    @Test func invalidCredentialsTitle() {
        #expect(AuthError.invalidCredentials.problem?.title == "Invalid e-mail or password")
    }

    @Test func problemShapeAndHeaders() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/items/{id}", access: .anonymous, class: .api) { _, _ -> String in
                throw Problem.invalidField("address.city", "must not be empty")
            }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/items/7?token=secret", method: .get, headers: [.xRequestID: "req-1"])
            #expect(response.status == .badRequest)
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.xRequestID] == "req-1")
            let problem = try response.problem()
            #expect(
                problem
                    == ProblemBody(
                        type: "https://lastmile.dev/problems/invalid-field", title: "A field is invalid", status: 400,
                        detail: "must not be empty", instance: "/items/7", code: "invalid-field", field: "address.city", requestId: "req-1"))
        }
    }

    @Test func unmatchedRouteIsNotFoundProblem() async throws {
        let server = TestServer(rateLimits: unlimited) { _ in }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/nowhere", method: .get)
            #expect(response.status == .notFound)
            #expect(try response.problem().code == "not-found")
            #expect(response.headers[.xRequestID] != nil)
        }
    }

    @Test func httpErrorsKeepTheirStatus() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/405", access: .anonymous, class: .api) { _, _ -> String in
                throw HTTPError(.methodNotAllowed, headers: [.allow: "POST"])
            }
            router.get("/413", access: .anonymous, class: .api) { _, _ -> String in throw HTTPError(.contentTooLarge) }
            router.get("/400", access: .anonymous, class: .api) { _, _ -> String in throw HTTPError(.badRequest, message: "bad query") }
        }
        try await server.application().test(.router) { client in
            let notAllowed = try await client.execute(uri: "/405", method: .get)
            #expect(notAllowed.status == .methodNotAllowed)
            #expect(notAllowed.headers[.allow] == "POST")
            #expect(try notAllowed.problem().code == "method-not-allowed")
            let tooLarge = try await client.execute(uri: "/413", method: .get)
            #expect(try tooLarge.problem().code == "body-too-large")
            let bad = try await client.execute(uri: "/400", method: .get)
            #expect(try bad.problem().detail == "bad query")
        }
    }

    @Test func unknownErrorsAre500WithoutInternals() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/boom", access: .anonymous, class: .api) { _, _ -> String in throw SecretError() }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/boom", method: .get)
            #expect(response.status == .internalServerError)
            let problem = try response.problem()
            #expect(problem.code == "internal")
            #expect(problem.requestId == response.headers[.xRequestID])
            #expect(!response.text.contains("hunter2"))
            #expect(!response.text.contains("SecretError"))
        }
    }

    @Test func decodingErrorsThrownByHandlersNameTheField() async throws {
        struct Body: Decodable { var amount: Int }
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/decode", access: .anonymous, class: .api) { _, _ -> String in
                _ = try JSONDecoder().decode(Body.self, from: Data(#"{"amount":"ten"}"#.utf8))
                return "unreachable"
            }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/decode", method: .get)
            #expect(response.status == .badRequest)
            let problem = try response.problem()
            #expect(problem.code == "invalid-type")
            #expect(problem.field == "amount")
        }
    }
}
