"""Web addresses, e-mail addresses and phone numbers, spelled the way listeners note them.

They run first: later rules would read the dots of "langso.dx.gov.vn" as thousands
separators and the digits of "0912 345 678" as one big number.
"""

from __future__ import annotations

import re

from audio_library.text_vi.numbers import digit_by_digit
from audio_library.text_vi.rules import replace

__all__ = ["say_hotlines", "say_phone_numbers", "say_web_addresses"]

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
    r"(?<![\w.,/])(?:(?:\+84[ .]?|0)[0-9]{2,4}(?:[ .-]?[0-9]{3,4}){2}|1[89]00[ .]?[0-9]{4,6})"
    r"(?![0-9]|[.,/-][0-9])"
)
_PHONE_GROUP = re.compile(r"\+84|[0-9]+")
# A number written without spaces is said in the groups people note: 0912 345 678.
_GROUPS_OF_LENGTH = {8: (4, 4), 9: (3, 3, 3), 10: (4, 3, 3), 11: (4, 3, 4)}
# The emergency lines, said digit by digit ("một một ba") where the phrase is about calling.
_HOTLINE = re.compile(r"(?<![\w.,/])(?:11[1-6]|1022)(?![\w/]|[.,][0-9]|\s*(?:người|hộ|xã|thôn|lần|ngày))")
_CALLING = re.compile(
    r"(?i:gọi|tổng đài|đường dây nóng|hotline|điện thoại|sđt|đt|liên hệ|báo|số|cứu hỏa|"
    r"cứu nạn|cấp cứu|công an)(?:\s+(?:ngay|cho|đến|tới|về|số))*[\s:]*$"
)


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
    groups = [part for group in _PHONE_GROUP.findall(match.group(0)) for part in _regrouped(group)]
    return ", ".join("cộng tám tư" if group == "+84" else digit_by_digit(group) for group in groups)


def _regrouped(digits: str) -> list[str]:
    """An unbroken run of digits cut into the groups people say it in."""
    lengths = _GROUPS_OF_LENGTH.get(len(digits), (len(digits),))
    starts = [sum(lengths[:index]) for index in range(len(lengths))]
    return [digits[start:start + length] for start, length in zip(starts, lengths)]


def _say_hotline(match: re.Match[str], region: str) -> str | None:
    """"gọi 113" → "gọi một một ba"; "113 hộ" stays a count."""
    before = match.string[max(0, match.start() - 20):match.start()]
    return digit_by_digit(match.group(0)) if _CALLING.search(before) else None


say_web_addresses = replace(_WEB_ADDRESS, _say_web_address)
say_phone_numbers = replace(_PHONE, _say_phone_number)
say_hotlines = replace(_HOTLINE, _say_hotline)
