import Contracts
import HTTPTypes
import Platform
import ServerKit
import Storage
import Testing

@Suite("Storage errors as problems")
struct StorageErrorProblemTests {
    @Test func aLostConcurrencyRaceAsksForARetry() throws {
        let problem = try #require(Problem.mapping(StorageError.serializationFailure))
        #expect(problem.status == .serviceUnavailable && problem.code == "busy")
        #expect(problem.headers[.retryAfter] == "1")
        #expect(Problem.mapping(StorageError.unavailable(reason: "down"))?.status == .serviceUnavailable)
    }

    @Test func theOtherStorageErrorsStayUnmappedBugs() {
        #expect(Problem.mapping(StorageError.uniqueViolation(constraint: "x")) == nil)
        #expect(Problem.mapping(StorageError.decoding(column: "c", expected: "text")) == nil)
        #expect(Problem.mapping(StorageError.invalidURL(reason: "r")) == nil)
    }
}
