import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A stand-in that answers HTTP: it puts its routes on a router.
public protocol ChannelStandin: Sendable {
    /// Adds the stand-in's routes.
    func register(on router: Router<BasicRequestContext>)
}

/// Runs stand-ins over HTTP on a free loopback port, in-process, for tests and demos.
public final class ChannelStandinServer: Sendable {
    /// The port it listens on.
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.port = port
        self.task = task
        self.group = group
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts serving `standins` and returns once it listens.
    public static func start(_ standins: [any ChannelStandin], logger: Logger = Logger(label: "channel-standin")) async throws
        -> ChannelStandinServer
    {
        let router = Router()
        for standin in standins { standin.register(on: router) }
        let (ready, signal) = AsyncStream<Int?>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in signal.yield(channel.localAddress?.port) }, logger: logger)
        // Stopped gracefully (``stop()``): cancelling a server while it accepts a connection traps in NIO.
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        let task = Task {
            defer { signal.yield(nil) }
            try await group.run()
        }
        var port: Int?
        for await value in ready {
            port = value
            break
        }
        guard let port else {
            if case .failure(let error) = await task.result { throw error }
            throw ChannelStandinError.notListening
        }
        return ChannelStandinServer(port: port, task: task, group: group)
    }

    /// Stops listening.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// The stand-in's server stopped before it listened.
enum ChannelStandinError: Error {
    /// It never listened.
    case notListening
}

/// Small helpers for answers.
enum StandinHTTP {
    /// A JSON answer.
    static func json(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A plain-text answer.
    static func text(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The request's body, up to 1 MiB.
    static func body(_ request: Request) async throws -> [UInt8] {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        return Array(buffer.readableBytesView)
    }

    /// The pairs of a form body or a query (`application/x-www-form-urlencoded`), `+` as a space.
    static func form(_ text: String) -> [String: String] {
        var pairs: [String: String] = [:]
        for item in text.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
            pairs[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return pairs
    }
}
