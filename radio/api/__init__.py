"""The JSON device API under /api/v1."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint; its callers authenticate by token, so form CSRF does not apply
    (signed-in users' writes check the CSRF header themselves, in access.py)."""
    from ..auth import csrf
    from . import errors
    from .blueprint import bp

    csrf.exempt(bp)
    errors.register(app)
    app.register_blueprint(bp)
