import ArgumentParser
import Auth
import Contracts
import Foundation
import Logging
import Platform
import Storage

extension Role: ExpressibleByArgument {}

/// `lastmile users …`: account administration from the shell.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage user accounts.", subcommands: [Create.self])

    /// `lastmile users create --email … --role …`; the password comes from a prompt or stdin, never an argument.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; the password is read from a prompt or stdin.")

        @OptionGroup var common: CommonOptions

        @Option(help: "The user's e-mail.")
        var email: String

        @Option(help: "customer, support_agent, billing_manager or admin.")
        var role: Role

        @Option(help: "Language of pages and messages: ru or en.")
        var locale = "ru"

        @Flag(help: "Read the password from the first line of stdin instead of prompting.")
        var passwordStdin = false

        func run() async throws {
            let password = try readPassword()
            let (email, role, locale) = (email, role, locale)
            let profile = try await common.withPlatform(label: "lastmile.users") { platform in
                do {
                    return try await platform.localServices().auth.createUser(email: email, password: password, role: role, locale: locale)
                } catch let error as AuthError {
                    throw CommandFailure(Self.message(error))
                }
            }
            print("Created \(profile.role.rawValue) \(profile.email) (id \(profile.id)).")
        }

        private func readPassword() throws -> String {
            if !passwordStdin, isatty(STDIN_FILENO) == 1 {
                guard let first = getpass("Password: ").map({ String(cString: $0) }),
                    let second = getpass("Repeat password: ").map({ String(cString: $0) })
                else { throw ValidationError("No password given.") }
                guard first == second else { throw ValidationError("The passwords differ.") }
                return first
            }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("Give the password on the first line of stdin.")
            }
            return line
        }

        static func message(_ error: AuthError) -> String {
            switch error {
            case .emailTaken: "A user with this e-mail exists already."
            case .invalidField(let field, let reason): "\(field) \(reason)."
            default: "\(error)"
            }
        }
    }
}
