import Contracts
import Foundation
import Kernel
import Logging
import Storage

extension NotificationsService {
    /// Sends what is due: takes back deliveries whose sender died, claims up to a few batches of due deliveries, and
    /// sends them through their channels, ``NotificationsSettings/concurrentSends`` at a time, outside any
    /// transaction; each outcome is recorded as it comes. Returns how many it sent or settled.
    public func sendDue() async throws -> Int {
        let now = clock.now()
        try await DeliveryStore.recoverExpired(now: now, in: database)
        let claimed = try await DeliveryStore.claimDue(
            now: now, leaseUntil: now.addingTimeInterval(settings.lease), limit: settings.concurrentSends * 4, in: database)
        guard !claimed.isEmpty else { return 0 }
        let batches = try await digests(of: claimed, now: now)
        let width = max(1, settings.concurrentSends)
        await withTaskGroup(of: Void.self) { group in
            var next = batches.makeIterator()
            for _ in 0..<width {
                guard let batch = next.next() else { break }
                group.addTask { await self.attempt(batch) }
            }
            while await group.next() != nil {
                guard let batch = next.next() else { continue }
                group.addTask { await self.attempt(batch) }
            }
        }
        return claimed.count
    }

    /// Groups what goes out together: pushes and texts of one kind to one device or phone go as one message (the first,
    /// saying how many more there are); one that follows another sent within the digest window waits for its end.
    private func digests(of claimed: [DeliveryRecord], now: Date) async throws -> [[DeliveryRecord]] {
        let window = settings.digestWindow
        var batches: [[DeliveryRecord]] = []
        var open: [String: Int] = [:]
        // Oldest first: a digest leads with the first of its burst.
        for d in claimed.sorted(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
            guard rateLimiter.take(d.channel, at: now) else {
                try await DeliveryStore.postpone(id: d.id, until: now.addingTimeInterval(1), detail: "waiting for the provider's rate", in: database)
                continue
            }
            guard window > 0, !d.critical, [.push, .webPush, .sms].contains(d.channel) else {
                batches.append([d])
                continue
            }
            let key = "\(d.userID)\n\(d.channel.rawValue)\n\(d.address)\n\(d.kind)"
            if let index = open[key] {
                batches[index].append(d)
                continue
            }
            if let last = try await DeliveryStore.lastSent(
                userID: d.userID, channel: d.channel, address: d.address, kind: d.kind, since: now.addingTimeInterval(-window), in: database)
            {
                try await DeliveryStore.postpone(id: d.id, until: last.addingTimeInterval(window), detail: "held for a digest", in: database)
                continue
            }
            open[key] = batches.count
            batches.append([d])
        }
        return batches
    }

    /// One attempt of a delivery, with the others of its digest riding along; recorded whatever happens.
    func attempt(_ batch: [DeliveryRecord]) async {
        guard var d = batch.first else { return }
        if batch.count > 1 {
            let more = batch.count - 1
            d.body += d.locale == "en" ? " (and \(more) more)" : " (и ещё \(more))"
        }
        await attempt(d)
        for rider in batch.dropFirst() {
            do {
                try await DeliveryStore.finish(
                    id: rider.id, state: .sent, detail: "sent in one digest with \(d.id)", providerID: nil, sentAt: clock.now(), dueAt: nil,
                    in: database)
            } catch {
                logger.error("delivery outcome not recorded", metadata: ["delivery": "\(rider.id)", "error": "\(error)"])
            }
        }
    }

    /// One attempt of one delivery, recorded whatever happens.
    func attempt(_ d: DeliveryRecord) async {
        do {
            try await record(d, await outcome(of: d))
        } catch {
            // The lease runs out and the delivery is taken back: nothing is lost.
            logger.error("delivery outcome not recorded", metadata: ["delivery": "\(d.id)", "error": "\(error)"])
        }
    }

    private enum Verdict {
        case outcome(DeliveryOutcome)
        case suppressed(String)
    }

