"""Example of using another plugin's resources through the core, without importing it.

A digest lists the latest notes of a ``tiny`` component through the resource
type ``tiny.note`` that the tiny plugin registers.
"""

from __future__ import annotations

from brique.plugin_api import Component, ResourceRef, resource_type


def latest_notes(component: Component, count: int = 5) -> list[ResourceRef]:
    """References (title, URL, fingerprint...) of the first ``count`` notes of ``component``."""
    notes = resource_type("tiny.note")
    return [notes.ref(note) for note in notes.list(component, limit=count)]
