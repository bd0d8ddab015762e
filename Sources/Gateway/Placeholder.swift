enum _GatewayPlaceholder {}
