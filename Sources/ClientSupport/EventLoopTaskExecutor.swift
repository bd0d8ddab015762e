import NIOCore

/// A task executor that runs jobs on one event loop.
///
/// A task that prefers it (`Task(executorPreference:)`, `addTask(executorPreference:)` or
/// `withTaskExecutorPreference`) runs its nonisolated code on the event loop that reads a connection's answers, so
/// awaiting an answer resumes on the thread that decoded it, without waking another thread. Storage runs a
/// PostgreSQL transaction on it; a RESP connection offers one as its `taskExecutor`.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    public let eventLoop: any EventLoop

    /// Creates an executor on `eventLoop`.
    public init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    /// Runs `job` on the event loop.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
