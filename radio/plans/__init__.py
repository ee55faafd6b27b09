"""Plan files in and out of the database (docs/plan-format.md is the public contract)."""
