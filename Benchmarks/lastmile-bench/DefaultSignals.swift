import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the tools the benchmarks drive (pgbench, redis-benchmark, wrk…) with the signal mask and handlers a shell
/// would give them.
///
/// Foundation starts child processes from threads that block nearly every signal, and a child inherits that mask:
/// pgbench, which ends a `-T` run on SIGALRM, then never ended (seen: `-T 20` still running after 14 minutes). So a
/// child is started as `lastmile-bench exec-with-default-signals -- TOOL ARGS…`, which clears the mask, restores the
/// default handlers and becomes the tool.
enum DefaultSignals {
    /// The first argument that asks for it.
    static let command = "exec-with-default-signals"

    /// The launcher and arguments that start `arguments` with default signals.
    static func launch(_ arguments: [String]) -> (executable: URL, arguments: [String]) {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (URL(fileURLWithPath: me), [command, "--"] + arguments)
    }

    /// When this process was started by ``launch(_:)``: clears the signal mask, restores default handlers and
    /// executes the tool (searching PATH); it returns only if that fails.
    static func execIfAsked() {
        let arguments = CommandLine.arguments
        guard arguments.count > 3, arguments[1] == command, arguments[2] == "--" else { return }
        var empty = sigset_t()
        sigemptyset(&empty)
        sigprocmask(SIG_SETMASK, &empty, nil)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD] { Glibc.signal(signal, SIG_DFL) }
        let tool = Array(arguments[3...])
        var argv = tool.map { strdup($0) } + [nil]
        execvp(tool[0], &argv)
        FileHandle.standardError.write(Data("cannot execute \(tool[0]): \(String(cString: strerror(errno)))\n".utf8))
        exit(127)
    }
}
