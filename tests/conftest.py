"""Core tests use the fixtures of Brique's own pytest plugin (brique.testing), and those of
the support modules below that several test files share."""

pytest_plugins = ["tests.statistics_support"]
