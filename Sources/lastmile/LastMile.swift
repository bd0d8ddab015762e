import ArgumentParser
import ServerKit

/// `lastmile`: runs and operates the platform.
@main
struct LastMile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lastmile",
        abstract: "LastMile: the ISP platform — personal account, admin panel, API gateway and services.",
        subcommands: [Serve.self, Migrate.self, Users.self, AuthKeys.self, BillingCommand.self, Demo.self])

    /// Runs the chosen command, then writes out the logs still buffered.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            BufferedLogOutput.standardError.flush()
        } catch {
            BufferedLogOutput.standardError.flush()
            exit(withError: error)
        }
    }
}
