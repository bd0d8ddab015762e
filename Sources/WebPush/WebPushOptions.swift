/// How the push service is to treat a message (RFC 8030 §5.2–§5.4).
public struct WebPushOptions: Sendable, Hashable {
    /// How long the push service keeps the message for a browser that is offline, in seconds (`TTL`); 0 means deliver
    /// now or never.
    public var timeToLive: Int
    /// How soon it matters (`Urgency`): a phone on battery may hold back low-urgency messages.
    public var urgency: WebPushUrgency
    /// A message with the same topic replaces one still waiting (`Topic`); at most 32 base64url characters.
    public var topic: String?

    /// Options; `topic` is checked by ``WebPushSender`` before sending.
    public init(timeToLive: Int = 86_400, urgency: WebPushUrgency = .normal, topic: String? = nil) {
        self.timeToLive = timeToLive
        self.urgency = urgency
        self.topic = topic
    }

    /// Why these options cannot be sent, or nil when they can.
    public var problem: String? {
        if timeToLive < 0 { return "TTL is negative" }
        if let topic {
            if topic.isEmpty || topic.utf8.count > 32 { return "the topic is not 1 to 32 characters" }
            if !topic.utf8.allSatisfy(Base64URL.isAlphabet) { return "the topic is not in the base64url alphabet" }
        }
        return nil
    }
}

/// The `Urgency` header's values (RFC 8030 §5.3).
public enum WebPushUrgency: String, Sendable, Hashable, CaseIterable {
    /// Advertisements.
    case veryLow = "very-low"
    /// Topic updates.
    case low
    /// Chat messages, calendar reminders.
    case normal
    /// Incoming calls, time-sensitive alerts.
    case high
}
