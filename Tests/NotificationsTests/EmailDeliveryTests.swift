import Contracts
import Foundation
import Kernel
import Notifications
import Storage
import TestSupport
import Testing

/// A received e-mail as Python's `email` package reads it.
private struct ParsedMail: Decodable {
    var subject: String
    var from: String
    var to: String
    var text: String
    var html: String
    var listUnsubscribe: String?
    var messageID: String
}

private func parse(_ raw: String) throws -> ParsedMail {
    let script = """
        import email, email.policy, json, sys
        m = email.message_from_string(sys.stdin.read(), policy=email.policy.default)
        text = m.get_body(preferencelist=('plain',))
        html = m.get_body(preferencelist=('html',))
        print(json.dumps({"subject": str(m["Subject"]), "from": str(m["From"]), "to": str(m["To"]),
            "text": text.get_content() if text else "", "html": html.get_content() if html else "",
            "listUnsubscribe": str(m["List-Unsubscribe"]) if m["List-Unsubscribe"] else None, "messageID": str(m["Message-ID"])}))
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(raw.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONDecoder().decode(ParsedMail.self, from: data)
}

@Suite(
    "E-mail through a real SMTP server", .enabled(if: TestMailServer.available, "set LASTMILE_TEST_SMTP_URL, _MAILDIR and LASTMILE_TEST_TLS_CA_FILE"))
struct EmailDeliveryTests {
    private func invoice(_ customer: Customer) -> InvoiceCreated {
        InvoiceCreated(
            invoiceId: "inv-\(customer.id.prefix(8))", customerId: customer.id, number: "2026-12-0042", period: BillingPeriod(year: 2026, month: 12)!,
            total: .rub(75_000), dueOn: LocalDate(year: 2026, month: 12, day: 20)!)
    }

    @Test(arguments: DatabaseKind.available)
    func anInvoiceEmailArrivesInRussianWithTextHTMLAndTheLink(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, email: true) { h in
            let ivan = try await h.customer()
            try await h.deliver(invoice(ivan))
            try await h.settle()
            let log = try await h.deliveries(of: ivan)
            #expect(log.map(\.channel) == [.email])
            let delivery = try #require(log.first)
            #expect(delivery.state == .sent && delivery.attempts == 1 && delivery.address == ivan.email)
            #expect(delivery.detail?.hasPrefix("250") == true)
            let mail = try parse(try #require(TestMailServer.received(deliveryID: delivery.id)))
            #expect(mail.subject == "Счёт № 2026-12-0042 на 750,00\u{00A0}₽")
            #expect(mail.from == "ЛастМайл <noreply@isp.test>")
            #expect(mail.text.hasPrefix("Здравствуйте, Иван!"))
            #expect(mail.text.contains("https://my.isp.test/invoices/inv-\(ivan.id.prefix(8))"))
            #expect(mail.html.contains("href=\"https://my.isp.test/invoices/inv-\(ivan.id.prefix(8))\""))
            #expect(mail.html.contains(">Открыть счёт</a>"))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theOneClickUnsubscribeLinkTurnsThatCategorysEmailOffAndNothingElse(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, email: true) { h in
            let ivan = try await h.customer()
            try await h.deliver(invoice(ivan))
            try await h.settle()
            let first = try #require(try await h.deliveries(of: ivan).first)
            let mail = try parse(try #require(TestMailServer.received(deliveryID: first.id)))
            let header = try #require(mail.listUnsubscribe)
            #expect(header.hasPrefix("<https://my.isp.test/api/v1/notifications/unsubscribe?"))
            let link = try #require(URLComponents(string: String(header.dropFirst().dropLast())))
            func item(_ name: String) -> String { link.queryItems?.first { $0.name == name }?.value ?? "" }
            #expect(item("u") == ivan.userId && item("c") == "billing")
            #expect(mail.html.contains("Отписаться от таких писем"))
            let forged = await refusedField {
                try await h.service.unsubscribe(userID: ivan.userId, category: .billing, token: "AAAA" + item("t").dropFirst(4))
            }
            #expect(forged == "t")
            let otherCategory = await refusedField { try await h.service.unsubscribe(userID: ivan.userId, category: .support, token: item("t")) }
            #expect(otherCategory == "t", "a link unsubscribes from its own category only")
            try await h.service.unsubscribe(userID: ivan.userId, category: .billing, token: item("t"))
            let preferences = try await h.service.preferences(ofUser: ivan.userId)
            #expect(preferences.channels[.billing] == [.push, .webPush])
            #expect(preferences.channels[.support] == [.email, .push, .webPush])
            h.clock.advance(by: 60)
            try await h.deliver(
                InvoiceCreated(
                    invoiceId: "inv-2", customerId: ivan.id, number: "2027-01-0001", period: BillingPeriod(year: 2027, month: 1)!,
                    total: .rub(75_000),
                    dueOn: LocalDate(year: 2027, month: 1, day: 20)!))
            try await h.settle()
            #expect(try await h.deliveries(of: ivan).first?.state == .suppressed)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPasswordResetLinkGoesToTheAddressAskedForAndIsNotKeptOnceSent(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, email: true) { h in
            let ivan = try await h.customer()
            let token = "reset-\(UUID().uuidString)"
            try await h.deliver(
                PasswordResetRequested(userId: ivan.userId, email: "ivan.reset@isp.test", token: token, expiresAt: h.clock.now() + 1800, locale: "ru")
            )
            try await h.settle()
            let rows = try await h.database.query("SELECT id, body, address, state FROM notification_deliveries", [])
            let row = try #require(rows.first)
            #expect(try row.string("address") == "ivan.reset@isp.test" && row.string("state") == "sent")
            #expect(try row.string("body").isEmpty, "the link is not kept once sent")
            let mail = try parse(try #require(TestMailServer.received(deliveryID: try row.string("id"))))
            #expect(mail.subject == "Сброс пароля")
            #expect(mail.text.contains("https://my.isp.test/reset-password?token=\(token)"))
            #expect(mail.listUnsubscribe == nil)
            let stored = try await h.database.query("SELECT data FROM notifications", []).map { try $0.string("data") }
            #expect(stored.allSatisfy { !$0.contains(token) })
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aRefusedMailboxBouncesAndABusyOneIsRetriedWithBackoffThenGivenUp(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, email: true, configure: { $0.maximumAttempts = 2 }) { h in
            let gone = try await h.customer(email: "reject-\(UUID().uuidString.prefix(6))@isp.test")
            let busy = try await h.customer(email: "later-\(UUID().uuidString.prefix(6))@isp.test")
            try await h.deliver(invoice(gone))
            try await h.deliver(invoice(busy))
            try await h.settle()
            let bounced = try #require(try await h.deliveries(of: gone).first)
            #expect(bounced.state == .bounced)
            #expect(bounced.detail?.contains("5.1.1") == true)
            var retried = try #require(try await h.deliveries(of: busy).first)
            #expect(retried.state == .queued && retried.attempts == 1)
            let due = try #require(retried.dueAt)
            #expect(due >= h.clock.now() + 30 && due <= h.clock.now() + 60, "half to all of the first step")
            try await h.settle()
            #expect(try await h.deliveries(of: busy).first?.attempts == 1, "not before it is due")
            h.clock.advance(by: 61)
            try await h.settle()
            retried = try #require(try await h.deliveries(of: busy).first)
            #expect(retried.state == .failed && retried.attempts == 2)
            #expect(retried.detail?.hasPrefix("gave up after 2 attempts") == true)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aChannelTurnedOffIsSuppressedButCriticalMessagesStillGo(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, email: true) { h in
            let ivan = try await h.customer()
            _ = try await h.service.setPreferences(
                NotificationPreferences(channels: [.support: [], .service: [.push]], quietHours: nil, timeZone: "Europe/Moscow"), userID: ivan.userId)
            try await h.deliver(
                TicketCreated(
                    ticketId: "t-1", number: 5, customerId: ivan.id, userId: ivan.userId, category: .slowSpeed, priority: .normal,
                    subject: "Медленно",
                    address: nil, locale: "ru"))
            try await h.deliver(SubscriptionResumed(subscriptionId: "s-1", customerId: ivan.id))
            try await h.deliver(SubscriptionSuspended(subscriptionId: "s-1", customerId: ivan.id, balance: .rub(-15_000)))
            try await h.settle()
            let log = try await h.deliveries(of: ivan).sorted { $0.kind < $1.kind }
            #expect(log.map(\.kind) == ["subscription.resumed", "subscription.suspended", "ticket.created"])
            #expect(log.map(\.state) == [.suppressed, .sent, .suppressed])
            #expect(log[0].detail == "turned off in the preferences")
            #expect(TestMailServer.received(deliveryID: log[0].id) == nil)
            let mail = try parse(try #require(TestMailServer.received(deliveryID: log[1].id)))
            #expect(mail.subject == "Связь приостановлена")
            #expect(mail.listUnsubscribe == nil, "critical messages have no unsubscribe")
            // The inbox keeps a copy of everything, whatever the channels.
            #expect(try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest()).items.count == 3)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anEmailLeftSendingByACrashedSenderGoesAgainUnderTheSameMessageID(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, email: true) { h in
            let ivan = try await h.customer()
            try await h.deliver(invoice(ivan))
            while try await h.service.routePending() > 0 {}
            // What a sender that died between sending and recording leaves behind.
            try await h.database.query(
                "UPDATE notification_deliveries SET state = 'sending', lease_until = $1, attempts = 1", h.clock.now().addingTimeInterval(300))
            #expect(try await h.service.sendDue() == 0, "not while its lease runs")
            h.clock.advance(by: 301)
            try await h.settle()
            let delivery = try #require(try await h.deliveries(of: ivan).first)
            #expect(delivery.state == .sent && delivery.attempts == 2)
            #expect(try parse(try #require(TestMailServer.received(deliveryID: delivery.id))).messageID == "<\(delivery.id)@isp.test>")
        }
    }
}
