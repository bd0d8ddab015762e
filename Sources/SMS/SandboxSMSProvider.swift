import Foundation
import Synchronization

/// A gateway that sends nothing: it accepts every message, keeps it in memory and reports it delivered. For the
/// embedded default and demos, where a real gateway would cost money and reach real phones.
public final class SandboxSMSProvider: SMSProvider {
    /// A message it took.
    public struct Record: Sendable, Hashable {
        /// The id it gave.
        public let id: String
        /// The number it was for.
        public let number: PhoneNumber
        /// The text.
        public let text: String
        /// The sender name asked for.
        public let sender: String?
        /// The segments it would have taken.
        public let segments: SMSSegments
        /// When it was taken.
        public let sentAt: Date
    }

    /// `sandbox`.
    public let name = "sandbox"
    private let state = Mutex(State())
    private let capacity: Int

    private struct State {
        var records: [Record] = []
        var nextID = 1
    }

    /// A sandbox that keeps the last `capacity` messages.
    public init(capacity: Int = 1000) { self.capacity = capacity }

    /// Records `message` once per recipient.
    public func send(_ message: SMSMessage) async throws(SMSError) -> [SMSRecipientOutcome] {
        guard !message.recipients.isEmpty else { throw .invalidMessage("it has no recipients") }
        guard !message.text.isEmpty else { throw .invalidMessage("its text is empty") }
        let segments = message.segments
        let now = Date()
        return state.withLock { state in
            message.recipients.map { number in
                let id = "sandbox-\(state.nextID)"
                state.nextID += 1
                state.records.append(Record(id: id, number: number, text: message.text, sender: message.sender, segments: segments, sentAt: now))
                if state.records.count > capacity { state.records.removeFirst(state.records.count - capacity) }
                return SMSRecipientOutcome(number: number, outcome: .accepted(messageID: id, costKopecks: 0, segments: segments.count))
            }
        }
    }

    /// Delivered for a message it keeps; unknown otherwise.
    public func status(ofMessage id: String) async throws(SMSError) -> SMSDeliveryStatus? {
        state.withLock { state in state.records.contains { $0.id == id } } ? .delivered(costKopecks: 0) : .unknown
    }

    /// The messages it keeps, oldest first.
    public var records: [Record] { state.withLock { $0.records } }
}
