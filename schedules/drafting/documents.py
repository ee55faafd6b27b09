"""Reading an official document (.docx, .pdf, .txt) into its paragraphs.

A PDF (and a text copied out of one) gives lines wrapped where the page ended, with empty lines
between and now and then a line set in spaced letters ("B á o  c á o"); the paragraphs a person
sees are put back together here, so the reader's rules see whole sentences. A Word file's
paragraphs are the author's own and are never joined; in a typed text a blank line ends a
paragraph too. Page numbers alone on a line are dropped.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile

from .model import DraftError, Position, Sentence

SUFFIXES = (".docx", ".pdf", ".txt")

# An official plan is a few pages, a few hundred kB; a document far past these is refused unread.
MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 200
# A .docx is a zip: its parts are counted and their expanded sizes added before any is opened,
# so that a zip bomb (a small file that expands to gigabytes) is refused, not expanded.
MAX_ZIP_ENTRIES = 1_000
MAX_EXPANDED_BYTES = 100 * 1024 * 1024

_SPACES = re.compile(r"\s+")
# What opens a new paragraph: a list mark, a numbered or lettered heading, a citing opener.
_OPENS = re.compile(
    r"^(?:[-+*•–]\s|[a-zđ][.)](?:\s|$)|(?:[0-9]+\.)+[0-9]*\s|[IVX]+\.\s|Thực hiện\b|Căn cứ\b|Nơi nhận\b|Về việc\b)")
# The plan's heading in capitals opens a paragraph, under the issuing committee's name as well.
_PLAN_HEADING = re.compile(r"^KẾ HOẠCH\b")
_CLOSES = re.compile(r"[.:;!?]$|\./\.$")


def read_document(data: bytes, filename: str) -> tuple[Sentence, ...]:
    """The document's paragraphs, in order; a DraftError when it cannot be read or has no text."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in SUFFIXES:
        raise DraftError("unknown_format", f"{filename}: only .docx, .pdf and .txt documents are read",
                         filename=filename)
    if not data.strip():
        raise DraftError("empty", f"{filename}: the file is empty")
    if len(data) > MAX_BYTES:
        raise DraftError("too_large", f"{filename}: the file is {len(data)} bytes, over the limit of {MAX_BYTES}",
                         filename=filename, size=len(data), limit=MAX_BYTES)
    if suffix == ".docx":
        paragraphs = [(1, text) for text in _docx_paragraphs(data, filename)]
    else:
        pages = _pdf_pages(data, filename) if suffix == ".pdf" else _txt_lines(data, filename)
        lines = [(page, line) for page, page_lines in enumerate(pages, start=1) for line in page_lines]
        paragraphs = _paragraphs(lines, blank_ends=suffix == ".txt" and not _spaced(lines))
    sentences = []
    for number, (page, text) in enumerate(paragraphs, start=1):
        sentences.append(Sentence(Position(number, page if suffix == ".pdf" else None).where, text))
    if not sentences:
        raise DraftError("empty", f"{filename}: the document has no text")
    return tuple(sentences)


