"""URL rules of the exports: a station's day in every format."""
from flask import Blueprint

from . import controllers

bp = Blueprint("exports", __name__)
bp.add_url_rule("/stations/<code>/days/<day>.<ext>", view_func=controllers.day_file)
