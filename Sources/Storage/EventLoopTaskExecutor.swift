import NIOCore

/// A task executor that runs jobs on one event loop: a transaction's code runs on the event loop of its connection,
/// so each statement's answer resumes it on the thread that read the answer instead of waking another thread.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
