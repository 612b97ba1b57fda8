"""Moderation: reports of content and people, hiding pending review, blocking accounts."""
