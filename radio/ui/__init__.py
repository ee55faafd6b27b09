"""The UI kit under every feature's pages: menu, languages and dates, what things say (words),
how records are named (names), form fields, scope loaders, error pages. It knows no feature."""
from flask import Flask


def init_app(app: Flask) -> None:
    from . import errors, i18n, inputs, names, nav, words

    i18n.init_app(app)
    nav.init_app(app)
    words.init_app(app)
    names.init_app(app)
    errors.init_app(app)
    inputs.init_app(app)


def init_pages(app: Flask) -> None:
    """What only the pages' forms use (a command's app goes without: it would load the forms' kit)."""
    from . import series_choice

    series_choice.init_app(app)
