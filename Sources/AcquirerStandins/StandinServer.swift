import Foundation
import Hummingbird
import Logging
import NIOCore

/// Runs a stand-in over HTTP on loopback: in-process for tests, or as `acquirer-standin`.
public final class StandinServer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// The stand-in.
    public let standin: any AcquirerStandin
    private let task: Task<Void, any Error>

    private init(port: Int, standin: any AcquirerStandin, task: Task<Void, any Error>) {
        self.port = port
        self.standin = standin
        self.task = task
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `make`'s stand-in on `port` (0: any free port) and returns once it listens. `make` gets the stand-in's
    /// public base URL; a port of 0 is known only after binding, so the URL then names a port reserved first, and a
    /// port taken by someone else in between is given up for another (five tries).
    public static func start(
        port requested: Int = 0, logger: Logger = Logger(label: "acquirer-standin"), _ make: @escaping @Sendable (String) -> any AcquirerStandin
    ) async throws -> StandinServer {
        var lastError: any Error = StandinServerError.notListening
        for _ in 0..<(requested == 0 ? 5 : 1) {
            let port = requested == 0 ? try freePort() : requested
            let standin = make("http://127.0.0.1:\(port)")
            let router = Router()
            standin.register(on: router)
            let control = standin.control
            router.post("/standin/behaviour") { request, context in
                let behaviour = try await request.decode(as: StandinBehaviour.self, context: context)
                await control.set(behaviour)
                return HTTPResponse.Status.noContent
            }
            let (ready, signal) = AsyncStream<Bool>.makeStream()
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                onServerRunning: { _ in signal.yield(true) }, logger: logger)
            let task = Task {
                defer { signal.yield(false) }
                try await app.runService(gracefulShutdownSignals: [])
            }
            var listening = false
            for await value in ready {
                listening = value
                break
            }
            if listening { return StandinServer(port: port, standin: standin, task: task) }
            if case .failure(let error) = await task.result { lastError = error }
        }
        throw lastError
    }

    /// Stops listening.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// A port the kernel hands out now; bound and released at once.
    private static func freePort() throws -> Int {
        let socket = try ServerSocket()
        defer { socket.close() }
        return socket.port
    }
}

/// A loopback socket bound to port 0, to learn a free port.
private struct ServerSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPError(.internalServerError, message: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) }
        }
        guard bound == 0 else { Glibc.close(descriptor); throw HTTPError(.internalServerError, message: "bind failed") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}

/// The stand-in's server stopped before it listened.
enum StandinServerError: Error {
    /// It never listened.
    case notListening
}
