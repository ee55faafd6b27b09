"""Entry point for WSGI servers: `gunicorn wsgi:app`."""
from radio import create_app

app = create_app()
