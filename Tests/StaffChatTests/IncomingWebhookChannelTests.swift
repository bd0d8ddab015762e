import AsyncHTTPClient
import ChannelStandins
import StaffChat
import Testing

@Suite struct IncomingWebhookChannelTests {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: StaffChatHTTP.clientConfiguration())
    let secret = "T0001/B0002/s3cr3tW3bh00k"

    func withStandin(_ body: (IncomingWebhookStandin, ChannelStandinServer) async throws -> Void) async throws {
        let standin = IncomingWebhookStandin(secretPath: secret)
        let server = try await ChannelStandinServer.start([standin])
        do {
            try await body(standin, server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func anAlertIsPostedAsTextAndAColouredAttachment() async throws {
        try await withStandin { (standin, server) async throws in
            let channel = IncomingWebhookChannel(url: server.baseURL + standin.path, client: Self.client)
            let alert = StaffAlert(
                title: "Billing <run> failed", text: "3 of 1200 accounts & counting", severity: .critical,
                link: "https://grafana.example.ru/d/billing")
            #expect(try await channel.post(alert) == .delivered)
            let post = try #require(standin.posts.first)
            #expect(post.text == "🔴 Billing &lt;run&gt; failed")
            #expect(post.attachments.first?.colour == "#D0021B")
            #expect(post.attachments.first?.title == "Billing &lt;run&gt; failed")
            #expect(post.attachments.first?.text == "3 of 1200 accounts &amp; counting")
            #expect(post.attachments.first?.fallback == "🔴 Billing <run> failed")
        }
    }

    @Test func aWrongURLIsRefusedAndARateLimitRetried() async throws {
        try await withStandin { (standin, server) async throws in
            let wrong = IncomingWebhookChannel(url: server.baseURL + "/services/T0001/B0002/guess", client: Self.client)
            #expect(try await wrong.post(StaffAlert(title: "x")) == .refused(status: 404, reason: "no_service"))
            standin.rateLimitNext(retryAfter: [7])
            let channel = IncomingWebhookChannel(url: server.baseURL + standin.path, client: Self.client)
            #expect(try await channel.post(StaffAlert(title: "x")) == .retry(after: .seconds(7)))
            #expect(try await channel.post(StaffAlert(title: "x")) == .delivered)
            #expect(standin.posts.count == 1)
        }
    }

    @Test func theURLIsInNoDescription() {
        let channel = IncomingWebhookChannel(url: "https://hooks.slack.com/services/\(secret)", client: Self.client)
        var dumped = ""
        dump(channel, to: &dumped)
        for text in ["\(channel)", String(reflecting: channel), dumped] { #expect(!text.contains("s3cr3t"), "\(text)") }
        #expect("\(channel)".contains("hooks.slack.com"))
    }

    @Test func aClosedPortIsUnreachableAndTheURLIsNotTold() async throws {
        let channel = IncomingWebhookChannel(url: "http://127.0.0.1:1/services/\(secret)", client: Self.client)
        await #expect {
            _ = try await channel.post(StaffAlert(title: "x"))
        } throws: { error in
            guard case .unreachable = error as? StaffChatError else { return false }
            return !"\(error)".contains("s3cr3t") && "\(error)".contains("127.0.0.1")
        }
    }
}
