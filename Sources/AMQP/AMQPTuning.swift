/// The limits of a connection, proposed by the broker in connection.tune and settled by the client in tune-ok.
public struct AMQPTuning: Sendable, Hashable {
    /// The highest channel number; 0 means no limit other than 65,535.
    public var channelMax: UInt16
    /// The largest frame in bytes, framing included; 0 means no limit.
    public var frameMax: UInt32
    /// The heartbeat interval in seconds; 0 turns heartbeats off.
    public var heartbeat: UInt16

    /// Creates tuning values.
    public init(channelMax: UInt16 = 2047, frameMax: UInt32 = 131_072, heartbeat: UInt16 = 60) {
        self.channelMax = channelMax
        self.frameMax = frameMax
        self.heartbeat = heartbeat
    }

    /// The smallest frame-max the spec lets a peer propose.
    public static let minimumFrameMax: UInt32 = 4096

    /// Settles each value as the smaller of the two non-zero proposals (0 yields to the other side's value).
    public static func negotiate(client: AMQPTuning, server: AMQPTuning) -> AMQPTuning {
        func lower<T: FixedWidthInteger>(_ a: T, _ b: T) -> T {
            if a == 0 { return b }
            if b == 0 { return a }
            return Swift.min(a, b)
        }
        var frameMax = lower(client.frameMax, server.frameMax)
        if frameMax != 0 { frameMax = Swift.max(frameMax, minimumFrameMax) }
        return AMQPTuning(
            channelMax: lower(client.channelMax, server.channelMax),
            frameMax: frameMax,
            heartbeat: lower(client.heartbeat, server.heartbeat)
        )
    }

    /// The highest channel number usable, 0 read as 65,535.
    var usableChannelMax: UInt16 { channelMax == 0 ? .max : channelMax }

    /// The body bytes one frame can carry; unlimited frames are cut at 128 KiB anyway to keep writes small.
    var maxBodyChunk: Int { Int(frameMax == 0 ? 131_072 : frameMax) - AMQPFrame.overhead }
}
