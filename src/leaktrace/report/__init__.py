"""Report formats: a table for people, JSON Lines and SARIF for machines."""
