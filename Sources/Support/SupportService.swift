import Blobs
import Contracts
import Foundation
import Kernel
import Logging
import Messaging
import ServiceKit
import Storage
import Synchronization

/// The support service (seed: Support Service): tickets with explained priority, fair assignment, SLA clocks and
/// the ticket events the seed fans out.
public final class SupportService: SupportAPI {
    let database: any Database
    let settings: SupportSettings
    let clock: any WallClock
    let logger: Logger
    let ticketClock: TicketClock
    /// Wakes the assigner when a ticket or an operator becomes available.
    let assignmentSignal = WakeSignal()
    /// Where attachments' bytes live.
    let blobs: any BlobStore
    /// The priority rules and known outages, read at most every two seconds.
    let deskCache = DeskCache()
    /// The rating links' key, once read.
    let ratingKeyCache = Mutex<Data?>(nil)

    /// Creates the service over a database migrated with ``SupportMigrations/set`` and `BlobsMigrations.set`;
    /// attachments go to `blobs`, by default that database's `blobs` table.
    public init(
        database: any Database, settings: SupportSettings = SupportSettings(), clock: any WallClock = SystemClock(),
        blobs: (any BlobStore)? = nil, logger: Logger = Logger(label: "lastmile.support")
    ) {
        self.blobs = blobs ?? DatabaseBlobStore(database: database, clock: clock)
        self.database = database
        self.settings = settings
        ticketClock = TicketClock(settings: settings)
        self.clock = clock
        self.logger = logger
    }

    // MARK: Tickets

    /// Opens a ticket: priority and category from the rules, the first message, `ticket.created` in the same
    /// transaction; the assigner is woken to find it an operator.
    public func createTicket(_ input: NewTicket, requester: TicketRequester) async throws -> Ticket {
        let subject = try TicketRules.subject(input.subject)
        let text = try TicketRules.text(input.text, field: "text")
        let requester = try TicketRules.requester(requester)
        let about = try TicketRules.about(input.about)
        let now = clock.now()
        let desk = try await deskCache.snapshot { [database] in
            (try await RulesStore.rules(in: database) ?? PriorityRule.defaults, try await RulesStore.outages(in: database))
        }
        let rules = desk.rules
        let window = rules.compactMap { $0.when.kind == .repeated && $0.enabled ? $0.when.days : nil }.max() ?? 0
        let recent =
            window > 0
            ? try await TicketStore.recent(customerID: requester.customerId, since: now.addingTimeInterval(-Double(window) * 86_400), in: database)
            : []
        let outage = desk.outages.first { $0.covers(requester.address) }?.title
        let facts = PriorityDecision.Facts(
            recentTickets: { category, days in
                let since = now.addingTimeInterval(-Double(days) * 86_400)
                return recent.filter { $0.0 == category && $0.1 >= since }.count
            }, outage: outage)
        let decision = PriorityDecision.decide(
            NewTicket(subject: subject, text: text, category: input.category, about: about), requester: requester, rules: rules, facts: facts)
        var record = TicketRecord(
            id: Identifier<Ticket>.generate().rawValue, number: 0, customerID: requester.customerId, userID: requester.userId,
            customerName: requester.name, subject: subject, requestedCategory: input.category, category: decision.category,
            priority: decision.priority, reasons: decision.reasons, status: .new, locale: requester.locale, address: requester.address,
            about: about, assigneeID: nil, createdAt: now, updatedAt: now, firstRespondedAt: nil, awaitingReplySince: nil, waitingSince: nil,
            paused: [], resolvedAt: nil, closedAt: nil, slaDueAt: nil, slaWarnAt: nil)
        record.clockChanged(ticketClock, at: now)
        let message = TicketMessage(
            id: Identifier<TicketMessage>.generate().rawValue, author: .customer, from: TicketParticipant(id: requester.userId, name: requester.name),
            isInternal: false, text: text, createdAt: now)
        let created = try await requestTransaction { [record] tx in
            var record = record
            record.number = try await TicketStore.create(record, first: message, in: tx)
            try await Outbox.append(
                TicketCreated(
                    ticketId: record.id, number: record.number, customerId: record.customerID, userId: record.userID, category: record.category,
                    priority: record.priority, subject: record.subject, address: record.address, locale: record.locale), at: now, in: tx)
            return record
        }
        assignmentSignal.wake()
        return try await view(created, messages: [message], viewer: .customer(userID: requester.userId), now: now)
    }

    /// One ticket as `viewer` may see it.
    public func ticket(id: String, viewer: TicketViewer) async throws -> Ticket {
        guard let record = try await TicketStore.find(id: id, in: database), Self.may(viewer, see: record) else { throw SupportError.notFound }
        return try await view(record, viewer: viewer, in: database)
    }

    /// A customer's own tickets, newest first.
    public func tickets(ofUser userID: String, page: PageRequest) async throws -> Page<TicketSummary> {
        let position = try TicketRules.cursor(page.cursor, as: TicketPosition.self)
        let records = try await TicketStore.ofUser(userID, after: position, limit: page.limit + 1, in: database)
        let shown = Array(records.prefix(page.limit))
        let next = records.count > page.limit ? shown.last.map { TicketRules.cursorText(TicketPosition(t: $0.createdAt, i: $0.id)) } : nil
        return Page(items: try await summaries(shown), nextCursor: next)
    }

