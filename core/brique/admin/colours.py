"""Colour contrast, as WCAG 2.1 measures it."""

from __future__ import annotations

#: WCAG 2.1 AA for normal text.
MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """Relative luminance of ``#rrggbb``, from 0 (black) to 1 (white)."""
    digits = hex_colour.lstrip("#")
    red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_with_white(hex_colour: str) -> float:
    """Contrast ratio of white text on ``#rrggbb``: 1 (none) to 21 (black)."""
    return 1.05 / (relative_luminance(hex_colour) + 0.05)
