import NIOCore
import Testing

@testable import RESP

@Suite struct RESPCommandEncodingTests {
    @Test func everyShapeEncodesAsAnArrayOfBulkStrings() {
        #expect(String(buffer: RESPCommand("PING").encoded) == "*1\r\n$4\r\nPING\r\n")
        #expect(String(buffer: RESPCommand.get("key:1").encoded) == "*2\r\n$3\r\nGET\r\n$5\r\nkey:1\r\n")
        #expect(String(buffer: RESPCommand.set("k", to: "xxx").encoded) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nxxx\r\n")
        #expect(String(buffer: RESPCommand("HSET", "h", "f", "v").encoded) == "*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n$1\r\nv\r\n")
        #expect(
            String(buffer: RESPCommand(["DEL", "a", "b", "c", "d"]).encoded) == "*5\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n")
    }

    @Test func typedHelpersMatchTheWordsOfTheStringCommands() {
        #expect(RESPCommand.get("k").words == ["GET", "k"])
        #expect(RESPCommand.set("k", to: "v").words == ["SET", "k", "v"])
        #expect(RESPCommand.set("k", to: "v", expiration: .seconds(10), condition: .ifNotExists).words == ["SET", "k", "v", "EX", "10", "NX"])
        #expect(RESPCommand.set("k", to: "v", expiration: .milliseconds(1500)).words == ["SET", "k", "v", "PX", "1500"])
        #expect(RESPCommand.set("k", to: "v", condition: .ifExists).words == ["SET", "k", "v", "XX"])
        #expect(RESPCommand.del("k").words == ["DEL", "k"])
        #expect(RESPCommand.incr("n").words == ["INCR", "n"])
        #expect(RESPCommand.incrBy("n", -7).words == ["INCRBY", "n", "-7"])
        #expect(RESPCommand.set("k", to: "v").count == 3)
        #expect(RESPCommand.set("k", to: "v").description == "SET k v")
    }

    @Test(arguments: [
        RESPCommand("X"), RESPCommand("GET", "clé"), RESPCommand("SET", "", ""), RESPCommand("SET", "a", String(repeating: "é", count: 600)),
        RESPCommand("HSET", "key with spaces", "line\r\nbreak", "0123456789abcdef0123456789"), RESPCommand(["ECHO", "x"]),
    ])
    func typedEncodingIsByteForByteThatOfTheStringEncoder(_ command: RESPCommand) {
        #expect(command.encoded == RESPCommandEncoder.encode(command.words))
    }

    @Test(arguments: [0, 9, 10, 99, 100, 999, 1_000, 12_345, 100_000])
    func lengthsOfEveryNumberOfDigits(length: Int) throws {
        let value = String(repeating: "v", count: length)
        var buffer = RESPCommand.set("k", to: value).encoded
        #expect(String(buffer: buffer).hasPrefix("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$\(length)\r\n"))
        #expect(try RESPDecoder().decode(&buffer) == .array([.bulkString("SET"), .bulkString("k"), .bulkString(value)]))
        #expect(buffer.readableBytes == 0)
    }

    @Test func encodingAppendsAfterWhatTheBufferHolds() {
        var buffer = ByteBuffer(string: "prefix")
        RESPCommand.get("a").encode(into: &buffer)
        RESPCommand.get("b").encode(into: &buffer)
        #expect(String(buffer: buffer) == "prefix*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n")
    }

    @Test func bridgedAndSubstringBackedArgumentsEncodeToo() {
        let long = String(repeating: "ab", count: 40)
        let sliced = String(long.dropFirst(3))
        #expect(String(buffer: RESPCommand("GET", sliced).encoded) == "*2\r\n$3\r\nGET\r\n$77\r\n\(sliced)\r\n")
    }
}
