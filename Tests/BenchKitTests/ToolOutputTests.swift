import BenchKit
import Testing

@Suite("Reading the baselines' tool output")
struct ToolOutputTests {
    static let wrk = """
        Running 20s test @ http://127.0.0.1:8090/
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     2.31ms    1.02ms  30.12ms   90.12%
            Req/Sec    14.23k     1.10k   16.80k    70.00%
          Latency Distribution
             50%    2.10ms
             75%    2.60ms
             90%    3.20ms
             99%  950.00us
          566432 requests in 20.00s, 56.20MB read
          Socket errors: connect 0, read 2, write 0, timeout 3
          Non-2xx or 3xx responses: 7
        Requests/sec:  28324.87
        Transfer/sec:      2.81MB
        """

    @Test func wrkReport() throws {
        let result = try #require(ToolOutput.wrk(Self.wrk))
        #expect(result.requestsPerSecond == 28324.87)
        #expect(result.p50Milliseconds == 2.10)
        #expect(result.p99Milliseconds == 0.95)
        #expect(result.socketErrors == 5)
        #expect(result.non2xx == 7)
        #expect(result.errors == 12)
        #expect(ToolOutput.wrk("unable to connect to 127.0.0.1:1 Connection refused") == nil)
    }

    @Test func wrkDurations() {
        #expect(ToolOutput.milliseconds("9.48ms") == 9.48)
        #expect(ToolOutput.milliseconds("1.50s") == 1500)
        #expect(ToolOutput.milliseconds("2.00m") == 120_000)
        #expect(ToolOutput.milliseconds("500.00us") == 0.5)
        #expect(ToolOutput.milliseconds("fast") == nil)
    }

    @Test func pgbench() {
        let text = "number of failed transactions: 0 (0.000%)\nlatency average = 6.311 ms\ntps = 5071.123456 (without initial connection time)\n"
        #expect(ToolOutput.pgbenchTPS(text) == 5071.123456)
        #expect(ToolOutput.pgbenchTPS("pgbench: error: connection failed") == nil)
    }

    @Test func redisBenchmarkCSV() {
        let text = "\"test\",\"rps\",\"avg_latency_ms\"\n\"SET\",\"105843.38\",\"0.250\"\n"
        #expect(ToolOutput.redisBenchmarkRate(text) == 105843.38)
        #expect(ToolOutput.redisBenchmarkRate("") == nil)
    }

    @Test func keyValueLines() {
        let text = "progress 10%\nhashes_per_second=4.51 hashes=45 threads=2\nnote\n"
        #expect(ToolOutput.values(text, with: "hashes_per_second") == ["hashes_per_second": "4.51", "hashes": "45", "threads": "2"])
        #expect(ToolOutput.values(text, with: "missing").isEmpty)
    }
}
