import AcquirerStandins
import Foundation

// acquirer-standin --provider yookassa|tbank --port N [--account A] [--secret S] [--notify URL]
// Serves a payment provider's stand-in on 127.0.0.1 until killed; for system tests and benchmarks.

let standins: [any AcquirerStandin.Type] = [YooKassaStandin.self, TBankStandin.self]

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard name.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: acquirer-standin --provider NAME --port N [--account A] [--secret S] [--notify URL]\n".utf8))
        exit(2)
    }
    options[String(name.dropFirst(2))] = value
}
guard let kind = standins.first(where: { $0.providerName == options["provider"] }), let port = options["port"].flatMap(Int.init) else {
    FileHandle.standardError.write(Data("acquirer-standin: --provider (\(standins.map { $0.providerName })) and --port are required\n".utf8))
    exit(2)
}
let (account, secret, notify) = (options["account"] ?? "standin", options["secret"] ?? "standin-secret", options["notify"])
let server = try await StandinServer.start(port: port) { baseURL in
    kind.init(options: StandinOptions(account: account, secret: secret, publicBaseURL: baseURL, notificationURL: notify))
}
FileHandle.standardOutput.write(Data("acquirer-standin: \(kind.providerName) on \(server.baseURL)\n".utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
