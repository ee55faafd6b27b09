"""The UI kit under every feature's pages: menu, languages and dates, form fields, scope loaders,
refusal pages. It knows no feature."""
from flask import Flask


def init_app(app: Flask) -> None:
    from . import errors, i18n, nav

    i18n.init_app(app)
    nav.init_app(app)
    errors.init_app(app)
