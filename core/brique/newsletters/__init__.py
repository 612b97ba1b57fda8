"""Newsletters: institutions write to the opted-in participants of a space or of the platform."""
