"""The notices in the pages: the bell, one's notices and channel choices, and (admins) webhooks
and the deliveries that failed."""
