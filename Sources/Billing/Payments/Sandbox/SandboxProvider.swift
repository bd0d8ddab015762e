import Contracts
import Crypto
import Foundation
import Kernel

/// The built-in provider for demos and tests: a hosted confirmation page on our own gateway
/// (`/sandbox/pay/{paymentId}`) and notifications signed with HMAC-SHA256 over the raw body.
public struct SandboxProvider: PaymentProvider {
    /// The header that carries the signature (lowercase hex HMAC-SHA256 of the body).
    public static let signatureHeader = "X-Sandbox-Signature"

    /// `sandbox`.
    public let name = "sandbox"
    private let secret: String
    private let baseURL: String

    /// Creates the provider with the secret shared with its notifications and the gateway's public URL.
    public init(secret: String, baseURL: String) {
        self.secret = secret
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// What the gateway's `/sandbox/pay/{paymentId}` page shows and posts back.
    public struct ConfirmationPage: Sendable, Hashable {
        /// The payment.
        public var paymentID: String
        /// Its amount.
        public var amount: Money
        /// Its standing; the page offers the buttons only while it is pending.
        public var status: PaymentStatus
        /// The signed notification for each button, ready to post to the notification route.
        public var notifications: [ProviderOutcome: SignedNotification]
    }

    /// A notification body with its signature header value.
    public struct SignedNotification: Sendable, Hashable {
        /// The JSON body.
        public var body: [UInt8]
        /// The value of ``SandboxProvider/signatureHeader``.
        public var signature: String
    }

    /// The confirmation page's data for a payment.
    public func confirmationPage(for payment: Payment) -> ConfirmationPage {
        var notifications: [ProviderOutcome: SignedNotification] = [:]
        for outcome in ProviderOutcome.allCases {
            notifications[outcome] = signedNotification(paymentID: payment.id, outcome: outcome, amount: payment.amount)
        }
        return ConfirmationPage(paymentID: payment.id, amount: payment.amount, status: payment.status, notifications: notifications)
    }

    /// A notification as the sandbox "bank" sends it: body and signature.
    public func signedNotification(paymentID: String, outcome: ProviderOutcome, amount: Money) -> SignedNotification {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = Array((try? encoder.encode(ProviderNotification(paymentId: paymentID, outcome: outcome, amount: amount.minorUnits))) ?? Data())
        return SignedNotification(body: body, signature: sign(body))
    }

    /// `{baseURL}/sandbox/pay/{paymentId}`.
    public func checkout(_ request: ProviderCheckoutRequest) async throws -> String {
        baseURL + "/sandbox/pay/" + request.paymentID
    }

    /// Checks the HMAC in constant time, then parses the body.
    public func verify(body: [UInt8], signature: String?) throws -> ProviderNotification {
        guard !secret.isEmpty, let signature, Self.constantTimeEquals(Array(signature.lowercased().utf8), Array(sign(body).utf8)) else {
            throw BillingError.invalidSignature
        }
        guard let notification = try? JSONDecoder().decode(ProviderNotification.self, from: Data(body)) else {
            throw BillingError.invalidField(field: "body", reason: "not a sandbox notification")
        }
        return notification
    }

    /// The sandbox returns money at once.
    public func refund(paymentID: String, amount: Money) async throws {}

    private func sign(_ body: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return code.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    private static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
