extension RESPCommand {
    /// `GET key`.
    public static func get(_ key: String) -> RESPCommand { RESPCommand("GET", key) }

    /// `SET key value`, with optional `EX`/`PX` and `NX`/`XX` as ``RESPCommandExecutor/set(_:to:expiration:condition:)`` takes them.
    public static func set(_ key: String, to value: String, expiration: RESPExpiration? = nil, condition: RESPSetCondition? = nil) -> RESPCommand {
        guard expiration != nil || condition != nil else { return RESPCommand("SET", key, value) }
        var words = ["SET", key, value]
        switch expiration {
        case .seconds(let seconds): words += ["EX", String(seconds)]
        case .milliseconds(let milliseconds): words += ["PX", String(milliseconds)]
        case nil: break
        }
        switch condition {
        case .ifNotExists: words.append("NX")
        case .ifExists: words.append("XX")
        case nil: break
        }
        return RESPCommand(words)
    }

    /// `DEL key`.
    public static func del(_ key: String) -> RESPCommand { RESPCommand("DEL", key) }

    /// `INCR key`.
    public static func incr(_ key: String) -> RESPCommand { RESPCommand("INCR", key) }

    /// `INCRBY key increment`.
    public static func incrBy(_ key: String, _ increment: Int64) -> RESPCommand { RESPCommand("INCRBY", key, String(increment)) }
}
