"""Brique: a participatory-democracy framework with a small core and pluggable components."""

from brique.app import create_app

__version__ = "0.1.0"

__all__ = ["__version__", "create_app"]
