import ClientSupport
import ClientTLS
import Crypto
import Foundation
import NIOSSL
import Push
import PushStandins
import Synchronization
import _CryptoExtras

/// A clock tests move by hand, shared by a client and its stand-in.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    /// The time now.
    var now: Date { current.withLock { $0 } }

    /// Moves the clock on.
    func advance(minutes: Double) {
        current.withLock { $0 = $0.addingTimeInterval(minutes * 60) }
    }

    /// The clock as the client and stand-in take it.
    var function: @Sendable () -> Date { { self.now } }
}

/// TLS that trusts only the stand-in's CA and expects its certificate's name.
func standinTLS(_ certificate: StandinCertificate) throws -> ClientTLSConfiguration {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(certificate.caPEM.utf8), format: .pem)])
    return try ClientTLSConfiguration(tls, serverName: "localhost")
}

/// A device token of the usual 32 bytes, in hex.
func deviceToken(_ seed: Int) -> String {
    String(repeating: String(format: "%08x", seed), count: 8)
}

/// An APNs stand-in and a client signing with the key it trusts.
struct APNsFixture {
    static let teamID = "TEAM123456"
    static let keyID = "KEY1234567"
    static let topic = "ru.lastmile.app"

    let standin: APNsStandin
    let client: APNsClient
    let key: P256.Signing.PrivateKey

    /// Starts a stand-in; the client signs with `clientKey` (the trusted key when `nil`) under `keyID`.
    static func start(
        clock: TestClock? = nil, standinClock: TestClock? = nil, clientKey: P256.Signing.PrivateKey? = nil, keyID: String = keyID,
        connectTimeout: Duration = .seconds(5),
        maximumConcurrentStreams: Int = 1000, backoff: Backoff = Backoff()
    ) async throws -> APNsFixture {
        let key = P256.Signing.PrivateKey()
        let now: @Sendable () -> Date
        if let clock { now = clock.function } else { now = { Date() } }
        var standinConfiguration = APNsStandin.Configuration(teamID: teamID, keyID: Self.keyID, publicKey: key.publicKey, topics: [topic])
        standinConfiguration.maximumConcurrentStreams = maximumConcurrentStreams
        let standinNow: @Sendable () -> Date
        if let standinClock { standinNow = standinClock.function } else { standinNow = now }
        let standin = try await APNsStandin.start(configuration: standinConfiguration, now: standinNow)
        let signingKey = try APNsSigningKey(pem: (clientKey ?? key).pemRepresentation, keyID: keyID, teamID: teamID)
        let configuration = try APNsConfiguration(
            url: standin.url, key: signingKey, topic: topic, tls: try standinTLS(standin.certificate), connectTimeout: connectTimeout,
            backoff: backoff)
        return APNsFixture(standin: standin, client: try APNsClient(configuration: configuration, now: now), key: key)
    }

    func stop() async {
        await client.shutdown()
        await standin.stop()
    }
}

/// An FCM stand-in and a client with the service account it trusts.
struct FCMFixture {
    static let projectID = "lastmile-test"
    static let clientEmail = "push@lastmile-test.iam.gserviceaccount.com"
    /// One RSA key for all tests: making one takes a while.
    static let key = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    let standin: FCMStandin
    let client: FCMClient

    /// Starts a stand-in; the client signs its assertions with `clientKey` (the trusted key when `nil`).
    static func start(clock: TestClock? = nil, clientKey: _RSA.Signing.PrivateKey? = nil) async throws -> FCMFixture {
        let now: @Sendable () -> Date
        if let clock { now = clock.function } else { now = { Date() } }
        let standin = try await FCMStandin.start(
            configuration: .init(projectID: projectID, clientEmail: clientEmail, publicKey: key.publicKey), now: now)
        let json: [String: String] = [
            "type": "service_account", "project_id": projectID, "private_key_id": "0123abcd", "client_email": clientEmail,
            "private_key": (clientKey ?? key).pkcs8PEMRepresentation, "token_uri": standin.tokenURI,
        ]
        let account = try FCMServiceAccount(json: try JSONSerialization.data(withJSONObject: json))
        let configuration = try FCMConfiguration(url: standin.url, serviceAccount: account, tls: try standinTLS(standin.certificate))
        return FCMFixture(standin: standin, client: try FCMClient(configuration: configuration, now: now))
    }

    func stop() async {
        await client.shutdown()
        await standin.stop()
    }
}
