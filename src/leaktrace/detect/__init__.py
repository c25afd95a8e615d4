"""Detectors: one module per family, each registered as an entry point."""
