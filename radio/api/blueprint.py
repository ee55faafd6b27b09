"""URL rules of /api/v1 (device schedule, media and play logs arrive with the device issue)."""
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.errorhandler(404)
def _not_found(_error):
    return jsonify(error="not_found", message="no such resource"), 404
