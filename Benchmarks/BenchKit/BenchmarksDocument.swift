import Foundation

/// docs/benchmarks.md: one `## name` section per benchmark, each replaced whole by its benchmark's run.
public enum BenchmarksDocument {
    /// `document` with the section headed `## name` replaced by `section` (ending in one newline), or with `section`
    /// appended after a blank line when there is none; every other section stays as it is.
    public static func replacing(section name: String, in document: String, with section: String) -> String {
        let body = section.trimmingCharacters(in: .newlines) + "\n"
        var lines = document.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "## \(name)" }) else {
            return document.trimmingCharacters(in: .newlines) + "\n\n" + body
        }
        let end = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix("## ") }) ?? lines.count
        let before = lines[..<start].map { $0 + "\n" }.joined()
        let after = lines[end...].map { $0 + "\n" }.joined()
        return before + body + (after.isEmpty ? "" : "\n" + after)
    }

    /// Replaces the section in the file at `path` (creating it with a `# Benchmarks` title when missing).
    public static func write(section name: String, _ section: String, to path: String) throws {
        let document = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Benchmarks\n"
        try replacing(section: name, in: document, with: section).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
