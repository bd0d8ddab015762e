import Contracts
import HTTPTypes

extension Problem {
    /// The HTTP answer to a customer-service refusal.
    public init(_ error: CustomerError) {
        switch error {
        case .notFound:
            self = .notFound
        case .alreadyRegistered:
            self.init(.conflict, code: "already-registered", title: "Already registered", detail: "This user account has a customer already")
        case .invalidField(let field, let reason):
            self = .invalidField(field, reason)
        }
    }
}
