import Acquiring
import Contracts
import Crypto
import Foundation
import Kernel
import Storage

/// The built-in provider for demos and tests: a hosted confirmation page on our own gateway
/// (`/sandbox/pay/{paymentId}?token=…`, the token known only to the paying customer) and notifications signed with
/// HMAC-SHA256 over the raw body. Its "bank side" is the `sandbox_payments` table, so it answers lookups like a real
/// provider from any process. Never on in production: anyone with the link pays with fake money.
public struct SandboxProvider: PaymentProvider {
    /// The header that carries a notification's signature (lowercase hex HMAC-SHA256 of the body).
    public static let signatureHeader = "x-sandbox-signature"

    /// `sandbox`.
    public let name = "sandbox"
    private let secret: String
    private let baseURL: String
    private let database: any Database
    private let currency: Currency
    private let clock: any WallClock

    /// Creates the provider with the secret that signs its links and notifications, the gateway's public URL and the
    /// database its state lives in (billing's, migrated).
    public init(secret: String, baseURL: String, database: any Database, currency: Currency, clock: any WallClock) {
        self.secret = secret
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.database = database
        self.currency = currency
        self.clock = clock
    }

    /// A card, on the sandbox page.
    public var offer: ProviderOffer {
        ProviderOffer(name: name, title: ProviderTitle(ru: "Тестовая оплата", en: "Sandbox payment"), methods: [.card], savesMethods: true)
    }

    /// What the sandbox "bank" tells of a payment in a notification.
    struct Message: Codable {
        var paymentId: String
    }

    /// The sandbox page's token for a payment: only the paying customer gets the link that carries it.
    public func pageToken(paymentID: String) -> String { Hex.lowercase(sign(Array("page:\(paymentID)".utf8))) }

    /// Whether `token` is the page token of `paymentID`.
    func verifyPageToken(_ token: String?, paymentID: String) -> Bool {
        guard let token, !secret.isEmpty else { return false }
        return ConstantTime.equals(token.lowercased(), pageToken(paymentID: paymentID))
    }

    /// The notification the sandbox "bank" posts when a payment's state changed: body and signature.
    public func notification(paymentID: String) -> (body: [UInt8], signature: String) {
        let body = Array((try? JSONEncoder().encode(Message(paymentId: paymentID))) ?? Data())
        return (body, Hex.lowercase(sign(body)))
    }

    /// The customer pressed a button on the page: the payment ends as `succeeded` or `canceled`; `false` when it had
    /// ended already.
    public func decide(paymentID: String, succeeded: Bool) async throws -> Bool {
        let token = "sbcard_" + paymentID
        let decided = try await database.query(
            """
            UPDATE sandbox_payments SET status = $1, saved_token = CASE WHEN save_method AND $1 = 'succeeded' THEN $2 END
            WHERE payment_id = $3 AND status = 'pending' RETURNING saved_token
            """,
            succeeded ? "succeeded" : "canceled", token, paymentID)
        guard let row = decided.first else { return false }
        if try row.optionalString("saved_token") != nil {
            try await database.query("INSERT INTO sandbox_cards (token, declined) VALUES ($1, FALSE) ON CONFLICT DO NOTHING", token)
        }
        return true
    }

    /// Makes the sandbox "bank" decline every later charge of a saved card (or take them again).
    public func declineCard(token: String, declined: Bool = true) async throws {
        try await database.query("UPDATE sandbox_cards SET declined = $1 WHERE token = $2", declined, token)
    }

    /// Records the payment at the sandbox "bank" (once per idempotency key) and answers its page link.
    public func createPayment(_ request: ProviderPaymentRequest) async throws(ProviderError) -> ProviderPayment {
        if case .method(.sbp) = request.source { throw .refused(code: "unsupported", message: "the sandbox takes cards only") }
        if let receipt = request.receipt, let problem = receipt.problem(forAmount: request.amount) {
            throw .refused(code: "invalid_receipt", message: problem)
        }
        do {
            var status = "pending"
            if case .saved(let token) = request.source {
                guard let card = try await database.query("SELECT declined FROM sandbox_cards WHERE token = $1", token).first else {
                    throw ProviderError.refused(code: "unknown_card", message: "no such saved card")
                }
                status = try card.bool("declined") ? "canceled" : "succeeded"
            }
            try await database.query(
                """
                INSERT INTO sandbox_payments (id, payment_id, idempotency_key, amount, status, save_method, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                """,
                "sb_" + Identifier<Payment>.generate().rawValue, request.paymentID, request.idempotencyKey, request.amount.minorUnits, status,
                request.saveMethod, clock.now())
            guard let payment = try await lookup("idempotency_key", request.idempotencyKey) else {
                throw ProviderError.outcomeUnknown("the sandbox lost a payment it just wrote")
            }
            return payment
        } catch let error as ProviderError {
            throw error
        } catch {
            throw .outcomeUnknown("sandbox: \(error)")
        }
    }

