import NIOCore
import Testing

@testable import AMQP

@Suite struct AMQPMethodTests {
    @Test(arguments: allMethods)
    func everyMethodRoundTrips(method: AMQPMethod) throws {
        var buffer = try encoded(method)
        #expect(buffer.getInteger(at: 0, as: UInt16.self) == method.classID)
        #expect(buffer.getInteger(at: 2, as: UInt16.self) == method.methodID)
        #expect(try AMQPMethod.decode(from: &buffer) == method)
        #expect(buffer.readableBytes == 0)
    }

    @Test func queueDeclareDurableAutoDeletePacksBitsOneAndThree() throws {
        let method = AMQPMethod.queue(.declare(queue: "q", durable: true, autoDelete: true))
        // class 50, method 10, reserved short, shortstr "q", bits passive|durable|exclusive|auto-delete|no-wait
        // least significant first = 0b0000_1010, then an empty table.
        #expect(try encoded(method) == bytes([0, 50, 0, 10, 0, 0], 1, "q", 0b0000_1010, [0, 0, 0, 0]))
    }

    @Test func basicPublishMandatoryIsBitZero() throws {
        let method = AMQPMethod.basic(.publish(exchange: "ex", routingKey: "rk", mandatory: true))
        #expect(try encoded(method) == bytes([0, 60, 0, 40, 0, 0], 2, "ex", 2, "rk", 0b01))
        let immediate = AMQPMethod.basic(.publish(exchange: "", routingKey: "rk", immediate: true))
        #expect(try encoded(immediate) == bytes([0, 60, 0, 40, 0, 0], 0, 2, "rk", 0b10))
    }

    @Test func exchangeDeclareBitsFollowTheSpecOrder() throws {
        let method = AMQPMethod.exchange(.declare(exchange: "e", type: "topic", durable: true, noWait: true))
        // passive(0) durable(1) auto-delete(2) internal(3) no-wait(4)
        #expect(try encoded(method) == bytes([0, 40, 0, 10, 0, 0], 1, "e", 5, "topic", 0b1_0010, [0, 0, 0, 0]))
    }

    @Test func basicDeliverBitSitsBetweenLongLongAndShortString() throws {
        let method = AMQPMethod.basic(.deliver(consumerTag: "c", deliveryTag: 258, redelivered: true, exchange: "", routingKey: "k"))
        #expect(try encoded(method) == bytes([0, 60, 0, 60], 1, "c", [0, 0, 0, 0, 0, 0, 1, 2], 1, 0, 1, "k"))
    }

    @Test func basicNackPacksMultipleAndRequeueIntoOneOctet() throws {
        let method = AMQPMethod.basic(.nack(deliveryTag: 7, multiple: true, requeue: true))
        #expect(try encoded(method) == bytes([0, 60, 0, 120], [0, 0, 0, 0, 0, 0, 0, 7], 0b11))
    }

    @Test func connectionTuneOKByteLayout() throws {
        let method = AMQPMethod.connection(.tuneOK(channelMax: 2047, frameMax: 131_072, heartbeat: 60))
        #expect(try encoded(method) == bytes([0, 10, 0, 31, 0x07, 0xFF, 0, 2, 0, 0, 0, 60]))
    }

    @Test func unknownMethodIsAnError() {
        var buffer = bytes([0, 60, 0, 110])  // basic.recover, not supported
        #expect(throws: AMQPCodecError.unknownMethod(classID: 60, methodID: 110)) { try AMQPMethod.decode(from: &buffer) }
    }

    @Test func truncatedArgumentsAreAnError() {
        var buffer = bytes([0, 10, 0, 30, 0, 1])  // connection.tune cut off after channel-max
        #expect(throws: AMQPCodecError.truncated) { try AMQPMethod.decode(from: &buffer) }
    }

    @Test func onlyPublishReturnDeliverAndGetOKCarryContent() {
        let carrying = allMethods.filter(\.carriesContent).map(\.methodID)
        #expect(carrying == [40, 50, 60, 71])
    }
}
