"""The JSON API under ``/api/v1``: public reads for apps, kiosks and data journalists."""
