import NIOCore

extension AMQPMethod {
    /// Methods of the channel class.
    public enum Channel: Sendable, Equatable {
        /// channel.open (10).
        case open
        /// channel.open-ok (11).
        case openOK
        /// channel.flow (20): asks the peer to pause or resume sending content.
        case flow(active: Bool)
        /// channel.flow-ok (21).
        case flowOK(active: Bool)
        /// channel.close (40): either side closes the channel, giving the reason and the failing method if any.
        case close(replyCode: UInt16, replyText: String, classID: UInt16, methodID: UInt16)
        /// channel.close-ok (41).
        case closeOK

        var methodID: UInt16 {
            switch self {
            case .open: 10
            case .openOK: 11
            case .flow: 20
            case .flowOK: 21
            case .close: 40
            case .closeOK: 41
            }
        }

        func encodeArguments(into buffer: inout ByteBuffer) throws {
            switch self {
            case .open:
                try buffer.writeAMQPShortString("")  // reserved-1 (out-of-band)
            case .openOK:
                buffer.writeAMQPLongString("")  // reserved-1 (channel-id)
            case .flow(let active), .flowOK(let active):
                buffer.writeAMQPBits(active)
            case .close(let replyCode, let replyText, let classID, let methodID):
                buffer.writeInteger(replyCode)
                try buffer.writeAMQPShortString(replyText)
                buffer.writeInteger(classID)
                buffer.writeInteger(methodID)
            case .closeOK:
                break
            }
        }

        static func decodeArguments(methodID: UInt16, from buffer: inout ByteBuffer) throws -> Channel? {
            switch methodID {
            case 10:
                _ = try buffer.readAMQPShortString()
                return .open
            case 11:
                _ = try buffer.readAMQPLongString()
                return .openOK
            case 20: return .flow(active: try buffer.readAMQPBits(count: 1)[0])
            case 21: return .flowOK(active: try buffer.readAMQPBits(count: 1)[0])
            case 40:
                let replyCode = try buffer.readAMQPInteger(as: UInt16.self)
                let replyText = try buffer.readAMQPShortString()
                let classID = try buffer.readAMQPInteger(as: UInt16.self)
                let failingMethodID = try buffer.readAMQPInteger(as: UInt16.self)
                return .close(replyCode: replyCode, replyText: replyText, classID: classID, methodID: failingMethodID)
            case 41: return .closeOK
            default: return nil
            }
        }
    }
}
