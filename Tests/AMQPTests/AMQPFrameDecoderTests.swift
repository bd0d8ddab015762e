import NIOCore
import Testing

@testable import AMQP

@Suite struct AMQPFrameDecoderTests {
    @Test(arguments: allFrames)
    func frameSplitAtEveryByteDecodesOnlyWhenComplete(frame: AMQPFrame) throws {
        let wire = try encoded(frame)
        for split in 0..<wire.readableBytes {
            var decoder = AMQPFrameDecoder()
            var buffer = wire.getSlice(at: 0, length: split)!
            #expect(try decoder.decode(buffer: &buffer) == nil)
            #expect(buffer.readableBytes == split, "a partial frame must not be consumed")
            var rest = wire.getSlice(at: split, length: wire.readableBytes - split)!
            buffer.writeBuffer(&rest)
            #expect(try decoder.decode(buffer: &buffer) == frame)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func framesFedOneByteAtATimeComeOutInOrder() throws {
        var wire = ByteBuffer()
        for frame in allFrames {
            try frame.encode(into: &wire)
        }
        var decoder = AMQPFrameDecoder()
        var buffer = ByteBuffer()
        var decoded: [AMQPFrame] = []
        while let byte = wire.readInteger(as: UInt8.self) {
            buffer.writeInteger(byte)
            while let frame = try decoder.decode(buffer: &buffer) {
                decoded.append(frame)
            }
        }
        #expect(decoded == allFrames)
    }

    @Test func heartbeatByteLayout() throws {
        #expect(try encoded(.heartbeat) == bytes([8, 0, 0, 0, 0, 0, 0, 0xCE]))
    }

    @Test func methodFrameByteLayout() throws {
        let frame = AMQPFrame(channel: 1, payload: .method(.channel(.open)))
        #expect(try encoded(frame) == bytes([1, 0, 1, 0, 0, 0, 5, 0, 20, 0, 10, 0, 0xCE]))
    }

    @Test func badFrameEndIsAnError() {
        var decoder = AMQPFrameDecoder()
        var buffer = bytes([8, 0, 0, 0, 0, 0, 0, 0x00])
        #expect(throws: AMQPCodecError.invalidFrameEnd(0)) { try decoder.decode(buffer: &buffer) }
    }

    @Test func oversizedFrameIsRejectedFromItsHeaderAlone() {
        var decoder = AMQPFrameDecoder(frameMax: 4096)
        var buffer = bytes([3, 0, 1, 0, 0, 0x0F, 0xF9])  // body of 4089 bytes: 4097 with framing
        #expect(throws: AMQPCodecError.frameTooLarge(size: 4097, limit: 4096)) { try decoder.decode(buffer: &buffer) }
    }

    @Test func frameOfExactlyFrameMaxIsAccepted() throws {
        var decoder = AMQPFrameDecoder(frameMax: 4096)
        let frame = AMQPFrame(channel: 1, payload: .body(ByteBuffer(repeating: 7, count: 4096 - AMQPFrame.overhead)))
        var buffer = try encoded(frame)
        #expect(try decoder.decode(buffer: &buffer) == frame)
    }

    @Test func zeroFrameMaxMeansNoLimit() throws {
        var decoder = AMQPFrameDecoder(frameMax: 0)
        let frame = AMQPFrame(channel: 1, payload: .body(ByteBuffer(repeating: 7, count: 300_000)))
        var buffer = try encoded(frame)
        #expect(try decoder.decode(buffer: &buffer) == frame)
    }

    @Test func unknownFrameTypeIsAnError() {
        var decoder = AMQPFrameDecoder()
        var buffer = bytes([4, 0, 0, 0, 0, 0, 0, 0xCE])
        #expect(throws: AMQPCodecError.unknownFrameType(4)) { try decoder.decode(buffer: &buffer) }
    }

    @Test func truncatedMethodInsideACompleteFrameIsAnError() {
        var decoder = AMQPFrameDecoder()
        var buffer = bytes([1, 0, 0, 0, 0, 0, 3, 0, 10, 0, 0xCE])
        #expect(throws: AMQPCodecError.truncated) { try decoder.decode(buffer: &buffer) }
    }

    @Test func brokerProtocolHeaderReplyIsReportedAsUnsupportedProtocol() throws {
        var decoder = AMQPFrameDecoder()
        var partial = bytes("AMQP", [0, 0])
        #expect(try decoder.decode(buffer: &partial) == nil)
        var buffer = bytes("AMQP", [0, 1, 0, 0])
        #expect(throws: AMQPCodecError.unsupportedProtocol(major: 1, minor: 0, revision: 0)) { try decoder.decode(buffer: &buffer) }
    }

    @Test func protocolHeaderIsAMQP0091() {
        var buffer = ByteBuffer()
        AMQPProtocolHeader.encode(into: &buffer)
        #expect(buffer == bytes("AMQP", [0, 0, 9, 1]))
    }
}
