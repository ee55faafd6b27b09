"""What the drafting tells people, in Vietnamese msgids marked N_ (translated by the pages):
the questions a draft leaves open and the refusals of a document that gives no draft."""
from __future__ import annotations

from collections.abc import Mapping

from ..marking import N_

QUESTIONS: Mapping[str, str] = {
    "which_stations": N_("Văn bản giao cho “%(who)s”: những đài ở cấp nào phát?"),
    "no_figure": N_("Văn bản không nêu số lần phát: mỗi kỳ cần phát mấy lần?"),
    "no_period": N_("Văn bản không nêu kỳ tính tần suất (ngày, tuần, tháng…)"),
    "no_start": N_("Văn bản không nêu ngày bắt đầu"),
    "no_end": N_("Văn bản không nêu ngày kết thúc"),
    "unknown_area": N_("Không tìm thấy địa bàn “%(name)s” trong danh sách địa bàn: chọn mã địa bàn ban hành"),
    "no_area": N_("Văn bản không nêu địa bàn ban hành: chọn mã địa bàn"),
    "no_series_title": N_("Văn bản không nêu tên chuyên mục hay chủ đề của nhiệm vụ này: đặt tên chuyên mục"),
}

REFUSALS: Mapping[str, str] = {
    "empty": N_("Tệp trống, không có chữ nào để đọc"),
    "unknown_format": N_("Chỉ đọc được tệp .docx, .pdf hoặc .txt, không đọc được “%(filename)s”"),
    "not_text": N_("Tệp .txt không phải văn bản UTF-8"),
    "broken_docx": N_("Tệp Word “%(filename)s” bị hỏng hoặc không phải tệp .docx"),
    "broken_pdf": N_("Tệp PDF “%(filename)s” bị hỏng hoặc không phải tệp PDF"),
    "encrypted_pdf": N_("Tệp PDF “%(filename)s” có mật khẩu; hãy gửi bản không đặt mật khẩu"),
    "no_text_pdf": N_("Tệp PDF “%(filename)s” không có chữ (có thể là ảnh quét); hãy gửi bản đánh máy"),
    "too_large": N_("Tệp “%(filename)s” nặng %(size)s byte, quá giới hạn %(limit)s byte"),
    "too_many_pages": N_("Tệp PDF “%(filename)s” có %(pages)s trang, quá giới hạn %(limit)s trang"),
    "docx_too_big_inside": N_("Tệp Word “%(filename)s” chứa quá nhiều hoặc quá lớn các phần nén bên trong "
                              "(tối đa %(entries)s phần, %(limit)s byte khi giải nén)"),
    "not_a_plan": N_("Văn bản này không phải một kế hoạch truyền thông: không thấy tiêu đề “Kế hoạch” "
                     "hoặc yêu cầu phát sóng nào"),
}
