import ArgumentParser
import Foundation
import SMTP

/// Sends `--messages` e-mails through our SMTP client's pool of `--connections` connections (as `smtp-source -s N -d`
/// keeps N sessions sending), `--per-connection` messages in flight on each; prints messages/s.
struct SMTPLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "smtp", abstract: "Send e-mails through the SMTP client and print messages/s.")

    @Option(help: "The server, smtp://host:port?tls=none for a local sink.")
    var url: String

    @Option(help: "Connections in the pool.")
    var connections: Int = 10

    @Option(help: "Messages in flight on each connection (the next one's commands pipelined behind the current message).")
    var perConnection: Int = 4

    @Option(help: "Messages to send.")
    var messages: Int = 20_000

    @Option(help: "Bytes of each message's body.")
    var size: Int = 2_048

    func run() async throws {
        let configuration = try SMTPConfiguration(url: url, clientName: "lastmile-bench.local")
        let client = SMTPClient(configuration: configuration, maximumConnections: connections, messagesPerConnection: max(1, perConnection))
        let line = String(repeating: "x", count: 78)
        let body = Array(repeating: line, count: max(1, size / 80)).joined(separator: "\r\n")
        let clock = ContinuousClock()
        let (elapsed, sent, failed) = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            let start = clock.now
            let counts = await withTaskGroup(of: (Int, Int).self) { senders in
                let workers = connections * max(1, perConnection)
                for worker in 0..<workers {
                    senders.addTask {
                        var (sent, failed) = (0, 0)
                        var n = worker
                        while n < messages {
                            let message = MailMessage(
                                from: MailAddress("bench@lastmile.local"), to: [MailAddress("sink\(n % 100)@lastmile.local")],
                                subject: "Message \(n)", text: body, messageID: "\(n).\(UUID().uuidString)@lastmile.local")
                            do {
                                let report = try await client.send(message)
                                if report.accepted.count == 1 { sent += 1 } else { failed += 1 }
                            } catch {
                                failed += 1
                            }
                            n += workers
                        }
                        return (sent, failed)
                    }
                }
                return await senders.reduce(into: (0, 0)) { $0 = ($0.0 + $1.0, $0.1 + $1.1) }
            }
            return (secondsIn(clock.now - start), counts.0, counts.1)
        }
        note("smtp: \(sent) sent, \(failed) failed, \(connections) connections, \(size)-byte bodies, \(String(format: "%.2f", elapsed)) s")
        print("messages_per_second=\(formatRate(Double(sent) / elapsed)) sent=\(sent) errors=\(failed) connections=\(connections)")
    }
}
