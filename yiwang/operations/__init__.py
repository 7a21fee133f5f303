"""一网统管 — unified city operations: categories, cases, the lifecycle, routing, deadlines, duplicates."""
