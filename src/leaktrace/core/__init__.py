"""The pipeline's spine: items, findings, limits, registry, policy and the scanner."""