    /// Operators' queues.
    public func tickets(matching filter: TicketFilter, operatorID: String, page: PageRequest) async throws -> Page<TicketSummary> {
        let position = try TicketRules.cursor(page.cursor, as: QueueStore.Position.self)
        var filter = filter
        filter.text = try TicketRules.search(filter.text)
        let (records, last) = try await QueueStore.page(
            filter, operatorID: operatorID, now: clock.now(), after: position, limit: page.limit, in: database)
        return Page(items: try await summaries(records), nextCursor: last.map(TicketRules.cursorText))
    }

    /// Adds a message as `viewer`.
    public func addMessage(ticketID: String, _ message: NewTicketMessage, viewer: TicketViewer) async throws -> Ticket {
        try await addMessage(ticketID: ticketID, message, viewer: viewer, attaching: nil)
    }

    /// Adds a message as `viewer`; `attaching` writes its files in the same transaction.
    func addMessage(
        ticketID: String, _ message: NewTicketMessage, viewer: TicketViewer,
        attaching: (@Sendable (TicketMessage, any SQLExecutor) async throws -> [TicketAttachment])?
    ) async throws -> Ticket {
        let text = try TicketRules.text(message.text, field: "text")
        if case .customer = viewer, message.isInternal {
            throw SupportError.invalidField(field: "isInternal", reason: "only operators write internal notes")
        }
        let now = clock.now()
        let operatorName: String? = if case .staff(let id) = viewer { try await AgentStore.find(userID: id, in: database)?.name } else { nil }
        let record = try await database.transaction { tx in
            guard var record = try await TicketStore.find(id: ticketID, forUpdate: true, in: tx), Self.may(viewer, see: record) else {
                throw SupportError.notFound
            }
            let from = record.status
            let author: TicketMessage.Author
            let participant: TicketParticipant
            var changedBy: String?
            switch viewer {
            case .customer:
                guard record.status != .closed else {
                    throw SupportError.invalidTransition(from: .closed, to: .open)
                }
                author = .customer
                participant = TicketParticipant(id: record.userID, name: record.customerName)
                if record.awaitingReplySince == nil { record.awaitingReplySince = now }
                if record.status == .waitingForCustomer || record.status == .resolved { TicketWorkflow.move(&record, to: .open, at: now) }
            case .staff(let operatorID):
                author = .operator
                participant = TicketParticipant(id: operatorID, name: operatorName ?? SupportTexts.staffName(locale: record.locale))
                changedBy = operatorID
                if !message.isInternal {
                    if record.firstRespondedAt == nil { record.firstRespondedAt = now }
                    record.awaitingReplySince = nil
                    if record.status == .new { TicketWorkflow.move(&record, to: .open, at: now) }
                }
            }
            record.updatedAt = now
            record.clockChanged(ticketClock, at: now)
            var added = TicketMessage(
                id: Identifier<TicketMessage>.generate().rawValue, author: author, from: participant, isInternal: message.isInternal, text: text,
                createdAt: now)
            try await TicketStore.insertMessage(added, ticketID: record.id, in: tx)
            if let attaching { added.attachments = try await attaching(added, tx) }
            try await TicketStore.index(added.text, ticketID: record.id, in: tx)
            try await TicketStore.update(record, in: tx)
            try await Self.publishMessage(added, of: record, at: now, in: tx)
            if from != record.status { try await Self.publishStatus(of: record, from: from, by: changedBy, at: now, in: tx) }
            return record
        }
        return try await view(record, viewer: viewer, in: database)
    }

    /// Moves a ticket along its workflow.
    public func changeStatus(ticketID: String, to status: TicketStatus, operatorID: String) async throws -> Ticket {
        // Read before the transaction: the key may be made on first use, in a statement of its own.
        let ratingToken = status == .resolved ? try await ratingToken(for: ticketID) : nil
        let now = clock.now()
        let record = try await database.transaction { [self] tx in
            guard var record = try await TicketStore.find(id: ticketID, forUpdate: true, in: tx) else { throw SupportError.notFound }
            let from = record.status
            guard TicketWorkflow.allows(from, status) else { throw SupportError.invalidTransition(from: from, to: status) }
            TicketWorkflow.move(&record, to: status, at: now)
            record.clockChanged(ticketClock, at: now)
            try await TicketStore.update(record, in: tx)
            try await Self.publishStatus(
                of: record, from: from, by: operatorID, ratingURL: ratingToken.map { ratingURL(for: record, token: $0) }, at: now, in: tx)
            if let ratingToken, record.rating == nil {
                let message = TicketMessage(
                    id: Identifier<TicketMessage>.generate().rawValue, author: .system,
                    from: TicketParticipant(id: nil, name: SupportTexts.systemName(locale: record.locale)), isInternal: false,
                    text: ratingMessage(for: record, token: ratingToken), createdAt: now)
                try await TicketStore.insertMessage(message, ticketID: record.id, in: tx)
                try await Self.publishMessage(message, of: record, at: now, in: tx)
            }
            return record
        }
        if !status.isActive { assignmentSignal.wake() }
        return try await view(record, viewer: .staff(operatorID), in: database)
    }

