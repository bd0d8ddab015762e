import NIOCore
import Testing

@testable import AMQP

@Suite struct AMQPContentHeaderTests {
    @Test func allPropertiesRoundTrip() throws {
        let header = AMQPContentHeader(bodySize: 1 << 33, properties: fullProperties)
        #expect(header.propertyFlags == 0b1111_1111_1111_1000)
        var buffer = ByteBuffer()
        try header.encode(into: &buffer)
        #expect(try AMQPContentHeader.decode(from: &buffer) == header)
        #expect(buffer.readableBytes == 0)
    }

    @Test(arguments: 0..<13)
    func eachPropertyAloneRoundTripsWithItsOwnFlag(index: Int) throws {
        let setters: [(inout AMQPBasicProperties) -> Void] = [
            { $0.contentType = "text/plain" }, { $0.contentEncoding = "gzip" }, { $0.headers = ["a": 1] },
            { $0.deliveryMode = 2 }, { $0.priority = 9 }, { $0.correlationID = "c" }, { $0.replyTo = "r" },
            { $0.expiration = "1000" }, { $0.messageID = "m" }, { $0.timestamp = 1 }, { $0.type = "t" },
            { $0.userID = "u" }, { $0.appID = "app" },
        ]
        var properties = AMQPBasicProperties()
        setters[index](&properties)
        let header = AMQPContentHeader(bodySize: 3, properties: properties)
        #expect(header.propertyFlags == UInt16(1) << UInt16(15 - index))
        var buffer = ByteBuffer()
        try header.encode(into: &buffer)
        #expect(try AMQPContentHeader.decode(from: &buffer) == header)
    }

    @Test func byteLayoutMatchesTheSpec() throws {
        let header = AMQPContentHeader(bodySize: 5, properties: AMQPBasicProperties(contentType: "text/plain", deliveryMode: 2))
        var buffer = ByteBuffer()
        try header.encode(into: &buffer)
        // class 60, weight 0, body size (longlong), flags content-type|delivery-mode = 0x9000, then the two properties.
        #expect(buffer == bytes([0, 60, 0, 0], [0, 0, 0, 0, 0, 0, 0, 5], [0x90, 0x00], 10, "text/plain", 2))
    }

    @Test func deprecatedClusterIDIsSkipped() throws {
        var buffer = bytes([0, 60, 0, 0], [0, 0, 0, 0, 0, 0, 0, 1], [0x00, 0x0C], 3, "app", 7, "cluster")
        let header = try AMQPContentHeader.decode(from: &buffer)
        #expect(header.properties == AMQPBasicProperties(appID: "app"))
        #expect(buffer.readableBytes == 0)
    }
}
