"""Helpers for redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else ``None`` (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers drop tabs and newlines from URLs: "/\t/evil.example" would become "//evil...".
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    return target.rstrip("?") or "/"
