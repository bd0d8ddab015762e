import ArgumentParser

/// `lastmile`: runs and operates the platform.
@main
struct LastMile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lastmile",
        abstract: "LastMile: the ISP platform — personal account, admin panel, API gateway and services.",
        subcommands: [Serve.self, Migrate.self, Users.self, AuthKeys.self])
}
