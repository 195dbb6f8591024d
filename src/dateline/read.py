"""Reading: files, directories, JSONL, HTML and WARC web archives into `Document`s.

The reader's contract: every input becomes either a `Document` or an `InputError` naming the
input and the reason, never an exception, so that one bad file cannot stop a batch. Decoding
detects the encoding (BOM, UTF-8, then the usual legacy Western encodings), turns CRLF and CR
line ends into LF, and takes the optional `date <DATE>` header off the front of text files.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charset_normalizer

from dateline.errors import InputError, PublishedDateError
from dateline.published import Published, parse_published
from dateline.record import Document
from dateline.settings import Settings

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl"})
WARC_SUFFIXES = (".warc", ".warc.gz")
# WARC records that hold a page: a crawler's HTTP responses, or resources stored as such.
WARC_PAGE_RECORDS = frozenset({"response", "resource"})
WARC_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})

# Tried in this order when a file is not UTF-8: the encodings French and English news files
# come in. Restricting detection to them keeps charset-normalizer from "finding" Central
# European or Cyrillic code pages in a plain cp1252 file.
LEGACY_ENCODINGS = ("cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850")
# charset-normalizer's "chaos" of the decoded text: above this, the bytes are not text in any
# of those encodings (measured: clean cp1252 French reads 0.0; random bytes find no match).
MAX_CHAOS = 0.2

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER = re.compile(r"\s*date:?[ \t]+(?P<token>\S+)", re.IGNORECASE)
# A timestamp may have a space before its time ("2023-09-17 10:30"): take the whole of it.
_HEADER_TIMESTAMP = re.compile(
    r"\s*date:?[ \t]+(?P<token>\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)(?=\s|$)",
    re.IGNORECASE,
)
_CONTROL_BYTES = frozenset(range(0, 9)) | frozenset(range(14, 32)) - {27}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What the user said about the inputs: overrides for the date and the language."""

    published: Published | None = None
    language: str | None = None


def read_paths(
    paths: Iterable[str | Path], settings: Settings, options: ReadOptions | None = None
) -> Iterator[Document | InputError]:
    """Yield a `Document` or an `InputError` for every document found under `paths`, in order.

    Directories are walked recursively (sorted, hidden entries skipped) for text, HTML and JSONL
    files; a path named explicitly is read whatever its suffix.
    """
    options = options or ReadOptions()
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            for file in walk(path):
                yield from read_file(file, settings, options)
        elif path.exists():
            yield from read_file(path, settings, options)
        else:
            yield InputError(str(path), "no such file or directory")


def walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        suffix = path.suffix.lower()
        known = suffix in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES or is_warc(path)
        if path.is_file() and known:
            yield path


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_file(
    path: Path, settings: Settings, options: ReadOptions
) -> Iterator[Document | InputError]:
    """Read one file: JSONL yields one item per line, other files one item."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, settings, options)
        elif is_warc(path):
            yield from _read_warc(path, settings, options)
        elif suffix in HTML_SUFFIXES:
            yield _read_html(path, settings, options)
        else:
            yield _read_text(path, settings, options)
    except InputError as error:
        yield error
    except OSError as error:
        yield InputError(str(path), f"cannot read file ({error.strerror or error})")


def _read_bytes(path: Path, settings: Settings) -> bytes:
    size = path.stat().st_size
    if size > settings.max_document_bytes:
        raise InputError(
            str(path),
            f"file too large ({_megabytes(size)}; one document may be at most "
            f"{_megabytes(settings.max_document_bytes)})",
        )
    data = path.read_bytes()
    if not data.strip():
        raise InputError(str(path), "empty file")
    return data


def _read_text(path: Path, settings: Settings, options: ReadOptions) -> Document:
    text = decode(_read_bytes(path, settings), str(path))
    return document_from_text(text, source=str(path), doc_id=path.stem, options=options)


def document_from_text(
    text: str, *, source: str, doc_id: str, options: ReadOptions, title: str | None = None
) -> Document:
    """Build a `Document` from decoded text, taking off its `date` header if it has one."""
    header_date, body = split_date_header(text, source)
    if not body.strip():
        raise InputError(source, "no text (the document is empty after its date header)")
    return Document(
        id=doc_id,
        text=body,
        source=source,
        published=options.published or header_date,
        language=options.language,
        title=title,
    )


def split_date_header(text: str, source: str) -> tuple[Published | None, str]:
    """Split `date <DATE>` off the front of `text`: (its date or None, the body).

    The header counts only when its token starts with a digit, so a body that happens to begin
    with the word "date" is left alone; a header whose date is invalid (`date 2023-13`) is an
    error, not silently dropped.
    """
    match = _HEADER_TIMESTAMP.match(text) or _HEADER.match(text)
    if match is None or not match.group("token")[0].isdigit():
        return None, text
    token = match.group("token")
    try:
        published = parse_published(token)
    except PublishedDateError as error:
        raise InputError(source, f"broken date header 'date {token}': {error}") from None
    return published, text[match.end() :].lstrip()


def decode(data: bytes, source: str) -> str:
    """Decode file bytes into text with LF line ends, or raise `InputError` saying why not."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise_newlines(data.decode(encoding))
            except UnicodeDecodeError as error:
                raise InputError(
                    source, f"undecodable bytes for {encoding}: {error.reason}"
                ) from None
    if _looks_binary(data):
        raise InputError(source, "binary file, not text")
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        utf8_error = error
    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise InputError(
            source,
            f"undecodable bytes: not UTF-8 (bad byte at offset {utf8_error.start}) and not "
            f"text in any of {', '.join(LEGACY_ENCODINGS)}",
        )
    return _normalise_newlines(str(best))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return controls > len(sample) * 0.02


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_html(path: Path, settings: Settings, options: ReadOptions) -> Document:
    html = decode(_read_bytes(path, settings), str(path))
    return document_from_html(html, source=str(path), doc_id=path.stem, options=options)


