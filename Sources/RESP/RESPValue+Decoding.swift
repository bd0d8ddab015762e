extension RESPValue {
    func expectString(_ command: String) throws(RESPError) -> String {
        guard let text = string else { throw .unexpectedReply(self, expected: "a string reply to \(command)") }
        return text
    }

    func expectOptionalString(_ command: String) throws(RESPError) -> String? {
        if isNull { return nil }
        return try expectString(command)
    }

    func expectInt(_ command: String) throws(RESPError) -> Int64 {
        guard let value = int else { throw .unexpectedReply(self, expected: "an integer reply to \(command)") }
        return value
    }

    func expectArray(_ command: String) throws(RESPError) -> [RESPValue] {
        if isNull { return [] }
        guard let values = array else { throw .unexpectedReply(self, expected: "an array reply to \(command)") }
        return values
    }

    func expectStrings(_ command: String) throws(RESPError) -> [String] {
        var result: [String] = []
        for value in try expectArray(command) { result.append(try value.expectString(command)) }
        return result
    }

    /// A RESP3 map, or a RESP2 flat array of alternating keys and values.
    func expectPairs(_ command: String) throws(RESPError) -> [(RESPValue, RESPValue)] {
        if case .map(let pairs) = self { return pairs.map { ($0.key, $0.value) } }
        if case .attribute(_, let value) = self { return try value.expectPairs(command) }
        let values = try expectArray(command)
        guard values.count.isMultiple(of: 2) else { throw .unexpectedReply(self, expected: "key-value pairs from \(command)") }
        return stride(from: 0, to: values.count, by: 2).map { (values[$0], values[$0 + 1]) }
    }
}
