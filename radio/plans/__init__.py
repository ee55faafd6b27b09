"""Plan files in and out of the database (PLAN_FORMAT.md is the public contract)."""
