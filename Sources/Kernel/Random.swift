import Foundation

/// Cryptographically secure random material used for tokens and generated passwords.
public enum SecureRandom {
    /// `count` random bytes from the system's CSPRNG.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A URL-safe token carrying `bytes` random bytes (256 bits by default).
    public static func token(bytes count: Int = 32) -> String {
        Base64URL.encode(bytes(count))
    }

    /// A password of `length` characters from an alphabet without look-alike characters.
    public static func password(length: Int = 16) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
