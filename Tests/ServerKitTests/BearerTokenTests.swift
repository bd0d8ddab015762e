import ServerKit
import Testing

@Suite("Authorization header parsing")
struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc.def-ghi_~+/=", "abc.def-ghi_~+/="),
        ("bearer token", "token"),
        ("BEARER token", "token"),
        ("Bearer   spaced  ", "spaced"),
    ])
    func accepted(header: String, token: String) {
        #expect(AuthenticationMiddleware.bearerToken(header) == token)
    }

    @Test(arguments: ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearertoken", "Bearer a b", "Bearer tök", "Bearer a\"b", " Bearer x", "Bearerx y"])
    func refused(header: String) {
        #expect(AuthenticationMiddleware.bearerToken(header) == nil)
    }

    @Test func everyByteIsJudgedAsToken68Says() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=".utf8)
        for byte in UInt8.min...UInt8.max where byte != UInt8(ascii: " ") {
            var header = Array("Bearer a".utf8)
            header += [byte, UInt8(ascii: "z")]
            let parsed = AuthenticationMiddleware.bearerToken(String(decoding: header, as: UTF8.self))
            #expect((parsed != nil) == allowed.contains(byte), "byte \(byte)")
        }
    }
}
