import Contracts
import Foundation
import Kernel
import Mustache

/// The sandbox provider's hosted page, rendered from `Templates/sandbox-payment.<language>.mustache` (HTML-escaped),
/// Russian by default and English for those who ask for it.
public struct SandboxPages: Sendable {
    /// A template that cannot be loaded or is missing: a packaging bug.
    public struct TemplateError: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    private let library: MustacheLibrary

    /// Loads the templates shipped as the module's resources.
    public init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw TemplateError(description: "the Billing module's Templates resource is missing")
        }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// The page of a payment in `language`.
    public func render(_ page: SandboxPage, token: String, language: MoneyLocale) throws -> String {
        let view = View(
            language: language.rawValue, paymentID: page.paymentID, token: token, amount: page.amount.formatted(locale: language),
            pending: page.status == .pending, succeeded: [.succeeded, .partiallyRefunded, .refunded].contains(page.status),
            failed: page.status == .failed)
        guard let html = library.render(view, withTemplate: "sandbox-payment.\(language.rawValue)") else {
            throw TemplateError(description: "no template sandbox-payment.\(language.rawValue)")
        }
        return html
    }

    /// What the templates see.
    struct View {
        var language: String
        var paymentID: String
        var token: String
        var amount: String
        var pending: Bool
        var succeeded: Bool
        var failed: Bool
        var outcomes = Outcomes()
    }

    /// The values the page's two buttons post as `outcome`.
    struct Outcomes {
        var pay = ProviderOutcome.succeeded.rawValue
        var decline = ProviderOutcome.failed.rawValue
    }
}
