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
}
