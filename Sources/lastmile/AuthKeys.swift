import ArgumentParser
import Auth
import Logging
import Platform
import Storage

/// `lastmile auth-keys rotate`: a new signing key; the old one verifies until its tokens expire.
struct AuthKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth-keys", abstract: "Manage the keys that sign access tokens.", subcommands: [Rotate.self])

    /// Publishes a fresh key, which signs after the publication delay.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a fresh key that signs new tokens a minute later; old tokens stay valid until they expire.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let kid = try await common.withPlatform(label: "lastmile.keys") { platform in
                try await platform.localServices().auth.start()
                return try await platform.localServices().auth.rotateSigningKey()
            }
            print("New signing key \(kid): published now, signing new tokens in a minute on every running server.")
        }
    }
}
