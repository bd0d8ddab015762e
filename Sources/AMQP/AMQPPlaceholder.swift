/// Placeholder until the AMQP client lands.
enum AMQPPlaceholder {}
