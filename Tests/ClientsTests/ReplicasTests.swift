import Testing

@testable import Clients

/// Client-side balancing over a service's replicas: a failed replica is left out while others answer, never so that a
/// call is refused without trying.
@Suite("Replicas")
struct ReplicasTests {
    @Test func aFailedReplicaIsLeftOutWhileAnotherAnswers() {
        let replicas = Replicas(baseURLs: ["http://a", "http://b"], firstEjection: .seconds(3600))
        replicas.failed("http://a")
        #expect(replicas.pick() == "http://b")
        #expect(replicas.pick() == "http://b")
    }

    @Test func theOnlyAddressIsTriedAgainAfterAFailure() {
        let replicas = Replicas(baseURLs: ["http://billing:8080"], firstEjection: .seconds(3600))
        replicas.failed("http://billing:8080")
        #expect(replicas.pick() == "http://billing:8080")
        #expect(replicas.pick(excluding: ["http://billing:8080"]) == nil)
    }

    @Test func whenAllAreLeftOutTheOneWhosePauseEndsFirstIsTried() {
        let replicas = Replicas(baseURLs: ["http://a", "http://b"], firstEjection: .seconds(3600), longestEjection: .seconds(7200))
        replicas.failed("http://a")
        replicas.failed("http://a")
        replicas.failed("http://b")
        #expect(replicas.pick() == "http://b")
        #expect(replicas.pick(excluding: ["http://b"]) == "http://a")
        #expect(replicas.pick(excluding: ["http://a", "http://b"]) == nil)
    }
}
