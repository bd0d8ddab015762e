/// Placeholder until the RESP client lands.
enum RESPPlaceholder {}
