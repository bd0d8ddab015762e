import Crypto
import Foundation
import PushStandins

// push-standin apns --port N --public-key-file KEY.pem --team-id T --key-id K --topic BUNDLE --ca-out CA.pem
//     [--token-updates unlimited] [--record no] [--max-streams N]
// Serves the APNs stand-in on 127.0.0.1 until killed, for benchmarks: the public key verifies provider tokens, and
// the CA it made is written to --ca-out for clients to trust.

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
let mode = arguments.popFirst()
while let name = arguments.popFirst() {
    guard name.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(
            Data("usage: push-standin apns --port N --public-key-file F --team-id T --key-id K --topic B --ca-out F\n".utf8))
        exit(2)
    }
    options[String(name.dropFirst(2))] = value
}
guard mode == "apns", let port = options["port"].flatMap(Int.init), let keyFile = options["public-key-file"], let teamID = options["team-id"],
    let keyID = options["key-id"], let topic = options["topic"], let caOut = options["ca-out"]
else {
    FileHandle.standardError.write(Data("push-standin: apns with --port, --public-key-file, --team-id, --key-id, --topic and --ca-out\n".utf8))
    exit(2)
}
let publicKey = try P256.Signing.PublicKey(pemRepresentation: try String(contentsOfFile: keyFile, encoding: .utf8))
var configuration = APNsStandin.Configuration(teamID: teamID, keyID: keyID, publicKey: publicKey, topics: [topic])
configuration.limitTokenUpdates = options["token-updates"] != "unlimited"
configuration.recordDeliveries = options["record"] != "no"
if let streams = options["max-streams"].flatMap(Int.init) { configuration.maximumConcurrentStreams = streams }
let standin = try await APNsStandin.start(configuration: configuration, port: port)
try standin.certificate.caPEM.write(toFile: caOut, atomically: true, encoding: .utf8)
FileHandle.standardOutput.write(Data("push-standin: apns on \(standin.url)\n".utf8))
while true {
    try await Task.sleep(for: .seconds(5))
    FileHandle.standardError.write(Data("push-standin: \(standin.deliveredCount) delivered, refused \(standin.refusals)\n".utf8))
}
