"""What each problem of a plan file says to people on the web pages: a code and its values
beside the English message (which the CLI and the API keep).

The messages are Vietnamese and serve as msgids of the pages' catalog (marked with `N_` for
pybabel, as in schedules/compliance/notes.py; nothing here translates). The page shows the
problem's line and field path next to it, so a message says only what is wrong.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from ..marking import N_

MESSAGES: Mapping[str, str] = {
    # the file as a whole
    "wrong_suffix": N_("tệp kế hoạch phải có đuôi %(suffixes)s"),
    "not_utf8": N_("tệp không phải văn bản UTF-8"),
    "invalid_yaml": N_("%(what)s (cột %(column)s)"),
    "invalid_json": N_("%(what)s (cột %(column)s)"),
    "file_empty": N_("tệp trống"),
    "file_too_large": N_("tệp nặng %(size)s byte, quá giới hạn %(limit)s byte"),
    "too_deep": N_("lồng nhau quá %(limit)s cấp"),
    "aliases": N_("tệp kế hoạch không được dùng bí danh YAML (*tên)"),
    "top_not_mapping": N_("cấp ngoài cùng phải là các cặp khoá: giá trị"),
    "unsupported_version": N_("phiên bản “%(value)s” không được hỗ trợ (chương trình đọc phiên bản %(known)s)"),
    # one value
    "not_mapping": N_("phải là các cặp khoá: giá trị"),
    "required": N_("bắt buộc phải có"),
    "unknown_key": N_("khoá lạ “%(key)s”"),
    "duplicate_key": N_("khoá “%(key)s” bị lặp"),
    "not_list": N_("phải là một danh sách"),
    "empty_list": N_("danh sách không được để trống"),
    "too_many_items": N_("danh sách có %(count)s mục, quá giới hạn %(limit)s"),
    "too_long": N_("dài %(length)s ký tự, quá giới hạn %(limit)s"),
    "listed_twice": N_("“%(value)s” có hai lần trong danh sách"),
    "not_scalar": N_("phải là một giá trị đơn, không phải danh sách hay các cặp khoá"),
    "not_code": N_("phải là một mã không có dấu cách, đang là “%(value)s”"),
    "not_count": N_("phải là số nguyên (từ 0 trở lên), đang là “%(value)s”"),
    "not_date": N_("phải là ngày viết dạng năm-tháng-ngày (YYYY-MM-DD), đang là “%(value)s”"),
    "not_time": N_("phải là giờ viết dạng giờ:phút (HH:MM), đang là “%(value)s”"),
    "blank": N_("không được để trống"),
    "not_positive": N_("phải từ 1 trở lên"),
    "not_degrees": N_("phải là số độ viết dạng số thập phân (ví dụ 21.0285), đang là “%(value)s”"),
    "degrees_out_of_range": N_("phải từ %(low)s đến %(high)s độ, đang là %(value)s"),
    "out_of_range": N_("phải từ %(low)s đến %(high)s, đang là %(value)s"),
    "lat_lon_alone": N_("vĩ độ (lat) và kinh độ (lon) phải có cả hai hoặc không có cái nào"),
    "no_such_date": N_("“%(value)s” không phải một ngày có thật"),
    "year_out_of_range": N_("“%(value)s” nằm ngoài các năm từ %(first)s đến %(last)s"),
    "no_such_time": N_("“%(value)s” không phải một giờ trong ngày"),
    "unknown_choice": N_("giá trị lạ “%(value)s” (chọn một trong: %(options)s)"),
    "unknown_timezone": N_("múi giờ lạ “%(value)s”"),
    "absolute_path": N_("“%(value)s” phải là đường dẫn tính từ thư mục của tệp kế hoạch"),
    "outside_folder": N_("“%(value)s” trỏ ra ngoài thư mục của tệp kế hoạch"),
    "audio_missing": N_("không tìm thấy tệp âm thanh “%(value)s”"),
    "audio_refused": N_("tệp âm thanh không dùng được: %(why)s"),
    # across records
    "duplicate_code": N_("mã “%(value)s” bị trùng (lần đầu ở dòng %(line)s)"),
    "duplicate_name": N_("tên “%(value)s” bị trùng (lần đầu ở dòng %(line)s)"),
    "unknown_area": N_("không có địa bàn mã “%(code)s”"),
    "unknown_parent": N_("không có địa bàn cấp trên mã “%(code)s”"),
    "unknown_station": N_("không có đài mã “%(code)s”"),
    "unknown_series": N_("không có chuyên mục mã “%(code)s”"),
    "unknown_window": N_("đài không có khung giờ “%(code)s”"),
    "level_under": N_("%(level)s không thể nằm dưới %(parent_level)s “%(parent)s”"),
    "end_not_after_start": N_("giờ kết thúc %(end)s không sau giờ bắt đầu %(start)s"),
    "from_after_to": N_("ngày bắt đầu %(first)s sau ngày kết thúc %(last)s"),
    "available_after_expires": N_("ngày được phát %(first)s sau ngày hết hạn %(last)s"),
    "min_over_max": N_("mức tối thiểu %(first)s lớn hơn mức tối đa %(last)s"),
    "block_before_window": N_("bắt đầu lúc %(at)s, trước khi khung giờ %(window)s mở lúc %(opens)s"),
    "block_past_window": N_("%(seconds)s giây từ %(at)s kéo quá giờ đóng của khung giờ %(window)s lúc %(closes)s"),
    "no_such_window": N_("không đài nào trong phạm vi có khung giờ “%(window)s”"),
    "stations_and_areas": N_("chỉ ghi một trong hai: danh sách đài (stations) hoặc địa bàn (areas), không ghi cả hai"),
    "no_stations_nor_areas": N_("cần ghi danh sách đài (stations) hoặc địa bàn (areas)"),
    "levels_without_areas": N_("cấp (levels) chỉ dùng để thu hẹp một danh sách địa bàn (areas)"),
    "area_without_station": N_("địa bàn “%(area)s” không có đài nào"),
    "area_without_station_at": N_("địa bàn “%(area)s” không có đài nào ở cấp %(levels)s"),
    # the import
    "in_use": N_("chưa xoá được “%(code)s”: lịch phát, nhật ký phát hoặc kịch bản còn dùng đến; hãy cho kết thúc "
                  "thay vì xoá"),
}

# What a YAML syntax error means, by the start of PyYAML's own (English) description of it; the
# first that fits says it, and SYNTAX_ERROR anything this table does not know.
SYNTAX_PROBLEMS: Mapping[str, str] = {
    "unacceptable character": N_("có ký tự đặc biệt %(character)s, không được có trong tệp văn bản"),
    "found character '\\t' that cannot start any token": N_(
        "có dấu Tab: YAML chỉ nhận dấu cách để thụt lề và ngăn cách"),
    "found character": N_("một giá trị không được bắt đầu bằng ký tự “%(character)s”; hãy đặt cả giá trị "
                          "trong dấu nháy kép (\")"),
    "could not find expected ':'": N_("thiếu dấu hai chấm (:) sau tên khoá"),
    "mapping values are not allowed here": N_(
        "dấu hai chấm (:) ở chỗ không được có: dòng thụt lề sai, hoặc một giá trị có “: ” chưa được đặt "
        "trong dấu nháy kép (\")"),
    "found unexpected end of stream": N_("dấu nháy (\" hoặc ') mở ở đây chưa được đóng"),
    "expected ',' or": N_("dấu ngoặc [ hoặc { mở ở đây chưa được đóng, hoặc thiếu dấu phẩy giữa các mục"),
    "expected <block end>, but found '<scalar>'": N_(
        "có chữ thừa sau một giá trị: một dấu nháy (\" hoặc ') ở trên chưa được đóng, hoặc dòng thụt lề sai"),
    "expected <block end>, but found ']'": N_("có dấu ngoặc đóng ] hoặc } thừa"),
    "expected <block end>, but found '}'": N_("có dấu ngoặc đóng ] hoặc } thừa"),
    "expected <block end>": N_("thụt lề sai: dòng này không thẳng hàng với các dòng cùng cấp phía trên"),
    "found unknown escape character": N_(
        "trong dấu nháy kép (\"), dấu \\ phải đi với một ký tự đặc biệt; hãy dùng dấu nháy đơn (') để viết "
        "dấu \\"),
    "but found another document": N_("tệp kế hoạch chỉ có một phần: bỏ dòng “---” này"),
    "found undefined alias": MESSAGES["aliases"],
}
SYNTAX_ERROR = N_("tệp không đúng cú pháp YAML")
# The json module's own words for what is wrong (json.decoder and its scanner), by how they start.
JSON_PROBLEMS: Mapping[str, str] = {
    "Expecting value": N_("thiếu một giá trị (chuỗi trong dấu nháy kép, số, true, false, null, [ hoặc {)"),
    "Expecting property name enclosed in double quotes": N_(
        "tên khoá phải nằm trong dấu nháy kép (\"), và không có dấu phẩy sau mục cuối cùng"),
    "Expecting ':' delimiter": N_("thiếu dấu hai chấm (:) sau tên khoá"),
    "Expecting ',' delimiter": N_("thiếu dấu phẩy giữa các mục"),
    "Unterminated string": N_("dấu nháy kép (\") mở ở đây chưa được đóng"),
    "Invalid control character": N_("có ký tự điều khiển (như dấu Tab hay xuống dòng) trong một chuỗi"),
    "Invalid \\escape": N_("trong dấu nháy kép (\"), dấu \\ phải đi với một ký tự đặc biệt"),
    "Invalid \\uXXXX escape": N_("mã \\u phải có đúng bốn chữ số hệ mười sáu"),
    "Extra data": N_("có chữ thừa sau giá trị ngoài cùng"),
}
JSON_SYNTAX_ERROR = N_("tệp không đúng cú pháp JSON")

LEVEL_NAMES = {"province": N_("tỉnh"), "district": N_("huyện"), "commune": N_("xã"), "village": N_("thôn")}


class Term(NamedTuple):
    """A word of the plan format as people say it (a level, say): a value of a message that the
    page translates too."""

    message_id: str
    values: Mapping[str, object] = {}


def level_term(level: str) -> Term:
    return Term(LEVEL_NAMES[level])
