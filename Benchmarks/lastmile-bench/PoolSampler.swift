import Foundation

/// Samples through psql, every half second until stopped, how many of `lastmile serve`'s connections to a database are
/// busy (running a statement or inside a transaction) and how many it holds: whether its pool is what limits it.
final class PoolSampler: Sendable {
    /// One look at the pool.
    struct Sample: Sendable {
        let busy: Int
        let held: Int
    }

    private let task: Task<[Sample], Never>

    /// Starts sampling `database` on the server of `url` (a superuser's URL of any database there).
    init(url: String, database: String) {
        task = Task.detached {
            var samples: [Sample] = []
            while !Task.isCancelled {
                if let sample = Self.sample(url: url, database: database) { samples.append(sample) }
                try? await Task.sleep(for: .milliseconds(500))
            }
            return samples
        }
    }

    /// Stops sampling; the samples taken.
    func stop() async -> [Sample] {
        task.cancel()
        return await task.value
    }

    private static func sample(url: String, database: String) -> Sample? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "psql", url, "-qAt", "-c",
            "SELECT count(*) FILTER (WHERE state <> 'idle'), count(*) FROM pg_stat_activity "
                + "WHERE datname = '\(database)' AND application_name = 'lastmile'",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        guard process.terminationStatus == 0, fields.count == 2, let busy = Int(fields[0]), let held = Int(fields[1]) else { return nil }
        return Sample(busy: busy, held: held)
    }
}
