"""A small valid plan file (docs/plan-format.md's example, trimmed) for the import tests."""

PLAN = """\
version: 1
timezone: Asia/Ho_Chi_Minh
plan:
  code: tk-2026
  title: "Kế hoạch tuyên truyền về chuyển đổi số xã Thanh Kỳ năm 2026"
  document: "12/KH-UBND"
  issued_by: TH-NT-TK
  report_due: "2026-12-15"
areas:
  - {code: TH, name: "Thanh Hóa", level: province}
  - {code: TH-NT, name: "huyện Như Thanh", level: district, parent: TH}
  - {code: TH-NT-TK, name: "xã Thanh Kỳ", level: commune, parent: TH-NT}
  - {code: "01", name: "Thôn 1", level: village, parent: TH-NT-TK}
stations:
  - code: thanhky
    name: "Đài truyền thanh xã Thanh Kỳ"
    area: TH-NT-TK
    windows:
      - {name: sang, days: [MO, TU, WE, TH, FR, SA], start: "05:30", end: "06:00"}
      - {name: chieu, days: [MO, TU, WE, TH, FR, SA], start: 17:00, end: "17:30", from: "2026-04-01", to: "2026-09-30"}
    closed: ["2027-02-16", "2027-02-17"]
    blocks:
      - {window: sang, at: "05:30", kind: relay, title: "Tiếp sóng Đài tỉnh", source: "http://example.invalid/stream", duration: 600}
devices:
  - {code: NO, area: "01", station: thanhky}
series:
  - {code: cds, title: "Chuyên mục Chuyển đổi số"}
episodes:
  - code: cds-w48
    series: cds
    title: "Bản tin chuyển đổi số tuần 48"
    available_from: "2026-11-23"
    expires: "2027-01-31"
  - code: slogan-1
    series: cds
    title: "Khẩu hiệu 1"
    script:
      text: "Chào mừng Ngày Chuyển đổi số quốc gia 10/10."
requirements:
  - code: tk-cds-weekly
    series: cds
    stations: [thanhky]
    period: week
    airings: {min: 2, max: 2}
    new_episodes: 1
    days: [TU, TH]
    windows: [sang, chieu]
    duration: {min: 120, max: 180}
    from: "2026-11-23"
    to: "2026-12-31"
"""


def write_plan(folder, text=PLAN, name="plan.yaml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
