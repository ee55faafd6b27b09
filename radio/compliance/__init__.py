"""Compliance shell: counts airings with SQL aggregates, asks `schedules.compliance` for the
status of each requirement × station × period, and serves, exports and freezes the reports."""
