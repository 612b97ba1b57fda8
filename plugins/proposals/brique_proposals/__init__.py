"""Proposals for Brique: citizens put ideas forward and support them; the institution answers."""
