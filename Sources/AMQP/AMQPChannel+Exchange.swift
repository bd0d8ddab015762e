extension AMQPChannel {
    /// Declares an exchange (exchange.declare), or with `passive` checks that it exists (404 closes the channel if not).
    ///
    /// - Parameters:
    ///   - type: `direct`, `fanout`, `topic`, `headers`, or a plugin's type.
    ///   - arguments: e.g. `alternate-exchange`.
    public func exchangeDeclare(
        _ name: String, type: String, durable: Bool = false, autoDelete: Bool = false, internal: Bool = false, passive: Bool = false,
        arguments: AMQPFieldTable = [:]
    ) async throws {
        _ = try await callForMethod(
            .exchange(
                .declare(
                    exchange: name, type: type, passive: passive, durable: durable, autoDelete: autoDelete, internal: `internal`, arguments: arguments
                )))
    }

    /// Deletes an exchange (exchange.delete); with `ifUnused`, only when no queue is bound to it.
    public func exchangeDelete(_ name: String, ifUnused: Bool = false) async throws {
        _ = try await callForMethod(.exchange(.delete(exchange: name, ifUnused: ifUnused)))
    }
}
