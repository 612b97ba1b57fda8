"""Participatory budgeting for Brique."""