def document_from_html(html: str, *, source: str, doc_id: str, options: ReadOptions) -> Document:
    """The article of a web page (trafilatura), with the page's own date when it gives one."""
    # Imported here: trafilatura pulls in lxml and its own settings, a cost that runs of plain
    # text files need not pay.
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or not any(char.isalpha() for char in body):
        raise InputError(source, "no article text found in the HTML")
    published = options.published
    if published is None and getattr(extracted, "date", None):
        try:
            published = parse_published(extracted.date)
        except PublishedDateError:
            published = None  # a page's metadata date is a hint; a bad one is no reason to fail
    return Document(
        id=doc_id,
        text=body,
        source=source,
        published=published,
        language=options.language,
        title=getattr(extracted, "title", None) or None,
    )


def _read_warc(
    path: Path, settings: Settings, options: ReadOptions
) -> Iterator[Document | InputError]:
    """Every page of a web archive: HTML through trafilatura, plain text as text.

    Records that are not pages (requests, metadata, images, style sheets, redirects, errors)
    are skipped silently: they are the normal content of a crawl, not failures. A page is named
    `archive@offset` (its record's byte offset, stable across runs) and identified by its URL.
    The crawl date (WARC-Date) is not taken as the publication date: a page may be crawled
    years after it was written.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        end = 0  # where the last whole record ends
        try:
            for record in records:
                media_type = None
                if record.rec_type in WARC_PAGE_RECORDS:
                    media_type = _warc_page_type(record)
                data = b""
                if media_type is not None:
                    data = _read_limited(record.content_stream(), settings.max_document_bytes + 1)
                # The offset only after the content is read: asking for it reads the record.
                offset = records.get_record_offset()
                end = offset + records.get_record_length()
                if media_type is not None:
                    source = f"{path}@{offset}"
                    url = record.rec_headers.get_header("WARC-Target-URI") or source
                    yield _warc_page(data, media_type, source, url, settings, options)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            yield InputError(str(path), f"broken WARC archive ({reason})")
            return
        # warcio stops quietly at a truncated record: bytes left after the last whole record
        # mean the archive was cut (an interrupted download or copy).
        if path.stat().st_size - end > 4:
            yield InputError(
                str(path),
                f"truncated WARC archive (the last {path.stat().st_size - end} bytes, after "
                f"offset {end}, are not a whole record)",
            )


def _warc_page_type(record: Any) -> str | None:
    """The media type of a page worth reading (HTML or text, status 2xx), else None."""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    return media_type if media_type in WARC_PAGE_TYPES else None


def _warc_page(
    data: bytes, media_type: str, source: str, url: str, settings: Settings, options: ReadOptions
) -> Document | InputError:
    try:
        if len(data) > settings.max_document_bytes:
            raise InputError(
                source,
                f"page too large (more than {_megabytes(settings.max_document_bytes)})",
            )
        if not data.strip():
            raise InputError(source, "empty page")
        text = decode(data, source)
        if media_type == "text/plain":
            return document_from_text(text, source=source, doc_id=url, options=options)
        return document_from_html(text, source=source, doc_id=url, options=options)
    except InputError as error:
        return error


def _read_jsonl(
    path: Path, settings: Settings, options: ReadOptions
) -> Iterator[Document | InputError]:
    with path.open("rb") as lines:
        for number, raw_line in enumerate(lines, start=1):
            source = f"{path}:{number}"
            if not raw_line.strip():
                continue
            try:
                yield jsonl_document(raw_line, source, f"{path.stem}-{number}", settings, options)
            except InputError as error:
                yield error


def jsonl_document(
    raw_line: bytes, source: str, fallback_id: str, settings: Settings, options: ReadOptions
) -> Document:
    if len(raw_line) > settings.max_document_bytes:
        raise InputError(source, f"line too large ({_megabytes(len(raw_line))})")
    try:
        item = json.loads(raw_line)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(source, f"not a JSON object ({error})") from None
    if not isinstance(item, dict):
        raise InputError(source, "not a JSON object")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(source, "no 'text' string")
    published = options.published
    if published is None and item.get("published"):
        try:
            published = parse_published(str(item["published"]))
        except PublishedDateError as error:
            raise InputError(source, f"bad 'published': {error}") from None
    language = options.language or item.get("language") or None
    return Document(
        id=str(item.get("id") or fallback_id),
        text=text,
        source=source,
        published=published,
        language=language,
        title=item.get("title") if isinstance(item.get("title"), str) else None,
    )


def _read_limited(stream: Any, limit: int) -> bytes:
    # In chunks: warcio's decoding readers return nothing when asked for more than they buffer.
    chunks, size = [], 0
    while size < limit and (chunk := stream.read(min(65536, limit - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
