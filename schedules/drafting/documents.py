"""Reading an official document (.docx, .pdf, .txt) into its paragraphs.

Word and PDF files give lines wrapped where the page ended, with empty lines between and now
and then a line set in spaced letters ("B á o  c á o"); the paragraphs a person sees are put
back together here, so the reader's rules see whole sentences. Page numbers alone on a line
are dropped.
"""
from __future__ import annotations

import io
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
    r"^(?:[-+*•–]\s|[a-zđ][.)](?:\s|$)|(?:[0-9]+\.)+[0-9]*\s|[IVX]+\.\s|Thực hiện\b|Căn cứ\b|Nơi nhận\b)")
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
    pages = {".docx": _docx_lines, ".pdf": _pdf_pages, ".txt": _txt_lines}[suffix](data, filename)
    lines = [(page, line) for page, page_lines in enumerate(pages, start=1) for line in page_lines]
    sentences = []
    for number, (page, text) in enumerate(_paragraphs(lines), start=1):
        sentences.append(Sentence(Position(number, page if suffix == ".pdf" else None).where, text))
    if not sentences:
        raise DraftError("empty", f"{filename}: the document has no text")
    return tuple(sentences)


def _txt_lines(data: bytes, filename: str) -> list[list[str]]:
    try:
        return [data.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        raise DraftError("not_text", f"{filename}: a .txt document must be UTF-8 text") from None


def _docx_lines(data: bytes, filename: str) -> list[list[str]]:
    import docx  # python-docx, read only here
    _check_zip(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
    # A damaged .docx fails in zipfile, zlib, lxml or python-docx, with errors of every kind (BadZipFile,
    # zlib.error, EOFError, XMLSyntaxError, KeyError, NotImplementedError... as fuzzing found).
    except Exception as error:  # noqa: BLE001 (only python-docx's call is inside)
        raise DraftError("broken_docx", f"{filename}: not a readable .docx file ({error})",
                         filename=filename) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return [[part for line in lines for part in line.splitlines()]]


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


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Wrapped lines joined back into paragraphs (across pages too), each with its first page."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    first_page = 1
    for page, raw in lines:
        line = _tidy(raw)
        if not line or line.isdigit():
            continue
        if current and (_OPENS.match(line) or _CLOSES.search(current[-1]) or _is_upper(line) != _is_upper(current[-1])):
            paragraphs.append((first_page, " ".join(current)))
            current = []
        if not current:
            first_page = page
        current.append(line)
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
