enum _PlatformPlaceholder {}
