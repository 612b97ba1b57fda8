"""Search across spaces and every searchable resource (see docs/admin/search.rst)."""
