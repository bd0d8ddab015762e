/// A command that could not do its work; printed as "Error: …" with exit status 1, without the usage text.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
