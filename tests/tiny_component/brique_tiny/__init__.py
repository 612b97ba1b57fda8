"""A tiny component proving Brique's plugin contract (tests only)."""