    /// Gives a ticket to an operator, or back to the queue.
    public func assign(ticketID: String, to assigneeID: String?, operatorID: String) async throws -> Ticket {
        let now = clock.now()
        let record = try await database.transaction { tx in
            guard var record = try await TicketStore.find(id: ticketID, forUpdate: true, in: tx) else { throw SupportError.notFound }
            guard record.status.isActive else { throw SupportError.invalidTransition(from: record.status, to: record.status) }
            var name: String?
            if let assigneeID {
                guard let agent = try await AgentStore.find(userID: assigneeID, in: tx) else { throw SupportError.agentNotFound }
                name = agent.name
            }
            guard record.assigneeID != assigneeID else { return record }
            let previous = record.assigneeID
            record.assigneeID = assigneeID
            record.updatedAt = now
            try await TicketStore.update(record, in: tx)
            try await Outbox.append(
                TicketAssigned(
                    ticketId: record.id, number: record.number, customerId: record.customerID, assigneeId: assigneeID, assigneeName: name,
                    previousAssigneeId: previous, priority: record.priority, category: record.category), at: now, in: tx)
            return record
        }
        assignmentSignal.wake()
        return try await view(record, viewer: .staff(operatorID), in: database)
    }

    /// A request-sized transaction: on PostgreSQL its statements run on the connection's event loop, without a hop
    /// between that loop and the task pool per statement.
    func requestTransaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        guard let postgres = database as? PostgresDatabase else { return try await database.transaction(body) }
        return try await postgres.transaction(onConnectionEventLoop: true, body)
    }

    // MARK: Views

    static func may(_ viewer: TicketViewer, see record: TicketRecord) -> Bool {
        if case .customer(let userID) = viewer { return record.userID == userID }
        return true
    }

    func view(_ record: TicketRecord, viewer: TicketViewer, in db: any SQLExecutor) async throws -> Ticket {
        let isStaff = if case .staff = viewer { true } else { false }
        let messages = try await TicketStore.messages(ticketID: record.id, includeInternal: isStaff, in: db)
        return try await view(record, messages: messages, viewer: viewer, now: clock.now())
    }

    func view(_ record: TicketRecord, messages: [TicketMessage], viewer: TicketViewer, now: Date) async throws -> Ticket {
        let isStaff = if case .staff = viewer { true } else { false }
        let assignee = try await participants(for: [record])[record.id] ?? nil
        return Ticket(
            summary: record.summary(assignee: assignee), requestedCategory: record.requestedCategory, about: record.about,
            reasons: isStaff ? record.reasons : [], locale: record.locale, messages: messages.filter { isStaff || !$0.isInternal },
            sla: ticketClock.view(of: record, at: now), firstRespondedAt: record.firstRespondedAt, resolvedAt: record.resolvedAt,
            closedAt: record.closedAt, mergedInto: record.mergedInto, rating: record.rating)
    }

    private func summaries(_ records: [TicketRecord]) async throws -> [TicketSummary] {
        let assignees = try await participants(for: records)
        return records.map { $0.summary(assignee: assignees[$0.id] ?? nil) }
    }

    /// The assignee of each ticket as customers see them (by name).
    private func participants(for records: [TicketRecord]) async throws -> [String: TicketParticipant?] {
        let ids = Set(records.compactMap(\.assigneeID))
        guard !ids.isEmpty else { return [:] }
        let names = try await AgentStore.names(of: ids, in: database)
        return Dictionary(
            uniqueKeysWithValues: records.map { record in
                (record.id, record.assigneeID.map { TicketParticipant(id: $0, name: names[$0] ?? SupportTexts.staffName(locale: record.locale)) })
            })
    }

    // MARK: Events

    static func publishMessage(_ message: TicketMessage, of record: TicketRecord, at now: Date, in tx: any SQLExecutor) async throws {
        try await Outbox.append(
            TicketMessageAdded(
                ticketId: record.id, number: record.number, customerId: record.customerID, userId: record.userID, messageId: message.id,
                author: message.author, isInternal: message.isInternal, assigneeId: record.assigneeID, locale: record.locale), at: now, in: tx)
    }

    static func publishStatus(
        of record: TicketRecord, from: TicketStatus, by: String?, ratingURL: String? = nil, at now: Date, in tx: any SQLExecutor
    ) async throws {
        try await Outbox.append(
            TicketStatusChanged(
                ticketId: record.id, number: record.number, customerId: record.customerID, userId: record.userID, from: from, to: record.status,
                changedBy: by, category: record.category, priority: record.priority, assigneeId: record.assigneeID, locale: record.locale,
                ratingURL: ratingURL),
            at: now, in: tx)
    }
}
