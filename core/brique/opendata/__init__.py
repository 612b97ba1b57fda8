"""Open data: each public space downloadable as a ZIP of CSV and JSON files."""