    private func outcome(of d: DeliveryRecord) async throws -> Verdict {
        guard let channel = channels[d.channel] else { return .outcome(.failed(detail: "the \(d.channel.rawValue) channel is not configured")) }
        var target: PushTarget?
        if let deviceID = d.deviceID {
            guard let device = try await DeviceStore.find(id: deviceID, in: database), device.userID == d.userID else {
                return .suppressed("the device was removed")
            }
            guard channel.serves(device.platform) else {
                return .outcome(.failed(detail: "no \(device.platform.rawValue) provider is configured"))
            }
            target = device.target
        }
        if d.channel == .sms {
            let since = Self.startOfDay(clock.now(), zone: settings.timeZone)
            if try await DeliveryStore.smsSent(userID: d.userID, since: since, in: database) >= settings.smsDailyCap {
                return .suppressed("the daily cap of \(settings.smsDailyCap) text messages is reached")
            }
        }
        let message = OutgoingMessage(
            deliveryID: d.id, kind: d.kind, address: d.address, device: target, title: d.subject ?? "", body: d.body, html: d.html,
            url: d.link.map { $0.hasPrefix("http") ? $0 : settings.publicBaseURL + $0 }, locale: d.locale, critical: d.critical,
            unsubscribeURL: d.unsubscribeURL)
        return .outcome(await channel.send(message))
    }

    private func record(_ d: DeliveryRecord, _ verdict: Verdict) async throws {
        try await settle(d, verdict)
        // A reset link is kept only as long as it may still have to be sent.
        if NotificationRule.all[d.kind]?.secret == true {
            if case .outcome(.retry) = verdict, d.attempts < settings.maximumAttempts { return }
            try await DeliveryStore.wipe(deliveryID: d.id, notificationID: d.notificationID, in: database)
        }
    }

    private func settle(_ d: DeliveryRecord, _ verdict: Verdict) async throws {
        let now = clock.now()
        switch verdict {
        case .suppressed(let reason):
            try await DeliveryStore.finish(id: d.id, state: .suppressed, detail: reason, providerID: nil, sentAt: nil, dueAt: nil, in: database)
        case .outcome(.sent(let providerID, let detail)):
            try await DeliveryStore.finish(id: d.id, state: .sent, detail: detail, providerID: providerID, sentAt: now, dueAt: nil, in: database)
        case .outcome(.unconfirmed(let detail)):
            try await DeliveryStore.finish(id: d.id, state: .unconfirmed, detail: detail, providerID: nil, sentAt: now, dueAt: nil, in: database)
        case .outcome(.failed(let detail)):
            try await DeliveryStore.finish(id: d.id, state: .failed, detail: detail, providerID: nil, sentAt: nil, dueAt: nil, in: database)
        case .outcome(.bounced(let detail)):
            try await database.transaction { tx in
                try await DeliveryStore.finish(id: d.id, state: .bounced, detail: detail, providerID: nil, sentAt: nil, dueAt: nil, in: tx)
                // A dead token is forgotten, so nothing is sent to it again.
                if let deviceID = d.deviceID { try await DeviceStore.delete(id: deviceID, userID: nil, in: tx) }
            }
        case .outcome(.retry(let after, let detail)):
            guard d.attempts < settings.maximumAttempts else {
                try await DeliveryStore.finish(
                    id: d.id, state: .failed, detail: "gave up after \(d.attempts) attempts: \(detail)", providerID: nil, sentAt: nil, dueAt: nil,
                    in: database)
                return
            }
            let due = now.addingTimeInterval(retryDelay(afterAttempts: d.attempts, providerAsked: after))
            try await DeliveryStore.finish(id: d.id, state: .queued, detail: detail, providerID: nil, sentAt: nil, dueAt: due, in: database)
        }
    }

    /// Asks the SMS gateway what became of texts it accepted in the last day (each at most once a minute, up to 100 a
    /// pass), and records those it reports delivered or failed. Returns how many it asked about.
    public func checkFates() async throws -> Int {
        guard let channel = channels[.sms] else { return 0 }
        let now = clock.now()
        let pending = try await DeliveryStore.unconfirmedTexts(
            since: now.addingTimeInterval(-86_400), checkedBefore: now.addingTimeInterval(-60), limit: 100, in: database)
        for (id, providerID) in pending {
            try await DeliveryStore.checked(id: id, fate: await channel.fate(ofMessage: providerID), at: now, in: database)
        }
        return pending.count
    }

    /// Exponential backoff with jitter (half to all of the step), never sooner than the provider's `Retry-After`.
    func retryDelay(afterAttempts attempts: Int, providerAsked: Duration?) -> TimeInterval {
        let step = min(settings.firstRetryDelay * pow(2, Double(max(attempts - 1, 0))), settings.maximumRetryDelay)
        let jittered = step * Double.random(in: 0.5...1.0)
        let asked = providerAsked.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } ?? 0
        return max(jittered, min(asked, 86_400))
    }

    static func startOfDay(_ now: Date, zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.startOfDay(for: now)
    }
}
