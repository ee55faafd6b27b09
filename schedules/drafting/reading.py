"""Drafting a plan file from an official plan's paragraphs: rules over Vietnamese text.

The rules look for the plan's heading ("KẾ HOẠCH" and the line under it), the issuing People's
Committee and its area, and each broadcasting task with a frequency ("1 tin/tuần", "mỗi tháng
01 chuyên mục và phát lại 03 lần/tháng"), a frequency left open ("đảm bảo tần suất") or a
campaign's extra airtime; a task's dates come from its own item of the plan (its "Thời gian
thực hiện", the quarters of its table row), else from the plan's year. Slogans listed in
capitals after "khẩu hiệu:" become episodes with scripts. Who airs a task is always asked,
the levels found in its item offered first.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from . import phrases
from .model import Draft, DraftError, DraftRecord, Question, Sentence, Source

AreaRow = tuple[str, str, str]  # code, name, level

_HEADING = re.compile(r"^(?:[a-zđ][.)]|(?:[0-9]+\.)+[0-9]*|[IVX]+\.)(?:\s|$)")
_KINDS = {"huyện": "district", "quận": "district", "thị xã": "district", "xã": "commune", "thị trấn": "commune",
          "phường": "commune", "tỉnh": "province", "thành phố": "province"}
_KIND = "|".join(sorted(_KINDS, key=len, reverse=True))
_COMMITTEE = re.compile(rf"(?:ỦY BAN NHÂN DÂN|Ủy ban nhân dân|UBND)\s+(?P<kind>{_KIND})\s+(?P<rest>.*)", re.IGNORECASE)
_PLACE = re.compile(rf"\b(?P<kind>{_KIND})\s+(?P<rest>[A-ZĐÀ-Ỹ].*)")
_COMMITTEE_START = re.compile(r"ỦY BAN NHÂN DÂN|Ủy ban nhân dân|UBND", re.IGNORECASE)
_STOP_WORDS = {"CỘNG", "NĂM", "ĐẾN", "VỀ"}
_NUMBER = re.compile(r"\bSố:?\s*(?P<number>[0-9]+[^\s/]*/[0-9A-ZĐ-]+)")
_OPENERS = ("Thực hiện", "Căn cứ", "Nhằm", "UBND", "Ủy ban")

_BROADCAST = re.compile(r"phát thanh|truyền thanh|phát sóng|truyền hình|chương trình|chuyên mục", re.IGNORECASE)
_OPEN_FREQUENCY = re.compile(r"đảm bảo tần suất|tăng cường thời lượng phát sóng", re.IGNORECASE)
_WHO = (
    ("province", re.compile(r"Đài Phát thanh và Truyền hình tỉnh|đài tỉnh|truyền hình tỉnh", re.IGNORECASE)),
    ("district", re.compile(r"truyền thanh (?:cấp )?huyện|Đài Phát thanh huyện|đài huyện", re.IGNORECASE)),
    ("commune", re.compile(r"truyền thanh (?:cấp )?xã|truyền thanh cơ sở|phát thanh cơ sở|đài truyền thanh\b|"
                           r"các xã, thị trấn|UBND cấp xã", re.IGNORECASE)),
    ("village", re.compile(r"loa truyền thanh (?:của )?thôn|phát thanh của thôn|các thôn", re.IGNORECASE)),
)
_SERIES = re.compile(
    r"(?P<kind>[Cc]huyên mục|[Cc]hương trình)(?:/(?:chuyên mục|chương trình))?(?: phát thanh)?(?: riêng)?\s+(?:về\s+)?"
    r"[“\"]?(?P<topic>[A-ZĐ][^,.;:()“”\"]+?)[”\"]?(?=\s*(?:[,.;:(]|trên|tại|cho|đảm bảo|[0-9]|$))")
_SLOGANS = re.compile(r"khẩu hiệu\s*:?$", re.IGNORECASE)
_BULLET = re.compile(r"^[-+*•]\s*")
_REPORT = re.compile(r"báo cáo", re.IGNORECASE)
_ON_REQUEST = re.compile(r"khi có yêu cầu", re.IGNORECASE)
_TIME_CLAUSE = re.compile(r"thời gian|quý|từ ngày|năm 20", re.IGNORECASE)


def draft_plan(sentences: Sequence[Sentence], areas: Sequence[AreaRow] = ()) -> Draft:
    """The draft plan file of an official plan; DraftError "not_a_plan" when the paragraphs hold
    no plan heading or no broadcasting task."""
    sentences = tuple(sentences)
    heading = next((i for i, sentence in enumerate(sentences) if sentence.text.upper() == sentence.text
                    and sentence.text.strip(" :").startswith("KẾ HOẠCH")), None)
    if heading is None:
        raise DraftError("not_a_plan", "the document has no plan heading (KẾ HOẠCH)")
    title = _title(sentences, heading)
    year, until = phrases.year(title), phrases.until_year(title)
    plan_code, plan = _plan_record(sentences, heading, title, year or until, areas)
    body = range(heading + 1, len(sentences))
    tasks = [i for i in body if _is_task(sentences[i].text)]
    if not tasks:
        raise DraftError("not_a_plan", "the document names no broadcasting task")
    series: dict[str, DraftRecord] = {}
    requirements = [_requirement(sentences, i, f"{plan_code}-{n}", plan_code, title, year, until, series)
                    for n, i in enumerate(tasks, start=1)]
    episodes, slogan_requirements = _slogans(sentences, body, plan_code, year, series)
    records = (plan, *series.values(), *episodes, *requirements, *slogan_requirements)
    return Draft(sentences, records)


def _title(sentences: tuple[Sentence, ...], heading: int) -> str:
    text = sentences[heading].text.strip(" :")
    if text != "KẾ HOẠCH":
        return text[0] + text[1:].lower()
    following = sentences[heading + 1].text if heading + 1 < len(sentences) else ""
    if not following or following.startswith(_OPENERS):
        return "Kế hoạch"
    return "Kế hoạch " + following[0].lower() + following[1:]


def _plan_record(sentences, heading, title, year, areas) -> tuple[str, DraftRecord]:
    header = " ".join(sentence.text for sentence in sentences[:heading])
    kind, name, body, source = _issuer(sentences, heading, title)
    fields: dict[str, object] = {"title": title}
    number = _NUMBER.search(header)
    if number:
        fields["document"] = number["number"]
    issued = phrases.issue_date(header)
    if issued:
        fields["x-issued"] = issued.isoformat()
    if body:
        fields["x-issued-by"] = body
    questions = []
    code = _match_area(kind, name, areas) if name else None
    if code:
        fields["issued_by"] = code
    elif name:
        questions.append(Question("issued_by", "unknown_area", {"name": f"{kind} {name}"}))
    else:
        questions.append(Question("issued_by", "no_area"))
    deadline = _report(sentences, heading, year)
    if deadline is not None:
        fields.update(deadline[0])
    plan_code = _slug(f"{name or 'ke-hoach'}-{year or ''}").strip("-")
    fields = {"code": plan_code, **fields}
    where = source or sentences[heading]
    confidence = 0.9 if code else 0.6
    return plan_code, DraftRecord("plan", "plan", fields, Source(where.where, where.text, confidence), tuple(questions))


def _issuer(sentences, heading, title) -> tuple[str, str, str, Sentence | None]:
    """Kind and name of the issuing area ("huyện", "Sơn Dương"), the issuing body, and where."""
    for sentence in sentences[:heading]:  # the committee's name above the heading
        match = _COMMITTEE.search(sentence.text)
        if match and _name(match["rest"]):
            return match["kind"].lower(), _name(match["rest"]), _body(match), sentence
    places = list(_PLACE.finditer(title))  # the last place of the title is the plan's own
    if places and _name(places[-1]["rest"]):
        return places[-1]["kind"].lower(), _name(places[-1]["rest"]), _body(places[-1]), sentences[heading]
    for sentence in sentences[heading:heading + 5]:  # "Ủy ban nhân dân huyện Tân Sơn ban hành Kế hoạch"
        # Each committee the paragraph names, in turn: the one that issues often follows one cited
        # ("Thực hiện Văn bản … của UBND tỉnh Phú Thọ …; Ủy ban nhân dân huyện Tân Sơn ban hành …").
        for start in _COMMITTEE_START.finditer(sentence.text):
            match = _COMMITTEE.match(sentence.text, start.start())
            if match is None:
                continue
            name = _name(match["rest"])
            if name and re.match(rf"{re.escape(name)},?\s+(?:ban hành|xây dựng)", match["rest"]):
                return match["kind"].lower(), name, _body(match), sentence
    return "", "", "", None


def _body(match: re.Match[str]) -> str:
    return f"Ủy ban nhân dân {match['kind'].lower()} {_name(match['rest'])}"


def _name(rest: str) -> str:
    words = []
    for word in rest.split():
        if not word[0].isupper() or word.strip(",.;:") != word or word.upper() in _STOP_WORDS or len(words) == 3:
            if word.strip(",.;:") != word and word[0].isupper() and word.upper() not in _STOP_WORDS:
                words.append(word.strip(",.;:"))
            break
        words.append(word)
    name = " ".join(words)
    return name.title() if name.isupper() else name


def _match_area(kind: str, name: str, areas: Sequence[AreaRow]) -> str | None:
    wanted = {_fold(name), _fold(f"{kind} {name}")}
    for code, area_name, level in areas:
        if _fold(area_name) in wanted and level == _KINDS.get(kind, level):
            return code
    return None


def _report(sentences, heading, year) -> tuple[dict, Sentence] | None:
    for sentence in sentences[heading:]:
        if _REPORT.search(sentence.text):
            due = phrases.deadline(sentence.text, year)
            if due:
                return {"report_due": due.isoformat()}, sentence
    for sentence in sentences[heading:]:
        if _REPORT.search(sentence.text) and _ON_REQUEST.search(sentence.text):
            return {"x-note": f"Báo cáo khi có yêu cầu: {sentence.text}"}, sentence
    return None


def _is_task(text: str) -> bool:
    if not _BROADCAST.search(text):
        return False
    return phrases.frequency(text) is not None or bool(_OPEN_FREQUENCY.search(text))


def _item(sentences, i) -> tuple[list[int], list[int]]:
    """The paragraphs of the plan item around paragraph ``i``: before it (back to the item's
    heading) and from it (up to the next heading)."""
    before = []
    j = i
    while j > 0 and len(before) < 4 and not _HEADING.match(sentences[j].text):
        j -= 1
        before.append(j)
    after = [i]
    j = i + 1
    while j < len(sentences) and len(after) < 6 and not _HEADING.match(sentences[j].text):
        after.append(j)
        j += 1
    return before, after


def _requirement(sentences, i, code, plan_code, title, year, until, series) -> DraftRecord:
    text = sentences[i].text
    before, after = _item(sentences, i)
    fields: dict[str, object] = {}
    questions: list[Question] = []
    confidence = 0.9
    fields["series"] = _series(series, plan_code, [text] + [sentences[j].text for j in before], title, sentences[i])
    dates, certain = _dates(sentences, after + before, year, until)
    frequency = phrases.frequency(text)
    if frequency:
        fields["period"] = frequency.period
        fields.update(_counts(frequency, phrases.weekdays(text)))
    elif dates and dates[0] and dates[1] and certain == "campaign":
        fields["period"] = "campaign"
        questions.append(Question("airings", "no_figure"))
        confidence = 0.5
    else:
        questions += [Question("period", "no_period"), Question("airings", "no_figure")]
        confidence = 0.4
    days = phrases.weekdays(text)
    if days:
        fields["days"] = list(days)
    length = phrases.duration(text)
    if length:
        fields["duration"] = {key: value for key, value in (("min", length.low), ("max", length.high)) if value}
        if not length.certain:
            confidence = min(confidence, 0.6)
    start, end = dates if dates else (None, None)
    if start:
        fields["from"] = start.isoformat()
    else:
        questions.append(Question("from", "no_start"))
    if end:
        fields["to"] = end.isoformat()
    else:
        questions.append(Question("to", "no_end"))
    if certain == "plan":
        confidence = min(confidence, 0.7)
    who = [sentences[j].text for j in [i, *before]]
    questions.insert(0, _which_stations(who))
    return DraftRecord("requirements", code, fields, Source(sentences[i].where, text, confidence), tuple(questions))


def _counts(frequency: phrases.Frequency, days: tuple[str, ...]) -> dict[str, object]:
    new = frequency.low if frequency.new else 0
    if frequency.replays:
        airings = {"min": frequency.low + frequency.replays, "max": frequency.low + frequency.replays}
    elif days and frequency.new and frequency.high is None and len(days) > frequency.low:
        airings = {"min": len(days), "max": len(days)}  # one item, aired on each named day
    elif frequency.high is not None:
        airings = {"min": frequency.low, "max": frequency.high}
    else:
        airings = {"min": frequency.low}
    fields: dict[str, object] = {"airings": airings}
    if new:
        fields["new_episodes"] = new
    return fields


def _dates(sentences, order, year, until) -> tuple[tuple[date | None, date | None] | None, str]:
    """The dates of an item: a campaign window, quarters, a year named in its time clause;
    else the plan's year ("plan"), else up to the year it runs to."""
    for j in order:
        text = sentences[j].text
        if not _TIME_CLAUSE.search(text):
            continue
        window = phrases.window(text, year)
        if window:
            return window, "campaign"
        quarters = phrases.quarters(text, year)
        if quarters:
            return quarters, "quarters"
        if re.search(r"thời gian", text, re.IGNORECASE) and phrases.year(text):
            named = phrases.year(text)
            return (date(named, 1, 1), date(named, 12, 31)), "year"
    if year:
        return (date(year, 1, 1), date(year, 12, 31)), "plan"
    if until:
        return (None, date(until, 12, 31)), "plan"
    return None, "none"


