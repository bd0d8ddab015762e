import NIOCore

/// One Redis command (name and arguments) held so that it encodes straight into the outgoing buffer.
///
/// Build one from a static name and up to three arguments (`RESPCommand("HGET", key, field)`), from a list of words,
/// or with the typed helpers such as ``get(_:)`` and ``set(_:to:expiration:condition:)``; send it with
/// `RESPConnection.send(_:)`, or a batch of them with `RESPConnection.pipeline(_:)`. Short commands are kept inline,
/// without an array of arguments, so a pipeline of them makes no allocation per argument.
public struct RESPCommand: Sendable {
    /// The arguments: a static name with up to three inline arguments, or any list.
    enum Arguments: Sendable {
        case name(StaticString)
        case one(StaticString, String)
        case two(StaticString, String, String)
        case three(StaticString, String, String, String)
        case list([String])
    }

    let arguments: Arguments

    /// A command with no arguments, such as `PING`.
    public init(_ name: StaticString) { arguments = .name(name) }

    /// A command with one argument, such as `GET key`.
    public init(_ name: StaticString, _ first: String) { arguments = .one(name, first) }

    /// A command with two arguments, such as `SET key value`.
    public init(_ name: StaticString, _ first: String, _ second: String) { arguments = .two(name, first, second) }

    /// A command with three arguments, such as `HSET key field value`.
    public init(_ name: StaticString, _ first: String, _ second: String, _ third: String) {
        arguments = .three(name, first, second, third)
    }

    /// A command from its name and arguments in one list, as ``RESPCommandExecutor/send(_:)`` takes them.
    public init(_ nameAndArguments: [String]) { arguments = .list(nameAndArguments) }

    /// How many words the command has, its name included.
    public var count: Int {
        switch arguments {
        case .name: 1
        case .one: 2
        case .two: 3
        case .three: 4
        case .list(let words): words.count
        }
    }

    /// The command's name and arguments as strings.
    public var words: [String] {
        switch arguments {
        case .name(let name): [name.description]
        case .one(let name, let first): [name.description, first]
        case .two(let name, let first, let second): [name.description, first, second]
        case .three(let name, let first, let second, let third): [name.description, first, second, third]
        case .list(let words): words
        }
    }

    /// Appends the command to `buffer` as a RESP array of bulk strings, `*N\r\n$len\r\narg\r\n…`.
    public func encode(into buffer: inout ByteBuffer) {
        // The exact size first, then one write: no capacity check per piece.
        switch arguments {
        case .name(let name):
            let size = RESPWireWriter.headerSize(1) + RESPWireWriter.bulkSize(name)
            RESPWireWriter.write(size, into: &buffer) { writer in
                writer.header(UInt8(ascii: "*"), 1)
                writer.bulk(name)
            }
        case .one(let name, let first):
            let size = RESPWireWriter.headerSize(2) + RESPWireWriter.bulkSize(name) + RESPWireWriter.bulkSize(first.utf8.count)
            RESPWireWriter.write(size, into: &buffer) { writer in
                writer.header(UInt8(ascii: "*"), 2)
                writer.bulk(name)
                writer.bulk(first)
            }
        case .two(let name, let first, let second):
            let size =
                RESPWireWriter.headerSize(3) + RESPWireWriter.bulkSize(name) + RESPWireWriter.bulkSize(first.utf8.count)
                + RESPWireWriter.bulkSize(second.utf8.count)
            RESPWireWriter.write(size, into: &buffer) { writer in
                writer.header(UInt8(ascii: "*"), 3)
                writer.bulk(name)
                writer.bulk(first)
                writer.bulk(second)
            }
        case .three(let name, let first, let second, let third):
            let size =
                RESPWireWriter.headerSize(4) + RESPWireWriter.bulkSize(name) + RESPWireWriter.bulkSize(first.utf8.count)
                + RESPWireWriter.bulkSize(second.utf8.count) + RESPWireWriter.bulkSize(third.utf8.count)
            RESPWireWriter.write(size, into: &buffer) { writer in
                writer.header(UInt8(ascii: "*"), 4)
                writer.bulk(name)
                writer.bulk(first)
                writer.bulk(second)
                writer.bulk(third)
            }
        case .list(let words):
            RESPCommandEncoder.encode(words, into: &buffer)
        }
    }

    /// The command's wire form in a new buffer.
    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer
    }
}

extension RESPCommand: CustomStringConvertible {
    /// The command's words separated by spaces, for logs and test failures.
    public var description: String { words.joined(separator: " ") }
}
