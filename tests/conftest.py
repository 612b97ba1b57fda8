"""Core tests use the fixtures of Brique's own pytest plugin (brique.testing)."""
