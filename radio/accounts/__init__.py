"""Sign-in, users and their roles, the audit log: pages and the `radio user` commands."""
