"""Following spaces, resources and people: what notifications are about."""
