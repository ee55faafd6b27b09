"""Registers every blueprint: web pages, exports, the device API and health."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from ..api import init_app as init_api
    from ..exports.blueprint import bp as exports_bp
    from ..health.blueprint import bp as health_bp
    from ..media.blueprint import bp as library_bp
    from ..scripts.blueprint import bp as scripts_bp
    from .blueprint import bp as web_bp
    from .errors import init_app as init_errors
    from .office.blueprint import bp as office_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(scripts_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(office_bp)
    init_api(app)
    init_errors(app)
