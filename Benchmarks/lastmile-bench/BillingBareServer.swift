// The baseline of the invoices benchmark: bare Hummingbird and postgres-nio, one primary-key SELECT per request.

import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// `GET /invoices/{id}`: one `SELECT … FROM invoices WHERE id = $1` through a postgres-nio pool, answered as JSON.
/// No authentication, no aggregation: what the platform's authenticated, aggregated `GET /api/v1/billing/invoices`
/// is measured against.
struct BareInvoiceServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-pg-server",
        abstract: "Serve GET /invoices/{id} with one primary-key SELECT via postgres-nio on 127.0.0.1 until stopped."
    )

    @Option(help: "TCP port to listen on (127.0.0.1 only).")
    var port: Int = 8091

    @Option(help: "PostgreSQL URL, postgres://user[:password]@host:port/database (no TLS).")
    var databaseURL: String

    @Option(help: "Pool connections.")
    var connections = 20

    func run() async throws {
        guard let url = URLComponents(string: databaseURL), let host = url.host, let user = url.user else {
            throw ValidationError("--database-url must be postgres://user[:password]@host:port/database")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password, database: database.isEmpty ? nil : database, tls: .disable)
        configuration.options.maximumConnections = connections
        let client = PostgresClient(configuration: configuration, backgroundLogger: benchLogger())
        let router = Router()
        router.get("/invoices/{id}") { _, context -> Response in
            let id = try context.parameters.require("id")
            let rows = try await client.query(
                "SELECT id, number, customer_id, period, status, total, vat, amount_paid, due_on FROM invoices WHERE id = \(id)")
            for try await (id, number, customer, period, status, total, vat, paid, due) in rows.decode(
                (String, String, String, String, String, Int64, Int64, Int64, Int64).self)
            {
                let json =
                    "{\"id\":\"\(id)\",\"number\":\"\(number)\",\"customerId\":\"\(customer)\",\"period\":\"\(period)\",\"status\":\"\(status)\","
                    + "\"total\":\(total),\"vat\":\(vat),\"amountDue\":\(total - paid),\"dueOn\":\(due)}"
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
            }
            return Response(status: .notFound)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "lastmile-bench"),
            services: [client])
        try await app.runService()
    }
}