def _which_stations(texts: list[str]) -> Question:
    found = []
    for text in texts:
        for level, pattern in _WHO:
            if level not in found and pattern.search(text):
                found.append(level)
    who = next((match.group(0) for text in texts for _, pattern in _WHO for match in [pattern.search(text)] if match),
               "")
    choices = tuple(found) + tuple(level for level, _ in _WHO if level not in found)
    return Question("levels", "which_stations", {"who": who or "?"}, choices)


def _series(series: dict[str, DraftRecord], plan_code: str, texts: list[str], title: str,
            sentence: Sentence) -> str:
    topic = next((match["topic"].strip() for text in texts for match in [_SERIES.search(text)]
                  if match and len(match["topic"].split()) <= 8), None)
    if topic is None:
        plan_topic = re.search(r"về (.+?)(?: trên| đến| năm|$)", title)
        topic = plan_topic.group(1) if plan_topic else None
    if topic is None:  # neither the task nor the title names what it is about: the reviewer names it
        code = f"{plan_code}-chuyen-muc"
        if code not in series:
            series[code] = DraftRecord("series", code, {"code": code}, Source(sentence.where, sentence.text, 0.3),
                                       (Question("title", "no_series_title"),))
        return code
    topic = topic[0].upper() + topic[1:]
    series_title = f"Chuyên mục {topic}"
    code = f"{plan_code}-{_slug(topic)}"
    if code not in series:
        series[code] = DraftRecord("series", code, {"code": code, "title": series_title},
                                   Source(sentence.where, sentence.text, 0.8))
    return code


