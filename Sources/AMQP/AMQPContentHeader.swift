import NIOCore

/// The payload of a content header frame: the class, the total body size and the properties.
public struct AMQPContentHeader: Sendable, Equatable {
    /// The content class; 60 (basic) for every message LastMile sends or receives.
    public var classID: UInt16
    /// The total size of the body frames that follow.
    public var bodySize: UInt64
    /// The message properties.
    public var properties: AMQPBasicProperties

    /// Creates a content header; the class defaults to basic.
    public init(classID: UInt16 = 60, bodySize: UInt64, properties: AMQPBasicProperties = AMQPBasicProperties()) {
        self.classID = classID
        self.bodySize = bodySize
        self.properties = properties
    }

    // Property flag bits, most significant first, in the order the spec lists the basic properties.
    private enum Flag {
        static let contentType: UInt16 = 1 << 15
        static let contentEncoding: UInt16 = 1 << 14
        static let headers: UInt16 = 1 << 13
        static let deliveryMode: UInt16 = 1 << 12
        static let priority: UInt16 = 1 << 11
        static let correlationID: UInt16 = 1 << 10
        static let replyTo: UInt16 = 1 << 9
        static let expiration: UInt16 = 1 << 8
        static let messageID: UInt16 = 1 << 7
        static let timestamp: UInt16 = 1 << 6
        static let type: UInt16 = 1 << 5
        static let userID: UInt16 = 1 << 4
        static let appID: UInt16 = 1 << 3
        static let clusterID: UInt16 = 1 << 2
        static let continuation: UInt16 = 1
    }

    /// The property-flags word for the present properties.
    public var propertyFlags: UInt16 {
        let p = properties
        var flags: UInt16 = 0
        if p.contentType != nil { flags |= Flag.contentType }
        if p.contentEncoding != nil { flags |= Flag.contentEncoding }
        if p.headers != nil { flags |= Flag.headers }
        if p.deliveryMode != nil { flags |= Flag.deliveryMode }
        if p.priority != nil { flags |= Flag.priority }
        if p.correlationID != nil { flags |= Flag.correlationID }
        if p.replyTo != nil { flags |= Flag.replyTo }
        if p.expiration != nil { flags |= Flag.expiration }
        if p.messageID != nil { flags |= Flag.messageID }
        if p.timestamp != nil { flags |= Flag.timestamp }
        if p.type != nil { flags |= Flag.type }
        if p.userID != nil { flags |= Flag.userID }
        if p.appID != nil { flags |= Flag.appID }
        return flags
    }

    /// Writes class id, weight (0), body size, the property flags and the present properties in flag order.
    public func encode(into buffer: inout ByteBuffer) throws {
        let p = properties
        buffer.writeInteger(classID)
        buffer.writeInteger(UInt16(0))  // weight, unused
        buffer.writeInteger(bodySize)
        buffer.writeInteger(propertyFlags)
        if let value = p.contentType { try buffer.writeAMQPShortString(value) }
        if let value = p.contentEncoding { try buffer.writeAMQPShortString(value) }
        if let value = p.headers { try value.encode(into: &buffer) }
        if let value = p.deliveryMode { buffer.writeInteger(value) }
        if let value = p.priority { buffer.writeInteger(value) }
        if let value = p.correlationID { try buffer.writeAMQPShortString(value) }
        if let value = p.replyTo { try buffer.writeAMQPShortString(value) }
        if let value = p.expiration { try buffer.writeAMQPShortString(value) }
        if let value = p.messageID { try buffer.writeAMQPShortString(value) }
        if let value = p.timestamp { buffer.writeInteger(value) }
        if let value = p.type { try buffer.writeAMQPShortString(value) }
        if let value = p.userID { try buffer.writeAMQPShortString(value) }
        if let value = p.appID { try buffer.writeAMQPShortString(value) }
    }

    /// Reads a content header frame's payload.
    public static func decode(from buffer: inout ByteBuffer) throws -> AMQPContentHeader {
        let classID = try buffer.readAMQPInteger(as: UInt16.self)
        _ = try buffer.readAMQPInteger(as: UInt16.self)  // weight
        let bodySize = try buffer.readAMQPInteger(as: UInt64.self)
        let flags = try buffer.readAMQPInteger(as: UInt16.self)
        var lastFlags = flags
        while lastFlags & Flag.continuation != 0 {  // basic has 14 properties, so further words carry nothing we know
            lastFlags = try buffer.readAMQPInteger(as: UInt16.self)
        }
        var p = AMQPBasicProperties()
        if flags & Flag.contentType != 0 { p.contentType = try buffer.readAMQPShortString() }
        if flags & Flag.contentEncoding != 0 { p.contentEncoding = try buffer.readAMQPShortString() }
        if flags & Flag.headers != 0 { p.headers = try AMQPFieldTable.decode(from: &buffer) }
        if flags & Flag.deliveryMode != 0 { p.deliveryMode = try buffer.readAMQPInteger() }
        if flags & Flag.priority != 0 { p.priority = try buffer.readAMQPInteger() }
        if flags & Flag.correlationID != 0 { p.correlationID = try buffer.readAMQPShortString() }
        if flags & Flag.replyTo != 0 { p.replyTo = try buffer.readAMQPShortString() }
        if flags & Flag.expiration != 0 { p.expiration = try buffer.readAMQPShortString() }
        if flags & Flag.messageID != 0 { p.messageID = try buffer.readAMQPShortString() }
        if flags & Flag.timestamp != 0 { p.timestamp = try buffer.readAMQPInteger() }
        if flags & Flag.type != 0 { p.type = try buffer.readAMQPShortString() }
        if flags & Flag.userID != 0 { p.userID = try buffer.readAMQPShortString() }
        if flags & Flag.appID != 0 { p.appID = try buffer.readAMQPShortString() }
        if flags & Flag.clusterID != 0 { _ = try buffer.readAMQPShortString() }  // deprecated cluster-id
        return AMQPContentHeader(classID: classID, bodySize: bodySize, properties: p)
    }
}
