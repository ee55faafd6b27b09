"""The culture office and administration pages: compliance dashboard, plans, bulletins, users."""
