import Foundation

/// The JSON coding of internal API bodies, the same on both sides: dates as `Date`'s own number, so that a value
/// crosses a hop unchanged to the last bit.
public enum RemoteCoding {
    /// A new encoder for bodies and answers.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .deferredToDate
        return encoder
    }

    /// A new decoder for bodies and answers.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return decoder
    }
}
