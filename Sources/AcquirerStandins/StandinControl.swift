import Foundation
import Hummingbird

/// How a stand-in misbehaves, switched at run time by tests (``StandinControl``) or over
/// `POST /standin/behaviour` (JSON of this type) by scripts and benchmarks.
public struct StandinBehaviour: Codable, Sendable, Hashable {
    /// Milliseconds every API answer waits before it is sent.
    public var latencyMilliseconds: Int = 0
    /// Never answer API calls (until the client gives up), doing nothing.
    public var hang = false
    /// Do the work of each API call, then answer 500 as if it had failed.
    public var failAfterWork = false
    /// Deliver every notification twice.
    public var duplicateNotifications = false

    /// Behaves well.
    public init() {}

    /// Reads the switches a script names; those it leaves out keep their defaults, so that
    /// `{"latencyMilliseconds": 2000}` alone is a behaviour.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        hang = try container.decodeIfPresent(Bool.self, forKey: .hang) ?? false
        failAfterWork = try container.decodeIfPresent(Bool.self, forKey: .failAfterWork) ?? false
        duplicateNotifications = try container.decodeIfPresent(Bool.self, forKey: .duplicateNotifications) ?? false
    }
}

/// A stand-in's behaviour switches and what it has counted, shared by its routes.
public actor StandinControl {
    /// The current behaviour.
    public private(set) var behaviour = StandinBehaviour()
    /// API calls answered, by route name, for tests that count them.
    public private(set) var calls: [String: Int] = [:]

    /// Creates a control that behaves well.
    public init() {}

    /// Replaces the behaviour.
    public func set(_ behaviour: StandinBehaviour) {
        self.behaviour = behaviour
    }

    /// Called by every API route before it works: counts the call, then waits the latency, or forever when hanging.
    public func beforeWork(_ route: String) async throws {
        calls[route, default: 0] += 1
        let behaviour = behaviour
        if behaviour.hang {
            try await Task.sleep(for: .seconds(3600))
        }
        if behaviour.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(behaviour.latencyMilliseconds))
        }
    }

    /// Called by every API route after it did its work: throws a 500 when told to fail after working.
    public func afterWork() throws {
        if behaviour.failAfterWork { throw HTTPError(.internalServerError, message: "stand-in: failed after doing the work") }
    }

    /// How many times each notification is delivered.
    public var deliveries: Int { behaviour.duplicateNotifications ? 2 : 1 }
}
