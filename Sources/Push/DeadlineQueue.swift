import NIOCore

/// The deadlines of one connection's requests, on one timer: a timer per request would cost a heap insertion and a
/// linear-time cancellation on the event loop's schedule for every push. Requests are kept in deadline order (appended
/// at the back when, as usual, they share one timeout); finished ones leave from the front as the front finishes, and
/// the timer is moved only when a deadline earlier than its own arrives.
///
/// Lives on the connection's event loop: every method is called there.
final class DeadlineQueue {
    private let eventLoop: any EventLoop
    private let expired: (PendingRequest) -> Void
    private var entries = CircularBuffer<PendingRequest>()
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    /// Calls `expired` with each request whose deadline passes before it finished.
    init(eventLoop: any EventLoop, expired: @escaping (PendingRequest) -> Void) {
        self.eventLoop = eventLoop
        self.expired = expired
    }

    /// Watches `request` until its deadline.
    func add(_ request: PendingRequest) {
        let deadline = request.deadline
        if let last = entries.last, last.deadline > deadline {
            var index = entries.endIndex
            while index > entries.startIndex, entries[entries.index(before: index)].deadline > deadline { index = entries.index(before: index) }
            entries.insert(request, at: index)
        } else {
            entries.append(request)
        }
        if timerDeadline.map({ deadline < $0 }) ?? true { arm(deadline) }
    }

    /// Drops finished requests from the front.
    func prune() {
        while let first = entries.first, first.finished { entries.removeFirst() }
    }

    private func arm(_ deadline: NIODeadline) {
        timer?.cancel()
        timerDeadline = deadline
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { self.fire() }
    }

    private func fire() {
        timer = nil
        timerDeadline = nil
        let now = NIODeadline.now()
        while let first = entries.first, first.deadline <= now || first.finished {
            entries.removeFirst()
            if !first.finished { expired(first) }
        }
        if let next = entries.first { arm(next.deadline) }
    }
}
