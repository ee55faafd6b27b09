"""Money and units after a number, and the "/" of a rate after them.

"25.000đ/con" is "hai mươi lăm nghìn đồng một con": money shares over a thing with
"một" ("đồng một con", "đồng một tháng"). A unit over a unit is a ratio, "trên" ("km/h"
→ "ki lô mét trên giờ", "lít/ha" → "lít trên héc ta"), and so is a unit over a time
written out ("km/giờ" as "km/h", "m/giây" as "m/s"). The number itself is left for
the number rules; these only say the unit, so they run before them and need the digit.
"""

from __future__ import annotations

import re

from audio_library.text_vi.rules import replace

__all__ = ["UNITS", "say_money", "say_units"]

UNITS = {
    "kg": "ki lô gam", "g": "gam", "mg": "mi li gam", "tấn": "tấn", "tạ": "tạ", "yến": "yến",
    "ha": "héc ta", "km²": "ki lô mét vuông", "km2": "ki lô mét vuông", "km": "ki lô mét",
    "m²": "mét vuông", "m2": "mét vuông", "m³": "mét khối", "m3": "mét khối", "m": "mét",
    "cm": "xen ti mét", "mm": "mi li mét", "lít": "lít", "l": "lít", "ml": "mi li lít",
    "°C": "độ xê", "ºC": "độ xê", "độ C": "độ xê", "kWh": "ki lô oát giờ", "kW": "ki lô oát",
    "MW": "mê ga oát", "kVA": "ki lô vôn am pe", "kV": "ki lô vôn", "V": "vôn", "h": "giờ", "s": "giây",
}
# What a unit may be shared over after "/": a unit, or the hours, minutes and seconds of a speed
# (as symbols or written out).
_TIMES = {"h": "giờ", "s": "giây", "giờ": "giờ", "phút": "phút", "giây": "giây"}
_MONEY = r"(?:VNĐ|VND|vnđ|đồng|đ)"
_SCALE = r"(?:\s*(?:nghìn|ngàn|triệu|tỷ|tỉ))?"
_UNIT = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True) if unit not in "hs")
_AFTER_NUMBER = r"(?<=[0-9])"
_MONEY_AMOUNT = re.compile(
    rf"{_AFTER_NUMBER}(?P<scale>{_SCALE})\s*{_MONEY}(?!\w)"
    rf"(?P<per>\s*/\s*(?:(?P<unit>{_UNIT})(?![\w²³])|(?=[^\W\d_])))?"
)
_UNIT_AMOUNT = re.compile(
    rf"{_AFTER_NUMBER}\s*(?P<unit>{_UNIT})(?![\w²³])"
    rf"(?:\s*/\s*(?:(?P<per>{_UNIT}|{'|'.join(_TIMES)})(?![\w²³])|(?P<each>(?=[^\W\d_]))))?"
)


def _say_money(match: re.Match[str], region: str) -> str:
    """"25.000đ" → "25.000 đồng", "1,5 triệu VNĐ/tháng" → "1,5 triệu đồng một tháng"."""
    scale = f" {match['scale'].strip()}" if match["scale"] else ""
    if match["unit"]:
        return f"{scale} đồng một {UNITS[match['unit']]}"
    return f"{scale} đồng{' một ' if match['per'] else ''}"


def _say_unit(match: re.Match[str], region: str) -> str:
    """"5ha" → "5 héc ta", "60 km/h" and "60 km/giờ" → "60 ki lô mét trên giờ", "16 lít/bình" → "… lít một bình"."""
    words = f" {UNITS[match['unit']]}"
    if match["per"]:
        words += f" trên {UNITS.get(match['per']) or _TIMES[match['per']]}"
    elif match["each"] is not None:
        words += " một "
    return words


say_money = replace(_MONEY_AMOUNT, _say_money)
say_units = replace(_UNIT_AMOUNT, _say_unit)
