import Auth
import Contracts
import Foundation
import Kernel
import Storage
import Synchronization
import TestSupport
import Testing

@Suite("Signing keys")
struct KeyRotationTests {
    @Test(arguments: DatabaseKind.available)
    func oldKeyVerifiesUntilItsTokensExpire(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            let before = try await h.login(user.email)
            let oldKeys = try await h.auth.jwks().keys.map(\.kid)
            let newKid = try await h.auth.rotateSigningKey()
            h.clock.advance(by: h.settings.keyPublicationDelay + 1)
            let after = try await h.login(user.email)
            #expect(try await h.auth.jwks().keys.map(\.kid).sorted() == (oldKeys + [newKid]).sorted())
            _ = try await h.auth.authenticate(accessToken: before.accessToken)
            _ = try await h.auth.authenticate(accessToken: after.accessToken)
            #expect(after.accessToken.split(separator: ".").first != before.accessToken.split(separator: ".").first)

            h.clock.advance(by: 900 + 31)
            _ = try await h.auth.refresh(refreshToken: after.refreshToken, client: AuthHarness.client)
            _ = try await h.auth.rotateSigningKey()
            #expect(!(try await h.auth.jwks().keys.map(\.kid)).contains(oldKeys[0]))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aNewKeyIsPublishedBeforeItSigns(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            let oldKid = try Self.kid(of: try await h.login(user.email).accessToken)
            let newKid = try await h.auth.rotateSigningKey()
            #expect(try await h.auth.jwks().keys.map(\.kid).contains(newKid))
            h.clock.advance(by: h.settings.keyPublicationDelay - 1)
            #expect(try Self.kid(of: try await h.login(user.email).accessToken) == oldKid)
            h.clock.advance(by: 2)
            #expect(try Self.kid(of: try await h.login(user.email).accessToken) == newKid)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aRotationByAnotherProcessReachesThisOne(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            _ = try await h.login(user.email)
            // `lastmile auth-keys rotate`, or another replica, over the same database.
            let other = AuthService(
                database: h.database, sessions: DatabaseSessionStore(database: h.database), settings: h.settings, clock: h.clock,
                logger: TestDatabases.logger)
            try await other.start()
            let newKid = try await other.rotateSigningKey()
            h.clock.advance(by: h.settings.keyReloadInterval)
            #expect(try await h.auth.jwks().keys.map(\.kid).contains(newKid))
            h.clock.advance(by: h.settings.keyPublicationDelay - h.settings.keyReloadInterval + 1)
            let after = try await h.login(user.email)
            #expect(try Self.kid(of: after.accessToken) == newKid)
            #expect(try await other.authenticate(accessToken: after.accessToken).userID == user.id)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anUnknownKeyWhileTheKeysCannotBeReadIsUnavailableNotInvalid(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let keysDown = Outage(base: h.database)
            let replica = AuthService(
                database: keysDown, sessions: DatabaseSessionStore(database: h.database), settings: h.settings, clock: h.clock,
                logger: TestDatabases.logger)
            try await replica.start()
            let user = try await h.user()
            _ = try await h.auth.rotateSigningKey()
            h.clock.advance(by: h.settings.keyPublicationDelay + 1)
            let token = try await h.login(user.email).accessToken
            keysDown.isDown.withLock { $0 = true }
            for _ in 0..<3 {
                await #expect(throws: AuthError.unavailable) { try await replica.authenticate(accessToken: token) }
            }
            keysDown.isDown.withLock { $0 = false }
            h.clock.advance(by: 6)
            #expect(try await replica.authenticate(accessToken: token).userID == user.id)
        }
    }

    /// The `kid` a token's header names.
    static func kid(of token: String) throws -> String? {
        let part = try #require(token.split(separator: ".").first)
        let header = try #require(Base64URL.decode(part))
        let object = try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any]
        return object?["kid"] as? String
    }

    @Test(arguments: DatabaseKind.available)
    func jwksPublishesEd25519PublicKeysOnly(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let set = try await h.auth.jwks()
            let key = try #require(set.keys.first)
            #expect(key.kty == "OKP" && key.crv == "Ed25519" && key.alg == "EdDSA" && key.use == "sig")
            #expect(Base64URL.decode(Substring(key.x))?.count == 32)
            let json = String(decoding: try JSONEncoder().encode(set), as: UTF8.self)
            #expect(!json.contains("\"d\""))
        }
    }
}

/// A database that fails every statement while it is down, as when PostgreSQL is stopped.
final class Outage: Database {
    let base: any Database
    let isDown = Mutex(false)

    init(base: any Database) { self.base = base }

    var dialect: SQLDialect { base.dialect }

    private func check() throws {
        if isDown.withLock({ $0 }) { throw StorageError.unavailable(reason: "test: the database is down") }
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try check()
        return try await base.query(sql, binds)
    }

    func query(_ statement: PreparedSQL, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try check()
        return try await base.query(statement, binds)
    }

    func transaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        try check()
        return try await base.transaction(body)
    }

    func close() async throws {}
}
