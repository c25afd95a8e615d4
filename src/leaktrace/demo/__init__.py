"""A small, realistic case to try LeakTrace on: internal documents and an outbox with leaks."""
