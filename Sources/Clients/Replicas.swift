import Foundation
import Synchronization

/// The replicas of one service, taken in turn; one that fails is left out for a while (longer after each failure in a
/// row), so calls do not wait on a process that is gone while the others answer.
final class Replicas: Sendable {
    private struct Replica {
        var baseURL: String
        var failures = 0
        var ejectedUntil = ContinuousClock.Instant.now - .seconds(1)
    }

    private let state: Mutex<(replicas: [Replica], next: Int)>
    private let firstEjection: Duration
    private let longestEjection: Duration

    /// Replicas at `baseURLs` (without a trailing slash).
    init(baseURLs: [String], firstEjection: Duration = .milliseconds(500), longestEjection: Duration = .seconds(15)) {
        precondition(!baseURLs.isEmpty, "a service needs at least one URL")
        state = Mutex((baseURLs.map { Replica(baseURL: $0) }, 0))
        self.firstEjection = firstEjection
        self.longestEjection = longestEjection
    }

    /// The next replica in turn that is not left out, skipping `tried`; when every other one is left out, the one
    /// whose pause ends first; nil when every one was tried.
    func pick(excluding tried: Set<String> = []) -> String? {
        let now = ContinuousClock.now
        return state.withLock { state in
            let count = state.replicas.count
            for offset in 0..<count {
                let index = (state.next + offset) % count
                let replica = state.replicas[index]
                guard replica.ejectedUntil <= now, !tried.contains(replica.baseURL) else { continue }
                state.next = (index + 1) % count
                return replica.baseURL
            }
            // Every replica not yet tried is left out: try the one whose pause ends first rather than refuse without
            // trying, or one address (a Kubernetes Service) would be refused for the whole pause after one failure,
            // however soon it answers again. A replica that is really down refuses at once, or within the connect timeout.
            let waiting = state.replicas.filter { !tried.contains($0.baseURL) }
            return waiting.min { $0.ejectedUntil < $1.ejectedUntil }?.baseURL
        }
    }

    /// The replica answered.
    func succeeded(_ baseURL: String) {
        state.withLock { state in
            guard let index = state.replicas.firstIndex(where: { $0.baseURL == baseURL }) else { return }
            state.replicas[index].failures = 0
        }
    }

    /// The replica could not be reached or did not answer in time: leave it out for a while.
    func failed(_ baseURL: String) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard let index = state.replicas.firstIndex(where: { $0.baseURL == baseURL }) else { return }
            state.replicas[index].failures += 1
            let doublings = min(state.replicas[index].failures - 1, 10)
            let pause = min(firstEjection * (1 << doublings), longestEjection)
            state.replicas[index].ejectedUntil = now + pause
        }
    }
}
