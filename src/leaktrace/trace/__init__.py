"""Tracing leaked copies back to their recipients: fingerprinting codes and accusation."""
