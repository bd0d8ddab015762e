import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import ServerKit

/// `/sandbox/pay/{id}`: the sandbox payment provider's hosted page — the stand-in for a bank's card form.
///
/// The page shows the amount and two buttons; a button posts back here, and the route delivers the provider's
/// signed notification to billing exactly as a real provider's webhook would arrive. Mount it only when sandbox
/// payments are on (`LASTMILE_SANDBOX_PAYMENTS`): in production it would let anyone confirm a payment.
public struct SandboxPageRoutes: Sendable {
    private let desk: any SandboxPaymentDesk

    /// Routes over `desk` (the billing service).
    public init(desk: any SandboxPaymentDesk) {
        self.desk = desk
    }

    /// The form the page's buttons post.
    struct Form: Decodable {
        var outcome: String?
    }

    /// Adds `GET` and `POST /sandbox/pay/{id}?token=…`.
    public func register(on router: SecureRouter) {
        let desk = desk
        router.get("/sandbox/pay/{id}", access: .anonymous, class: .api) { request, context in
            let page = try await desk.sandboxPage(paymentID: try context.parameters.require("id"), token: request.uri.queryParameters.get("token"))
            return try Self.html(page, token: request.uri.queryParameters.get("token"), for: request)
        }
        router.post("/sandbox/pay/{id}", access: .anonymous, class: .api) { request, context in
            let id = try context.parameters.require("id")
            let token = request.uri.queryParameters.get("token")
            let body = try await request.body.collect(upTo: 4096)
            let form = try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
            guard let outcome = form.outcome.flatMap(ProviderOutcome.init(rawValue:)) else {
                throw Problem.invalidField("outcome", "field outcome must be one of \(ProviderOutcome.allCases.map(\.rawValue))")
            }
            let page = try await desk.decideSandboxPayment(paymentID: id, token: token, succeeded: outcome == .succeeded)
            return try Self.html(page, token: token, for: request)
        }
    }

    /// The templates, loaded once per process; a failure answers 500 and is logged as the bug it is.
    private static let pages = Result { try SandboxPages() }.mapError { SandboxPages.TemplateError(description: "\($0)") }

    private static func html(_ page: SandboxPage, token: String?, for request: Request) throws -> Response {
        let language = AcceptLanguage.preferred(in: request.headers[.acceptLanguage], among: MoneyLocale.allCases) ?? .ru
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentLanguage: language.rawValue, .vary: "Accept-Language",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: try pages.get().render(page, token: token ?? "", language: language))))
    }
}

/// The two buttons of the sandbox page.
enum ProviderOutcome: String, CaseIterable {
    /// Pay.
    case succeeded
    /// Decline.
    case failed
}
