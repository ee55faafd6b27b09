"""normalise_vi(): what gTTS and espeak-ng are given to read, as literal expectations.

Rows come from the issue's examples and from the five seed plans; each expected text is
how a commune radio announcer would read the line.
"""

from __future__ import annotations

import unicodedata

import pytest

from audio_library.text_vi import Glossary, normalise_vi

YEAR_2021 = "hai nghìn không trăm hai mươi mốt"
YEAR_2022 = "hai nghìn không trăm hai mươi hai"
YEAR_2023 = "hai nghìn không trăm hai mươi ba"
YEAR_2024 = "hai nghìn không trăm hai mươi bốn"

CASES = [
    # Dates: "ngày" once; a day and month alone is a name ("10/10", "2/9").
    ("10/10/2022", f"ngày mười tháng mười năm {YEAR_2022}"),
    ("ngày 10/10", "ngày mười tháng mười"),
    ("trước ngày 13/10/2022", f"trước ngày mười ba tháng mười năm {YEAR_2022}"),
    ("01/10-10/10/2022", f"ngày một tháng mười đến ngày mười tháng mười năm {YEAR_2022}"),
    ("Từ ngày 01/10 đến 10/10/2022",
     f"Từ ngày một tháng mười đến ngày mười tháng mười năm {YEAR_2022}"),
    ("Từ ngày 01/10/2022 đến 10/10/2022.",
     f"Từ ngày một tháng mười năm {YEAR_2022} đến ngày mười tháng mười năm {YEAR_2022}."),
    ("từ 01-03/10", "từ ngày một đến ngày ba tháng mười"),
    ("tháng 9/2022", f"tháng chín năm {YEAR_2022}"),
    ("từ 4/2024", f"từ tháng tư năm {YEAR_2024}"),
    ("ngày 30/4", "ngày ba mươi tháng tư"),
    ("ngày 24/04/2023", f"ngày hai mươi bốn tháng tư năm {YEAR_2023}"),
    ("ngày 26 tháng 4 năm 2021", f"ngày hai mươi sáu tháng tư năm {YEAR_2021}"),
    ("mỗi tháng 4 lần", "mỗi tháng bốn lần"),
    ("Quốc khánh 2/9", "Quốc khánh hai tháng chín"),
    ("10.10.2022", f"ngày mười tháng mười năm {YEAR_2022}"),
    ("10-10-2022", f"ngày mười tháng mười năm {YEAR_2022}"),
    ("ngày 06/9/2023của", f"ngày sáu tháng chín năm {YEAR_2023} của"),
    ("năm 2005", "năm hai nghìn không trăm linh năm"),
    ("32/10-10/10/2022", f"ba mươi hai trên mười ngày mười tháng mười năm {YEAR_2022}"),
    ("13/2022", f"mười ba trên {YEAR_2022}"),
    ("15/20 xã", "mười lăm trên hai mươi xã"),
    # Quarters
    ("Quý III/2024", f"Quý ba năm {YEAR_2024}"),
    ("Quý I – Quý IV", "Quý một đến Quý bốn"),
    ("quý 4/2024", f"quý bốn năm {YEAR_2024}"),
    ("QUÝ II", "QUÝ hai"),
    ("Quý V", "Quý V"),
    # Clock times
    ("5h30", "năm giờ ba mươi"),
    ("17:00", "mười bảy giờ"),
    ("17h", "mười bảy giờ"),
    ("05:05", "năm giờ năm phút"),
    ("16-17h hằng ngày", "mười sáu đến mười bảy giờ hằng ngày"),
    ("17h-17h30", "mười bảy giờ đến mười bảy giờ ba mươi"),
    ("từ 05:00–05:30", "từ năm giờ đến năm giờ ba mươi"),
    ("5ha lúa", "năm ha lúa"),
    # Ranges, rates and choices: a slash is never read
    ("02-03 phút", "hai đến ba phút"),
    ("01 - 02 chương trình/tuần", "một đến hai chương trình mỗi tuần"),
    ("0-03 phút", "không đến ba phút"),
    ("giai đoạn 2021 - 2025",
     "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
    ("1 tin/tuần", "một tin mỗi tuần"),
    ("03 lần/tháng", "ba lần mỗi tháng"),
    ("Tần suất: 01 số/chuyên mục/tuần.", "Tần suất: một số mỗi chuyên mục mỗi tuần."),
    ("mỗi tháng 01 chuyên mục/chương trình", "mỗi tháng một chuyên mục hoặc chương trình"),
    ("50.000 đồng/người", "năm mươi nghìn đồng mỗi người"),
    ("cấp huyện/xã", "cấp huyện hoặc xã"),
    ("cổng/trang thông tin", "cổng hoặc trang thông tin"),
    # Percentages
    ("100%", "một trăm phần trăm"),
    ("50,5%", "năm mươi phẩy năm phần trăm"),
    ("Tối thiểu 80 % các trường học", "Tối thiểu tám mươi phần trăm các trường học"),
    # Ordinals and weekdays (Thứ 2 … Thứ 7, Chủ nhật)
    ("lần thứ 4", "lần thứ tư"),
    ("thứ 1", "thứ nhất"),
    ("lần thứ 14", "lần thứ mười bốn"),
    ("Thứ 3 và Thứ 5 hằng tuần", "Thứ ba và Thứ năm hằng tuần"),
    ("Thứ 7 và Chủ nhật", "Thứ bảy và Chủ nhật"),
    ("từ Thứ 2 - Thứ 6", "từ Thứ hai đến Thứ sáu"),
    # Plain numbers: leading zeros, thousands dots, decimal commas, section numbers
    ("09 thôn", "chín thôn"),
    ("01 số", "một số"),
    ("34 tỉnh và 3.321 xã", "ba mươi bốn tỉnh và ba nghìn ba trăm hai mươi mốt xã"),
    ("10,5", "mười phẩy năm"),
    ("1.000.000 đồng", "một triệu đồng"),
    ("phiên bản 2.0", "phiên bản hai chấm không"),
    ("4.1. Tuyên truyền", "bốn chấm một. Tuyên truyền"),
    ("IPv6", "IPv sáu"),
    # Roman numerals
    ("II. NỘI DUNG THỰC HIỆN", "hai. NỘI DUNG THỰC HIỆN"),
    ("IV. TỔ CHỨC THỰC HIỆN", "bốn. TỔ CHỨC THỰC HIỆN"),
    ("Ban Thường vụ Tỉnh ủy khóa XX", "Ban Thường vụ Tỉnh ủy khóa hai mươi"),
    # Document numbers: the number is said, the codes are not
    ("06-NQ/TU", "nghị quyết số sáu"),
    ("922/QĐ-BTTTT", "quyết định số chín trăm hai mươi hai"),
    ("3412/UBND-KGVX", "văn bản số ba nghìn bốn trăm mười hai"),
    ("182/KH-UBND", "kế hoạch số một trăm tám mươi hai"),
    ("Quyết định số 922/QĐ-BTTTT ngày 20/5/2022",
     f"Quyết định số chín trăm hai mươi hai ngày hai mươi tháng năm năm {YEAR_2022}"),
    ("Thông tư 06/2022/TT-BTTTT", f"Thông tư số sáu năm {YEAR_2022}"),
    ("Nghị định 13/2023/NĐ-CP", f"Nghị định số mười ba năm {YEAR_2023}"),
    ("Nghị quyết số: 06-\nNQ/TU ngày 10/11/2021",
     f"Nghị quyết số sáu ngày mười tháng mười một năm {YEAR_2021}"),
    ("công văn số 486/UBND - VHTT ngày 8/3/2023",
     f"công văn số bốn trăm tám mươi sáu ngày tám tháng ba năm {YEAR_2023}"),
    ("Chương trình hành động số 27-CTr/HU", "Chương trình hành động số hai mươi bảy"),
    ("Nghị Quyết số 03 NQ/TU", "Nghị Quyết số ba"),
    ("năm 2030 - UBND-KGVX",
     "năm hai nghìn không trăm ba mươi - ủy ban nhân dân khoa giáo văn xã"),
    # Glossary: whole words, case as written
    ("UBND xã Thanh Kỳ", "ủy ban nhân dân xã Thanh Kỳ"),
    ("Đề nghị UBMTTQ, các tổ chức CT-XH huyện",
     "Đề nghị ủy ban mặt trận tổ quốc, các tổ chức chính trị xã hội huyện"),
    ("Sở TT&TT tỉnh Phú Thọ", "Sở thông tin và truyền thông tỉnh Phú Thọ"),
    ("thẻ CCCD gắn chip hoặc ứng dụng VneID để thay thế cho Thẻ BHYT",
     "thẻ căn cước công dân gắn chip hoặc ứng dụng vê en e ai đi"
     " để thay thế cho Thẻ bảo hiểm y tế"),
    ("VP HĐND&UBND huyện", "văn phòng hội đồng nhân dân và ủy ban nhân dân huyện"),
    ("Chánh, PCVP HĐND-UBND huyện",
     "Chánh, phó chánh văn phòng hội đồng nhân dân ủy ban nhân dân huyện"),
    ("CĐS, CNTT, KT-XH, BHXH, TTHC",
     "chuyển đổi số, công nghệ thông tin, kinh tế xã hội, bảo hiểm xã hội, thủ tục hành chính"),
    ("theo NĐ-CP và TT-BTTTT của BTTTT",
     "theo nghị định chính phủ và thông tư bộ thông tin và truyền thông"
     " của bộ thông tin và truyền thông"),
    ("ĐVHC cấp xã, THCS và THPT",
     "đơn vị hành chính cấp xã, trung học cơ sở và trung học phổ thông"),
    ("giải quyết thủ tục hành chính (TTHC).", "giải quyết thủ tục hành chính."),
    ("chỉ số chuyển đổi số (DTI) của tỉnh", "chỉ số chuyển đổi số (đê tê i) của tỉnh"),
    ("HĐND, UBND xã (b/c)", "hội đồng nhân dân, ủy ban nhân dân xã (báo cáo)"),
    ("mô hình của Đề án 06", "mô hình của Đề án không sáu"),
    ("Ubnd xã, TTHCC", "Ubnd xã, TTHCC"),
    # Addresses and phone numbers
    ("langso.dx.gov.vn", "langso chấm dx chấm gov chấm vn"),
    ("https://dichvucong.gov.vn/p/home",
     "dichvucong chấm gov chấm vn gạch chéo p gạch chéo home"),
    ("Gửi ubnd.thanhky@thanhhoa.gov.vn.",
     "Gửi ubnd chấm thanhky a còng thanhhoa chấm gov chấm vn."),
    ("congdan-so1.vn", "congdan gạch ngang so một chấm vn"),
    ("Hotline 0912 345 678", "Hotline không chín một hai, ba bốn năm, sáu bảy tám"),
    ("0912.345.678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("+84 912 345 678", "cộng tám tư, chín một hai, ba bốn năm, sáu bảy tám"),
    ("gọi 1900 1234", "gọi một chín không không, một hai ba bốn"),
    # Marks a listener cannot hear
    ("nghiêm túc triển khai thực hiện./.", "nghiêm túc triển khai thực hiện."),
    ("phát triển kinh tế-xã hội", "phát triển kinh tế xã hội"),
    ("Thời gian  thực hiện:  Từ ngày  01/10  đến 10/10/2022.",
     f"Thời gian thực hiện: Từ ngày một tháng mười đến ngày mười tháng mười năm {YEAR_2022}."),
    ("  Dòng một \n  dòng 2  ", "Dòng một\ndòng hai"),
    # Whole sentences from the seed plans
    ("Xây dựng chuyên mục riêng và duy trì chương trình phát thanh về Chuyển đổi số "
     "1 tin/tuần và phát sóng vào Thứ 3 và Thứ 5 hằng tuần.",
     "Xây dựng chuyên mục riêng và duy trì chương trình phát thanh về Chuyển đổi số "
     "một tin mỗi tuần và phát sóng vào Thứ ba và Thứ năm hằng tuần."),
    ("- Tần suất: mỗi tháng 01 chuyên mục và phát lại 03 lần/tháng.",
     "- Tần suất: mỗi tháng một chuyên mục và phát lại ba lần mỗi tháng."),
    ("Tuyên truyền trên hệ thống đài truyền thanh cấp xã: Xây dựng chương trình phát thanh "
     "về chuyển đổi số, tần suất 01- 02 chương trình/tuần, thời lượng 0-03 phút.",
     "Tuyên truyền trên hệ thống đài truyền thanh cấp xã: Xây dựng chương trình phát thanh "
     "về chuyển đổi số, tần suất một đến hai chương trình mỗi tuần, thời lượng không đến ba phút."),
    ("Tiếp tục duy trì Chuyên mục phát thanh về “Chuyển đổi số”, 01 - 02 Chương trình/tuần.",
     "Tiếp tục duy trì Chuyên mục phát thanh về “Chuyển đổi số”,"
     " một đến hai Chương trình mỗi tuần."),
    ("đảm bảo 100% các cơ quan báo chí, hệ thống truyền thanh cơ sở theo Quyết định số "
     "922/QĐ-BTTTT ngày 20/5/2022 của Bộ Thông tin và Truyền thông.",
     "đảm bảo một trăm phần trăm các cơ quan báo chí, hệ thống truyền thanh cơ sở theo Quyết định "
     f"số chín trăm hai mươi hai ngày hai mươi tháng năm năm {YEAR_2022} của Bộ Thông tin và "
     "Truyền thông."),
    ("+ CHÀO MỪNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA 10/10.",
     "+ CHÀO MỪNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA mười tháng mười."),
    ("Báo cáo kết quả triển khai Kế hoạch truyền thông Ngày Chuyển đổi số quốc gia 10/10 "
     "(trước ngày 13/10/2022) về Phòng Văn hóa và Thông tin",
     "Báo cáo kết quả triển khai Kế hoạch truyền thông Ngày Chuyển đổi số quốc gia mười tháng "
     f"mười (trước ngày mười ba tháng mười năm {YEAR_2022}) về Phòng Văn hóa và Thông tin"),
    ("Thực hiện Kế hoạch số: 107/KH-UBND ngày 21/4/2022 của UBND huyện Như Thanh",
     "Thực hiện Kế hoạch số một trăm linh bảy ngày hai mươi mốt tháng tư năm "
     f"{YEAR_2022} của ủy ban nhân dân huyện Như Thanh"),
    ("- Thời gian thực hiện: Quý III/2024.", f"- Thời gian thực hiện: Quý ba năm {YEAR_2024}."),
    ("báo cáo kết quả thực hiện Kế hoạch này trước ngày 15/11/2024, gửi UBND huyện",
     f"báo cáo kết quả thực hiện Kế hoạch này trước ngày mười lăm tháng mười một năm {YEAR_2024},"
     " gửi ủy ban nhân dân huyện"),
    ("Dự án Truyền thông và giảm nghèo về thông tin tại Thông tư 06/2022/TT-BTTTT của Bộ "
     "Thông tin và Truyền thông.",
     f"Dự án Truyền thông và giảm nghèo về thông tin tại Thông tư số sáu năm {YEAR_2022} của "
     "Bộ Thông tin và Truyền thông."),
    ("- Tham mưu hướng dẫn, theo dõi, đôn đốc 09 thôn, các tổ chức đoàn thể",
     "- Tham mưu hướng dẫn, theo dõi, đôn đốc chín thôn, các tổ chức đoàn thể"),
]


@pytest.mark.parametrize(("text", "spoken"), CASES, ids=[text[:40] for text, _ in CASES])
def test_reads_like_an_announcer(text: str, spoken: str) -> None:
    assert normalise_vi(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), CASES[:12] + CASES[-6:])
def test_decomposed_input_reads_the_same_and_comes_out_composed(text: str, spoken: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)

    result = normalise_vi(decomposed)

    assert result == spoken
    assert unicodedata.is_normalized("NFC", result)


def test_a_province_glossary_adds_its_own_abbreviations() -> None:
    glossary = Glossary.default().extended({"TTVH": "trung tâm văn hóa", "UBND": "ủy ban"})

    assert normalise_vi("TTVH và UBND huyện", glossary) == "trung tâm văn hóa và ủy ban huyện"


def test_an_empty_glossary_leaves_abbreviations_as_written() -> None:
    assert normalise_vi("UBND xã ngày 10/10", Glossary({})) == "UBND xã ngày mười tháng mười"