def _slogans(sentences, body, plan_code, year, series) -> tuple[list[DraftRecord], list[DraftRecord]]:
    episodes, requirements = [], []
    for i in body:
        if not _SLOGANS.search(sentences[i].text):
            continue
        j = i + 1
        texts = []
        while j < len(sentences):
            text = _BULLET.sub("", sentences[j].text).strip()
            letters = [char for char in text if char.isalpha()]
            if len(letters) < 8 or not all(char.isupper() for char in letters):
                break
            texts.append((sentences[j], text.rstrip(".")))
            j += 1
        if not texts:
            continue
        series_code = f"{plan_code}-khau-hieu"
        series.setdefault(series_code, DraftRecord("series", series_code, {"code": series_code, "title": "Khẩu hiệu"},
                                                   Source(sentences[i].where, sentences[i].text, 0.9)))
        for sentence, text in texts:
            code = f"{series_code}-{len(episodes) + 1}"
            script = text[0] + text[1:].lower() + "."
            episodes.append(DraftRecord("episodes", code, {"code": code, "series": series_code, "title": text,
                                                           "script": {"text": script}},
                                        Source(sentence.where, sentence.text, 0.9)))
        before, after = _item(sentences, i)
        dates, kind = _dates(sentences, before + after, year, None)
        fields: dict[str, object] = {"series": series_code}
        questions = [_which_stations([sentences[k].text for k in [i, *before]]), Question("airings", "no_figure")]
        if kind == "campaign" and dates:
            fields.update({"period": "campaign", "from": dates[0].isoformat(), "to": dates[1].isoformat()})
        else:
            questions.append(Question("period", "no_period"))
            if dates and dates[0] and dates[1]:
                fields.update({"from": dates[0].isoformat(), "to": dates[1].isoformat()})
        code = f"{series_code}-phat"
        requirements.append(DraftRecord("requirements", code, fields,
                                        Source(sentences[i].where, sentences[i].text, 0.5), tuple(questions)))
    return episodes, requirements


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
