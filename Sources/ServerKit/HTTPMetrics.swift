import HTTPTypes
import Prometheus
import Synchronization

/// The HTTP metrics of one server, on a Prometheus registry of its own.
///
/// The global `MetricsSystem` is not bootstrapped: every application (and every test) owns its registry.
/// Other modules register their counters and gauges on ``registry`` so one `/metrics` page shows them all.
public final class HTTPMetrics: Sendable {
    /// The registry `/metrics` renders; register more collectors on it.
    public let registry: PrometheusCollectorRegistry
    /// Histogram buckets of `http_request_duration_seconds`.
    public let durationBuckets: [Duration]

    private struct SeriesKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    /// The counter and the histogram of one (method, route, status), found with one lookup.
    private struct Series {
        var counter: Counter
        var histogram: DurationHistogram
    }

    private let series: Mutex<[SeriesKey: Series]>

    /// The default duration buckets, from 5 ms to 10 s.
    public static let defaultDurationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// Creates the metrics on `registry` (a new one by default).
    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), durationBuckets: [Duration] = HTTPMetrics.defaultDurationBuckets
    ) {
        self.registry = registry
        self.durationBuckets = durationBuckets
        self.series = Mutex([:])
    }

    /// Records one answered request, labelled by route template (`/api/v1/sessions/{id}`), never by raw path.
    public func record(method: HTTPRequest.Method, route: String, status: HTTPResponse.Status, duration: Duration) {
        let methodLabel = Self.methodLabel(method)
        let key = SeriesKey(method: methodLabel, route: route, status: Int(status.code))
        let series = series.withLock { series in
            if let found = series[key] { return found }
            let labels = [("method", methodLabel), ("route", route), ("status", String(status.code))]
            let created = Series(
                counter: registry.makeCounter(
                    descriptor: .init(metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered"), labels: labels),
                histogram: registry.makeDurationHistogram(
                    descriptor: .init(metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer HTTP requests"),
                    labels: labels, buckets: durationBuckets))
            series[key] = created
            return created
        }
        series.counter.increment()
        series.histogram.record(duration)
    }

    /// The Prometheus text exposition (format 0.0.4) of every collector on the registry.
    public func render() -> String {
        registry.emitToString()
    }

    /// The content type of ``render()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Standard methods keep their name; anything else is `OTHER`, so a client cannot grow the label set.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "OTHER"
        }
    }
}