def _txt_lines(data: bytes, filename: str) -> list[list[str]]:
    try:
        return [data.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        raise DraftError("not_text", f"{filename}: a .txt document must be UTF-8 text") from None


def _docx_paragraphs(data: bytes, filename: str) -> list[str]:
    """A Word file's paragraphs as they are: its author ended each, none is a line wrapped at the
    page's edge, so none is joined to the next; a line break inside one (Shift+Enter) ends a line
    the author chose too (the title under "KẾ HOẠCH" is often set so)."""
    import docx  # python-docx, read only here
    _check_zip(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
    # A damaged .docx fails in zipfile, zlib, lxml or python-docx, with errors of every kind (BadZipFile,
    # zlib.error, EOFError, XMLSyntaxError, KeyError, NotImplementedError... as fuzzing found).
    except Exception as error:  # noqa: BLE001 (only python-docx's call is inside)
        raise DraftError("broken_docx", f"{filename}: not a readable .docx file ({error})",
                         filename=filename) from None
    texts = []
    for block in document.iter_inner_content():  # paragraphs and tables, in the document's order
        texts.extend(_cell_texts(block) if isinstance(block, docx.table.Table) else [block.text])
    lines = (_tidy(line) for text in texts for line in text.splitlines())
    return [line for line in lines if line and not line.isdigit()]


def _cell_texts(table) -> list[str]:
    """A table's cells row by row, each once: python-docx gives a merged cell once for every grid
    cell it covers (across a row, and down the rows of a vertical merge)."""
    seen, texts = set(), []
    for row in table.rows:
        for cell in row.cells:
            if cell._tc not in seen:  # the cell's own XML element: the same for each place it covers
                seen.add(cell._tc)
                texts.append(cell.text)
    return texts


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse a .docx of too many parts or too much expanded data, reading only the zip's directory."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    # BadZipFile, ValueError (a part's name that does not decode), NotImplementedError (a zip version)...
    except Exception as error:  # noqa: BLE001 (only the zip's directory is read inside)
        raise DraftError("broken_docx", f"{filename}: not a readable .docx file ({error})",
                         filename=filename) from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_EXPANDED_BYTES:
        raise DraftError("docx_too_big_inside", f"{filename}: the .docx holds more than {MAX_ZIP_ENTRIES} parts "
                         f"or expands past {MAX_EXPANDED_BYTES} bytes", filename=filename,
                         entries=MAX_ZIP_ENTRIES, limit=MAX_EXPANDED_BYTES)


def _pdf_pages(data: bytes, filename: str) -> list[list[str]]:
    import pypdf  # read only here
    # pypdf logs each repair it makes to a damaged file ("incorrect startxref pointer", "EOF marker not
    # found"), in English, to stderr when no handler takes its log; the reader hears of a PDF from us
    # alone (read, or a DraftError). Set for the process, not around each read, as threads read too.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")  # an empty password opens some
        count = 0 if locked else len(reader.pages)
        unread = locked or count > MAX_PAGES
        pages = [] if unread else [(page.extract_text() or "").splitlines() for page in reader.pages]
    # pypdf meets a damaged file with errors of every kind (its own, and ValueError, KeyError, TypeError,
    # NotImplementedError for an unknown filter... as fuzzing found): whichever, the file is not readable.
    except Exception as error:  # noqa: BLE001 (only pypdf's calls are inside)
        raise DraftError("broken_pdf", f"{filename}: not a readable PDF file ({error})",
                         filename=filename) from None
    if locked:
        raise DraftError("encrypted_pdf", f"{filename}: the PDF is protected by a password", filename=filename)
    if count > MAX_PAGES:
        raise DraftError("too_many_pages", f"{filename}: the PDF has {count} pages, over the limit of {MAX_PAGES}",
                         filename=filename, pages=count, limit=MAX_PAGES)
    if not any(line.strip() for page in pages for line in page):
        raise DraftError("no_text_pdf", f"{filename}: the PDF has no text (a scan?)", filename=filename)
    return pages


def _spaced(lines: list[tuple[int, str]]) -> bool:
    """Whether a text's blank lines are gaps between wrapped lines, as in a text copied out of a
    PDF, rather than the ends of typed paragraphs: a good share of them (a tenth) stand before a
    line that goes on a sentence in lowercase ("của Ủy ban nhân / (blank) / dân tỉnh …"), which a
    typed paragraph never starts with."""
    texts = [line.strip() for _page, line in lines]
    gaps = continued = 0
    for before, after in zip(texts, texts[1:]):
        if not before and after:
            gaps += 1
            continued += after[0].islower() and not _OPENS.match(after)
    return continued > 0 and continued >= 0.1 * gaps


def _paragraphs(lines: list[tuple[int, str]], blank_ends: bool = False) -> list[tuple[int, str]]:
    """Wrapped lines joined back into paragraphs (across pages too), each with its first page.

    A paragraph ends before a line that opens one (a list mark, a numbered head, "Về việc",
    "KẾ HOẠCH"...),
    after a line that closes a sentence, where lines in capitals (a heading) begin or end, at a
    blank line when ``blank_ends`` (a typed text), and, in a heading's title (the lines under an
    unnumbered heading in capitals such as "KẾ HOẠCH", or a "Về việc" line), before a line that starts with a capital letter:
    a title goes on only in lowercase ("… Ngày Chuyển đổi số quốc gia 10/10 / trên địa bàn …"),
    the sentence after it starts anew ("… năm 2025 / Đài truyền thanh xã phát …")."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    first_page = 1
    title = False  # whether the current paragraph is a heading's title
    after_heading = False  # whether the last line was a heading in capitals, not numbered ("KẾ HOẠCH")
    for page, raw in lines:
        line = _tidy(raw)
        if not line and blank_ends and current:
            paragraphs.append((first_page, " ".join(current)))
            current = []
        if not line or line.isdigit():
            continue
        if current and (_OPENS.match(line) or _PLAN_HEADING.match(line) or _CLOSES.search(current[-1])
                        or _is_upper(line) != _is_upper(current[-1]) or (title and line[0].isupper())):
            paragraphs.append((first_page, " ".join(current)))
            current = []
        if not current:
            first_page = page
            title = line.startswith("Về việc") or (after_heading and not _OPENS.match(line) and not _is_upper(line))
        current.append(line)
        after_heading = _is_upper(line) and not _OPENS.match(line)
    if current:
        paragraphs.append((first_page, " ".join(current)))
    return paragraphs


def _tidy(line: str) -> str:
    """One line, NFC, single spaces; spaced letters ("B á o  c á o") made words again."""
    line = unicodedata.normalize("NFC", line).strip()
    letters = line.split(" ")
    if len(letters) >= 8 and sum(len(token) == 1 for token in letters) >= 0.6 * len(letters):
        line = " ".join(word.replace(" ", "") for word in re.split(r"\s{2,}", line))
    return _SPACES.sub(" ", line)


def _is_upper(line: str) -> bool:
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 4 and all(char.isupper() for char in letters)
