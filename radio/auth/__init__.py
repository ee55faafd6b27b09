"""Who is signed in and what they may do: users' operations, tokens, the area scope and the table of
permissions. The web's wiring (Flask-Login, CSRF, the login rate limiter) is in web.py, so that a
command, which needs only the operations, does not import it; the sign-in pages are radio/accounts."""
