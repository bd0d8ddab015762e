import NIOCore

/// A task executor that runs jobs on one event loop: the executor behind ``RESPConnection/taskExecutor``.
///
/// A task that prefers it (`Task(executorPreference:)`, `addTask(executorPreference:)` or
/// `withTaskExecutorPreference`) runs its nonisolated code on the event loop that reads the connection's replies, so
/// awaiting a reply resumes on the thread that decoded it, without waking another thread.
final class RESPEventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
