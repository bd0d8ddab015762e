import ServiceLifecycle
import Synchronization

/// Holds back services that need the schema until the start-up hook has migrated the database.
final class StartGate: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Lets every waiter through, now and later.
    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the gate is open.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLock { state -> Bool in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }
}

/// Runs `service` once the gate opens; ends at once if shutdown comes first.
struct GatedService: Service {
    let gate: StartGate
    let service: any Service

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskCancellationHandler {
                await gate.wait()
            } onCancel: {
                gate.open()
            }
            guard !Task.isCancelled else { return }
            try await service.run()
        }
    }
}
