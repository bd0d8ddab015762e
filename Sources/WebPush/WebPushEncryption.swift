import Crypto
import Foundation

/// Message encryption for Web Push (RFC 8291): the `aes128gcm` content coding of RFC 8188 in one record, keyed by ECDH
/// between a fresh P-256 key of ours and the browser's `p256dh`, mixed with its `auth` secret.
public enum WebPushEncryption {
    /// The record size written in the header: the one the RFC's example uses, and more than any payload a push
    /// service takes, so that a message is always one record.
    public static let recordSize = 4096
    /// The header's size: salt (16), record size (4), key id length (1) and our public key (65).
    public static let headerSize = 86
    /// The largest body a push service must accept (RFC 8030 §7.2).
    public static let maximumBodySize = 4096
    /// The largest plaintext that fits: the body less the header, the GCM tag (16) and the padding delimiter (1).
    public static let maximumPlaintextSize = maximumBodySize - headerSize - 16 - 1

    /// `plaintext` encrypted to `subscription`: the request body to POST with `Content-Encoding: aes128gcm`. A fresh
    /// key pair and salt are drawn for each message; ``encrypt(_:p256dh:auth:senderKey:salt:)`` takes them given.
    public static func encrypt(_ plaintext: some Collection<UInt8>, to subscription: WebPushSubscription) throws(WebPushError) -> [UInt8] {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        return try encrypt(plaintext, p256dh: subscription.p256dh, auth: subscription.auth, senderKey: P256.KeyAgreement.PrivateKey(), salt: salt)
    }

    /// `plaintext` encrypted to the browser key `p256dh` (uncompressed) and secret `auth` with our key `senderKey` and
    /// the 16-byte `salt`. Both must be fresh for each message: this form is for test vectors.
    public static func encrypt(
        _ plaintext: some Collection<UInt8>, p256dh: [UInt8], auth: [UInt8], senderKey: P256.KeyAgreement.PrivateKey, salt: [UInt8]
    ) throws(WebPushError) -> [UInt8] {
        guard plaintext.count <= maximumPlaintextSize else { throw .payloadTooLarge(bytes: plaintext.count, limit: maximumPlaintextSize) }
        guard salt.count == 16 else { throw .encryptionFailed("the salt is \(salt.count) bytes, not 16") }
        guard let browserKey = try? P256.KeyAgreement.PublicKey(x963Representation: p256dh) else {
            throw .encryptionFailed("p256dh is not a P-256 point")
        }
        guard let sharedSecret = try? senderKey.sharedSecretFromKeyAgreement(with: browserKey) else {
            throw .encryptionFailed("the key agreement failed")
        }
        let senderPublic = Array(senderKey.publicKey.x963Representation)
        // RFC 8291 §3.4: IKM from the ECDH secret, salted with the auth secret, bound to both public keys.
        let keyInfo = Array("WebPush: info".utf8) + [0] + p256dh + senderPublic
        let inputKeyMaterial = sharedSecret.hkdfDerivedSymmetricKey(using: SHA256.self, salt: auth, sharedInfo: keyInfo, outputByteCount: 32)
        // RFC 8188 §2.2 and §2.3: the content encryption key and nonce from the IKM and the message's salt.
        let pseudoRandomKey = HKDF<SHA256>.extract(inputKeyMaterial: inputKeyMaterial, salt: salt)
        let contentKey = HKDF<SHA256>.expand(
            pseudoRandomKey: pseudoRandomKey, info: Array("Content-Encoding: aes128gcm".utf8) + [0], outputByteCount: 16)
        let nonceBytes = HKDF<SHA256>.expand(pseudoRandomKey: pseudoRandomKey, info: Array("Content-Encoding: nonce".utf8) + [0], outputByteCount: 12)
        // One record, the last: the plaintext, then the delimiter 0x02 and no padding.
        let record = Array(plaintext) + [2]
        let sealed: AES.GCM.SealedBox
        do {
            let nonce = try nonceBytes.withUnsafeBytes { try AES.GCM.Nonce(data: Array($0)) }
            sealed = try AES.GCM.seal(record, using: contentKey, nonce: nonce)
        } catch {
            throw .encryptionFailed("AES-GCM: \(error)")
        }
        var body = salt
        body += withUnsafeBytes(of: UInt32(recordSize).bigEndian) { Array($0) }
        body.append(UInt8(senderPublic.count))
        body += senderPublic
        body += sealed.ciphertext
        body += sealed.tag
        return body
    }
}
