"""Web addresses, e-mail addresses and phone numbers, spelled the way listeners note them.

They run first: later rules would read the dots of "langso.dx.gov.vn" as thousands
separators and the digits of "0912 345 678" as one big number.
"""

from __future__ import annotations

import re

from audio_library.text_vi.numbers import digit_by_digit
from audio_library.text_vi.rules import replace

__all__ = ["say_phone_numbers", "say_web_addresses"]

_TOP_LEVEL = r"(?:vn|com|net|org|gov|edu|info|io)"
_WEB_ADDRESS = re.compile(
    r"(?i)(?<![\w.@/-])(?:https?://)?"
    r"(?:[\w.+-]+@)?"  # an e-mail's mailbox
    rf"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.{_TOP_LEVEL}\b"
    r"(?:/[\w./?=&%#-]*[\w/])?"
)
_SCHEME = re.compile(r"(?i)^https?://")
_SPOKEN_SIGNS = {
    ".": " chấm ", "/": " gạch chéo ", "@": " a còng ", "-": " gạch ngang ",
    "_": " gạch dưới ", "?": " chấm hỏi ", "=": " bằng ", "&": " và ", "%": " phần trăm ",
    "#": " thăng ", "+": " cộng ",
}
_SIGN_OR_DIGITS = re.compile(r"[0-9]+|[./@_?=&%#+-]")

# Mobile and landline numbers (10–11 digits, or +84 and 9–10), grouped by spaces,
# dots or hyphens as people write them, and the 1800/1900 hotlines.
_PHONE = re.compile(
    r"(?<![\w.,/])(?:(?:\+84[ .]?|0)[0-9]{2,3}(?:[ .-]?[0-9]{3,4}){2}|1[89]00[ .]?[0-9]{4,6})"
    r"(?![0-9]|[.,/-][0-9])"
)
_PHONE_GROUP = re.compile(r"\+84|[0-9]+")


def _say_web_address(match: re.Match[str], region: str) -> str:
    """Drop the scheme and spell the signs: "dx.gov.vn" → "dx chấm gov chấm vn".

    Digits are read one by one, as in any address.
    """
    address = _SCHEME.sub("", match.group(0))
    spelled = _SIGN_OR_DIGITS.sub(
        lambda part: _SPOKEN_SIGNS.get(part.group(0)) or f" {digit_by_digit(part.group(0))} ",
        address,
    )
    return " ".join(spelled.split())


def _say_phone_number(match: re.Match[str], region: str) -> str:
    """Digit by digit, keeping the writer's grouping as short pauses (commas)."""
    groups = _PHONE_GROUP.findall(match.group(0))
    return ", ".join("cộng tám tư" if group == "+84" else digit_by_digit(group) for group in groups)


say_web_addresses = replace(_WEB_ADDRESS, _say_web_address)
say_phone_numbers = replace(_PHONE, _say_phone_number)
