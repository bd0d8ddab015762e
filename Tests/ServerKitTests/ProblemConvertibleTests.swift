import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import ServerKit
import Testing

/// An error of a service ServerKit has never heard of.
enum ParcelError: ProblemConvertible {
    case lost
    case bug

    var problem: Problem? {
        switch self {
        case .lost:
            Problem(.gone, code: "parcel-lost", title: "Parcel lost", detail: "The parcel is gone", field: "parcelId", headers: [.retryAfter: "60"])
        case .bug: nil
        }
    }
}

@Suite struct ProblemConvertibleTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var error: any ProblemConvertible & Sendable
        var status: Int
        var code: String
        var field: String?
        var header: (HTTPField.Name, String)?

        var testDescription: String { "\(error)" }
    }

    static let expectations: [Expected] = [
        Expected(
            error: AuthError.invalidCredentials, status: 401, code: "invalid-credentials", header: (.wwwAuthenticate, "Bearer realm=\"lastmile\"")),
        Expected(error: AuthError.locked(retryAfter: 30), status: 429, code: "locked", header: (.retryAfter, "30")),
        Expected(
            error: AuthError.invalidToken(reason: "signature mismatch kid=k1"), status: 401, code: "invalid-token",
            header: (.wwwAuthenticate, "Bearer realm=\"lastmile\", error=\"invalid_token\"")),
        Expected(
            error: AuthError.sessionRevoked, status: 401, code: "session-revoked",
            header: (.wwwAuthenticate, "Bearer realm=\"lastmile\", error=\"invalid_token\"")),
        Expected(error: AuthError.invalidRefreshToken, status: 401, code: "invalid-refresh-token"),
        Expected(error: AuthError.refreshTokenReused, status: 401, code: "refresh-token-reused"),
        Expected(error: AuthError.refreshRaced, status: 409, code: "refresh-raced"),
        Expected(error: AuthError.emailTaken, status: 409, code: "email-taken", field: "email"),
        Expected(
            error: AuthError.invalidField(field: "password", reason: "at least 12 characters"), status: 400, code: "invalid-field", field: "password"),
        Expected(error: AuthError.wrongCurrentPassword, status: 400, code: "wrong-current-password", field: "currentPassword"),
        Expected(error: AuthError.invalidResetToken, status: 400, code: "invalid-reset-token", field: "token"),
        Expected(error: AuthError.notFound, status: 404, code: "not-found"),
        Expected(error: AuthError.unavailable, status: 503, code: "unavailable", header: (.retryAfter, "5")),
        Expected(error: BillingError.notFound, status: 404, code: "not-found"),
        Expected(error: BillingError.invalidField(field: "amount", reason: "must be positive"), status: 400, code: "invalid-field", field: "amount"),
        Expected(error: BillingError.insufficientFunds(available: .rub(12_34)), status: 402, code: "insufficient-funds"),
        Expected(error: BillingError.invoiceNotPayable(status: "paid"), status: 409, code: "invoice-not-payable"),
        Expected(error: BillingError.conflict(reason: "overdue"), status: 409, code: "conflict"),
        Expected(
            error: BillingError.idempotencyKeyInProgress, status: 409, code: "idempotency-key-in-progress", field: "Idempotency-Key",
            header: (.retryAfter, "1")),
        Expected(error: BillingError.idempotencyKeyReused, status: 422, code: "idempotency-key-reused", field: "Idempotency-Key"),
        Expected(error: BillingError.promisedPaymentRefused(reason: "open"), status: 409, code: "promised-payment-refused"),
        Expected(error: BillingError.runInProgress(runID: "r1"), status: 409, code: "run-in-progress"),
        Expected(error: BillingError.providerUnavailable(provider: "bank"), status: 503, code: "provider-unavailable"),
        Expected(error: BillingError.invalidSignature, status: 400, code: "invalid-signature"),
        Expected(error: CustomerError.notFound, status: 404, code: "not-found"),
        Expected(error: CustomerError.alreadyRegistered, status: 409, code: "already-registered"),
        Expected(error: CustomerError.invalidField(field: "phone", reason: "not a phone"), status: 400, code: "invalid-field", field: "phone"),
        Expected(error: ParcelError.lost, status: 410, code: "parcel-lost", field: "parcelId", header: (.retryAfter, "60")),
    ]

    @Test(arguments: expectations)
    func everyServiceErrorIsAnsweredWithItsOwnProblem(_ expected: Expected) async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.post("/fail", access: .anonymous, class: .api) { _, _ -> String in throw expected.error }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/fail", method: .post)
            #expect(Int(response.status.code) == expected.status)
            let problem = try response.problem()
            #expect(problem.code == expected.code && problem.status == expected.status && problem.field == expected.field)
            #expect(problem.type == "https://lastmile.dev/problems/\(expected.code)" && !problem.title.isEmpty)
            if let (name, value) = expected.header { #expect(response.headers[name] == value) }
            if expected.status == 401 { #expect(response.headers[.wwwAuthenticate] != nil) }
            #expect(!response.text.contains("signature mismatch"))
        }
    }

    @Test func anErrorWithoutAProblemIsAnUnmappedBug() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/bug", access: .anonymous, class: .api) { _, _ -> String in throw ParcelError.bug }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/bug", method: .get)
            #expect(response.status == .internalServerError)
            #expect(try response.problem().code == "internal")
        }
    }

    @Test func aProblemResponseReadsBackAsTheSameProblem() async throws {
        let sent = try #require(BillingError.idempotencyKeyInProgress.problem)
        let server = TestServer(rateLimits: unlimited) { router in
            router.post("/busy", access: .anonymous, class: .api) { _, _ -> String in throw BillingError.idempotencyKeyInProgress }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/busy", method: .post)
            let document = try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
            #expect(document.type == sent.typeURI && document.instance == "/busy")
            let read = Problem(document, headers: [.retryAfter: try #require(response.headers[.retryAfter])])
            #expect(read == sent)
        }
    }

    @Test func aDocumentWithAnImpossibleStatusReadsAsABadGateway() throws {
        let json = #"{"type":"https://lastmile.dev/problems/x","title":"X","status":7000,"code":"x"}"#
        let document = try JSONDecoder().decode(ProblemDocument.self, from: Data(json.utf8))
        #expect(Problem(document).status == .badGateway)
    }
}
