"""URL rules of the exports: a station's day in every format."""
from flask import Blueprint

from . import controllers

bp = Blueprint("exports", __name__)
bp.add_url_rule("/stations/<code>/days/<day>.<ext>", view_func=controllers.day_file)
bp.add_url_rule("/stations/<code>/calendar.ics", view_func=controllers.station_calendar)
bp.add_url_rule("/devices/<code>/calendar.ics", view_func=controllers.device_calendar)
