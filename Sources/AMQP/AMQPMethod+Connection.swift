import NIOCore

extension AMQPMethod {
    /// Methods of the connection class: negotiation, tuning, opening, closing and flow control by the broker.
    public enum Connection: Sendable, Equatable {
        /// connection.start (10): the broker proposes protocol version, properties, SASL mechanisms and locales.
        case start(versionMajor: UInt8, versionMinor: UInt8, serverProperties: AMQPFieldTable, mechanisms: String, locales: String)
        /// connection.start-ok (11): the client picks a mechanism and sends its response and properties.
        case startOK(clientProperties: AMQPFieldTable, mechanism: String, response: String, locale: String)
        /// connection.secure (20): a SASL challenge.
        case secure(challenge: String)
        /// connection.secure-ok (21): the answer to a SASL challenge.
        case secureOK(response: String)
        /// connection.tune (30): the broker proposes limits; 0 means no limit.
        case tune(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
        /// connection.tune-ok (31): the limits the client agrees to.
        case tuneOK(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
        /// connection.open (40): opens the virtual host.
        case open(virtualHost: String)
        /// connection.open-ok (41).
        case openOK
        /// connection.close (50): either side closes, giving the reason and the failing method if any.
        case close(replyCode: UInt16, replyText: String, classID: UInt16, methodID: UInt16)
        /// connection.close-ok (51).
        case closeOK
        /// connection.blocked (60, RabbitMQ): the broker stops reading publishes, e.g. on a memory alarm.
        case blocked(reason: String)
        /// connection.unblocked (61, RabbitMQ).
        case unblocked

        var methodID: UInt16 {
            switch self {
            case .start: 10
            case .startOK: 11
            case .secure: 20
            case .secureOK: 21
            case .tune: 30
            case .tuneOK: 31
            case .open: 40
            case .openOK: 41
            case .close: 50
            case .closeOK: 51
            case .blocked: 60
            case .unblocked: 61
            }
        }

        func encodeArguments(into buffer: inout ByteBuffer) throws {
            switch self {
            case .start(let major, let minor, let properties, let mechanisms, let locales):
                buffer.writeInteger(major)
                buffer.writeInteger(minor)
                try properties.encode(into: &buffer)
                buffer.writeAMQPLongString(mechanisms)
                buffer.writeAMQPLongString(locales)
            case .startOK(let properties, let mechanism, let response, let locale):
                try properties.encode(into: &buffer)
                try buffer.writeAMQPShortString(mechanism)
                buffer.writeAMQPLongString(response)
                try buffer.writeAMQPShortString(locale)
            case .secure(let text), .secureOK(let text):
                buffer.writeAMQPLongString(text)
            case .tune(let channelMax, let frameMax, let heartbeat), .tuneOK(let channelMax, let frameMax, let heartbeat):
                buffer.writeInteger(channelMax)
                buffer.writeInteger(frameMax)
                buffer.writeInteger(heartbeat)
            case .open(let virtualHost):
                try buffer.writeAMQPShortString(virtualHost)
                try buffer.writeAMQPShortString("")  // reserved-1 (capabilities)
                buffer.writeAMQPBits(false)  // reserved-2 (insist)
            case .openOK:
                try buffer.writeAMQPShortString("")  // reserved-1 (known-hosts)
            case .close(let replyCode, let replyText, let classID, let methodID):
                buffer.writeInteger(replyCode)
                try buffer.writeAMQPShortString(replyText)
                buffer.writeInteger(classID)
                buffer.writeInteger(methodID)
            case .blocked(let reason):
                try buffer.writeAMQPShortString(reason)
            case .closeOK, .unblocked:
                break
            }
        }

        static func decodeArguments(methodID: UInt16, from buffer: inout ByteBuffer) throws -> Connection? {
            switch methodID {
            case 10:
                let major = try buffer.readAMQPInteger(as: UInt8.self)
                let minor = try buffer.readAMQPInteger(as: UInt8.self)
                let properties = try AMQPFieldTable.decode(from: &buffer)
                let mechanisms = try buffer.readAMQPLongString()
                let locales = try buffer.readAMQPLongString()
                return .start(versionMajor: major, versionMinor: minor, serverProperties: properties, mechanisms: mechanisms, locales: locales)
            case 11:
                let properties = try AMQPFieldTable.decode(from: &buffer)
                let mechanism = try buffer.readAMQPShortString()
                let response = try buffer.readAMQPLongString()
                let locale = try buffer.readAMQPShortString()
                return .startOK(clientProperties: properties, mechanism: mechanism, response: response, locale: locale)
            case 20: return .secure(challenge: try buffer.readAMQPLongString())
            case 21: return .secureOK(response: try buffer.readAMQPLongString())
            case 30, 31:
                let channelMax = try buffer.readAMQPInteger(as: UInt16.self)
                let frameMax = try buffer.readAMQPInteger(as: UInt32.self)
                let heartbeat = try buffer.readAMQPInteger(as: UInt16.self)
                return methodID == 30
                    ? .tune(channelMax: channelMax, frameMax: frameMax, heartbeat: heartbeat)
                    : .tuneOK(channelMax: channelMax, frameMax: frameMax, heartbeat: heartbeat)
            case 40:
                let virtualHost = try buffer.readAMQPShortString()
                _ = try buffer.readAMQPShortString()
                _ = try buffer.readAMQPBits(count: 1)
                return .open(virtualHost: virtualHost)
            case 41:
                _ = try buffer.readAMQPShortString()
                return .openOK
            case 50:
                let replyCode = try buffer.readAMQPInteger(as: UInt16.self)
                let replyText = try buffer.readAMQPShortString()
                let classID = try buffer.readAMQPInteger(as: UInt16.self)
                let failingMethodID = try buffer.readAMQPInteger(as: UInt16.self)
                return .close(replyCode: replyCode, replyText: replyText, classID: classID, methodID: failingMethodID)
            case 51: return .closeOK
            case 60: return .blocked(reason: try buffer.readAMQPShortString())
            case 61: return .unblocked
            default: return nil
            }
        }
    }
}
