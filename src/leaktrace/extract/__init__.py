"""Extractors: one module per container family, each registered as an entry point."""
