import AsyncHTTPClient
import ChannelStandins
import Foundation
import NIOCore
import NIOHTTP1
import StaffChat
import Testing

@Suite struct TelegramBotChannelTests {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: StaffChatHTTP.clientConfiguration())
    let token = "123456:AAH-s3cr3t-t0k3n"
    let chat = "-1001234567890"

    func withStandin(_ body: (TelegramStandin, ChannelStandinServer) async throws -> Void) async throws {
        let standin = TelegramStandin(token: token, chats: [chat])
        let server = try await ChannelStandinServer.start([standin])
        do {
            try await body(standin, server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func channel(_ server: ChannelStandinServer, token: String? = nil, chat: String? = nil) -> TelegramBotChannel {
        TelegramBotChannel(token: token ?? self.token, chatID: chat ?? self.chat, baseURL: server.baseURL, client: Self.client)
    }

    @Test func anAlertIsSentAsHTMLWithItsMarkupEscaped() async throws {
        try await withStandin { (standin, server) async throws in
            let alert = StaffAlert(title: "RADIUS <nas-3> down", text: "Sessions: 0 & falling\n\"since\" 03:10", severity: .warning)
            #expect(try await channel(server).post(alert) == .delivered)
            let message = try #require(standin.messages.first)
            #expect(message.parseMode == "HTML")
            #expect(message.chatID == chat)
            #expect(message.text == "⚠️ RADIUS <nas-3> down\n\nSessions: 0 & falling\n\"since\" 03:10")
            #expect(message.bold == ["RADIUS <nas-3> down"])
            #expect(!message.silent)
            #expect(message.threadID == nil)
        }
    }

    @Test func informationIsSilentAndGoesToItsTopic() async throws {
        try await withStandin { (standin, server) async throws in
            let topic = TelegramBotChannel(token: token, chatID: chat, threadID: 42, baseURL: server.baseURL, client: Self.client)
            #expect(try await topic.post(StaffAlert(title: "Nightly backup done", severity: .info)) == .delivered)
            let message = try #require(standin.messages.first)
            #expect(message.silent)
            #expect(message.threadID == "42")
            #expect(message.text == "ℹ️ Nightly backup done")
            #expect(try await topic.post(StaffAlert(title: "Disk full on db-1", severity: .critical)) == .delivered)
            #expect(try await topic.post(StaffAlert(title: "Disk full on db-1", severity: .resolved)) == .delivered)
            #expect(standin.messages.map(\.silent) == [true, false, true])
            #expect(standin.messages.last?.text == "✅ Disk full on db-1")
        }
    }

    @Test func aLongTextIsCutToTelegramsLimitAfterEntities() async throws {
        try await withStandin { (standin, server) async throws in
            // Each < is four characters once escaped: the sent text is far over 4096, what is read is not.
            let alert = StaffAlert(title: "Log", text: String(repeating: "<", count: 3000) + String(repeating: "ж", count: 3000))
            #expect(try await channel(server).post(alert) == .delivered)
            let message = try #require(standin.messages.first)
            #expect(message.text.utf16.count == TelegramBotChannel.maximumTextLength)
            #expect(message.text.hasSuffix("ж…"))
            #expect(message.sentText.utf16.count > 4096)
        }
    }

    @Test func refusalsAndRateLimitsAreTold() async throws {
        try await withStandin { (standin, server) async throws in
            #expect(try await channel(server, token: "123456:wrong").post(StaffAlert(title: "x")) == .refused(status: 401, reason: "Unauthorized"))
            #expect(
                try await channel(server, chat: "-100999").post(StaffAlert(title: "x"))
                    == .refused(status: 400, reason: "Bad Request: chat not found"))
            standin.rateLimitNext(retryAfter: [5])
            #expect(try await channel(server).post(StaffAlert(title: "x")) == .retry(after: .seconds(5)))
            #expect(try await channel(server).post(StaffAlert(title: "x")) == .delivered)
            #expect(standin.messages.count == 1)
        }
    }

    @Test func theStandinRefusesWhatTelegramRefuses() async throws {
        try await withStandin { (standin, server) async throws in
            for (body, description) in [
                (#"{"chat_id":"\#(chat)","text":"<script>x</script>","parse_mode":"HTML"}"#, "Bad Request: can't parse entities"),
                (#"{"chat_id":"\#(chat)","text":"a & b","parse_mode":"HTML"}"#, "Bad Request: can't parse entities"),
                (#"{"text":"x"}"#, "Bad Request: chat_id is empty"),
                (#"{"chat_id":"\#(chat)","text":"<b></b>","parse_mode":"HTML"}"#, "Bad Request: message text is empty"),
                (#"{"chat_id":"\#(chat)","text":"\#(String(repeating: "a", count: 4097))"}"#, "Bad Request: message is too long"),
            ] {
                var request = HTTPClientRequest(url: "\(server.baseURL)/bot\(token)/sendMessage")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await Self.client.execute(request, timeout: .seconds(10))
                let answer = try await response.body.collect(upTo: 1 << 16)
                let object = try JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any]
                #expect(response.status.code == 400)
                #expect(object?["ok"] as? Bool == false)
                #expect((object?["description"] as? String)?.hasPrefix(description) == true, "\(body)")
            }
            #expect(standin.messages.isEmpty)
        }
    }

    @Test func theTokenIsInNoDescription() {
        let channel = TelegramBotChannel(token: token, chatID: chat, client: Self.client)
        var dumped = ""
        dump(channel, to: &dumped)
        for text in ["\(channel)", String(reflecting: channel), dumped] { #expect(!text.contains("s3cr3t"), "\(text)") }
    }

    @Test func aClosedPortIsUnreachableAndTheTokenIsNotTold() async throws {
        let channel = TelegramBotChannel(token: token, chatID: chat, baseURL: "http://127.0.0.1:1", client: Self.client)
        await #expect {
            _ = try await channel.post(StaffAlert(title: "x"))
        } throws: { error in
            guard case .unreachable = error as? StaffChatError else { return false }
            return !"\(error)".contains("s3cr3t")
        }
    }
}
