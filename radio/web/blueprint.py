"""URL rules of the operator-facing pages (grown by the web issues)."""
from flask import Blueprint

from . import controllers

bp = Blueprint("web", __name__)
bp.add_url_rule("/", view_func=controllers.home)