    /// The payment by our id.
    public func findPayment(_ reference: ProviderPaymentReference) async throws(ProviderError) -> ProviderPayment? {
        do { return try await lookup("payment_id", reference.paymentID) } catch { throw .outcomeUnknown("sandbox: \(error)") }
    }

    /// Cancels a pending payment.
    public func cancelPayment(_ reference: ProviderPaymentReference, idempotencyKey: String) async throws(ProviderError) -> ProviderPayment {
        do {
            _ = try await decide(paymentID: reference.paymentID, succeeded: false)
            guard let payment = try await lookup("payment_id", reference.paymentID) else {
                throw ProviderError.refused(code: "not_found", message: "no such payment")
            }
            return payment
        } catch let error as ProviderError {
            throw error
        } catch {
            throw .outcomeUnknown("sandbox: \(error)")
        }
    }

    /// The sandbox returns money at once: every refund it is asked for succeeded.
    public func createRefund(_ request: ProviderRefundRequest) async throws(ProviderError) -> ProviderRefund {
        ProviderRefund(providerRefundID: "sbr_" + request.idempotencyKey, status: .succeeded, amount: request.amount)
    }

    /// Every refund succeeded.
    public func findRefund(_ reference: ProviderRefundReference) async throws(ProviderError) -> ProviderRefund? {
        ProviderRefund(providerRefundID: "sbr_" + reference.idempotencyKey, status: .succeeded, amount: reference.amount)
    }

    /// Checks the HMAC in constant time, then reads which payment the notification is about.
    public func notification(_ notification: ProviderNotification) throws(ProviderError) -> ProviderNotice {
        guard !secret.isEmpty, let signature = notification.headers[Self.signatureHeader],
            ConstantTime.equals(signature.lowercased(), Hex.lowercase(sign(notification.body)))
        else { throw .invalidMessage("the signature does not verify") }
        guard let message = try? JSONDecoder().decode(Message.self, from: Data(notification.body)) else {
            throw .invalidMessage("not a sandbox notification")
        }
        return ProviderNotice(providerPaymentID: nil, paymentID: message.paymentId)
    }

    /// The sandbox "bank"'s payments created in `interval`.
    public func operations(in interval: DateInterval) async throws(ProviderError) -> [ProviderOperation] {
        do {
            return try await database.query(
                "SELECT id, payment_id, amount, status, created_at FROM sandbox_payments WHERE created_at >= $1 AND created_at < $2",
                interval.start, interval.end
            ).map { row in
                let status = try row.string("status")
                return ProviderOperation(
                    kind: .payment, providerID: try row.string("id"), providerPaymentID: try row.string("id"),
                    paymentID: try row.string("payment_id"),
                    amount: Money(minorUnits: try row.int64("amount"), currency: currency),
                    succeeded: status == "pending" ? nil : status == "succeeded", createdAt: try row.date("created_at"))
            }
        } catch {
            throw .outcomeUnknown("sandbox: \(error)")
        }
    }

    private func lookup(_ column: String, _ value: String) async throws -> ProviderPayment? {
        guard
            let row = try await database.query(
                "SELECT id, payment_id, amount, status, saved_token FROM sandbox_payments WHERE \(column) = $1", value
            ).first
        else { return nil }
        let paymentID = try row.string("payment_id")
        let status = ProviderPaymentStatus(rawValue: try row.string("status")) ?? .pending
        return ProviderPayment(
            providerPaymentID: try row.string("id"), paymentID: paymentID, status: status,
            amount: Money(minorUnits: try row.int64("amount"), currency: currency),
            confirmation: status == .pending ? .redirect(url: "\(baseURL)/sandbox/pay/\(paymentID)?token=\(pageToken(paymentID: paymentID))") : nil,
            savedMethod: try row.optionalString("saved_token").map { SavedMethodDetails(token: $0, title: "Тестовая карта •••• 4242", expires: nil) },
            failureReason: status == .canceled ? "declined" : nil)
    }

    private func sign(_ bytes: [UInt8]) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Array(secret.utf8)))
    }
}
