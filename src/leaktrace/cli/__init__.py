"""The `leaktrace` command: one module per command group."""
