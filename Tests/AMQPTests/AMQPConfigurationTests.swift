import Testing

@testable import AMQP

@Suite struct AMQPConfigurationTests {
    @Test func fullURLIsPercentDecoded() throws {
        let configuration = try AMQPConfiguration(
            url: "amqp://us%40er:p%3Ass%2Fw%25rd@broker.example:5673/last%2Fmile?heartbeat=15&frame_max=65536&channel_max=64")
        #expect(configuration.host == "broker.example")
        #expect(configuration.port == 5673)
        #expect(configuration.username == "us@er")
        #expect(configuration.password == "p:ss/w%rd")
        #expect(configuration.virtualHost == "last/mile")
        #expect(configuration.tuning == AMQPTuning(channelMax: 64, frameMax: 65_536, heartbeat: 15))
    }

    @Test(arguments: ["amqp://h", "amqp://h/", "amqp://h/%2F"])
    func missingOrSlashPathMeansTheDefaultVirtualHost(url: String) throws {
        let configuration = try AMQPConfiguration(url: url)
        #expect(configuration.virtualHost == "/")
        #expect(configuration.port == 5672)
        #expect(configuration.username == "guest" && configuration.password == "guest")
    }

    @Test(arguments: ["redis://h", "amqp://", "amqps://", "not a url", "amqp://h/a/b", "amqp://h?heartbeat=soon"])
    func invalidURLsAreRefused(url: String) {
        #expect { try AMQPConfiguration(url: url) } throws: { ($0 as? AMQPError)?.code == .invalidConfiguration }
    }

    @Test func clientPropertiesAdvertiseTheCapabilitiesWeHandle() {
        var configuration = AMQPConfiguration()
        configuration.connectionName = "billing"
        let properties = configuration.clientProperties
        #expect(properties["connection_name"] == "billing")
        guard case .table(let capabilities) = properties["capabilities"] else {
            Issue.record("no capabilities table")
            return
        }
        for name in ["publisher_confirms", "basic.nack", "consumer_cancel_notify", "connection.blocked", "authentication_failure_close"] {
            #expect(capabilities[name] == true, "\(name)")
        }
    }
}
