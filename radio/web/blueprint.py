"""URL rules of the operator-facing pages."""
from flask import Blueprint

from . import controllers

bp = Blueprint("web", __name__)
bp.add_url_rule("/", view_func=controllers.home)
bp.add_url_rule("/language", view_func=controllers.language, methods=["POST"])
