"""Gold time expressions (TIMEX3) from TimeML files or from their JSONL conversion.

`read_gold(path)` accepts a `docs.jsonl` file (one document per line: `id`, `text`,
`published`, `language`, `timexes`), a single TimeML `.tml` file, or a folder: the folder's
`docs.jsonl` if it has one, otherwise every `.tml` file below it, in sorted order.

A TimeML document's text is the content of its `<TEXT>` element with every tag removed (entities
decoded, whitespace untouched); each TIMEX3 inside `<TEXT>` becomes a `GoldTimex` whose offsets
are Python string offsets into that text. The publication date is the CREATION_TIME TIMEX3 of
`<DCT>`, reduced to its date.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dateline.errors import InputError

JSONL_NAME = "docs.jsonl"


@dataclass(slots=True)
class GoldTimex:
    """One annotated time expression: `text == document.text[start:end]`."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None


@dataclass(slots=True)
class GoldDocument:
    id: str
    text: str
    published: str | None
    language: str | None
    timexes: list[GoldTimex]


def read_gold(path: Path) -> Iterator[GoldDocument]:
    """Every gold document at `path` (a docs.jsonl file, a .tml file, or a folder of either)."""
    path = Path(path)
    if path.is_dir():
        jsonl = path / JSONL_NAME
        if jsonl.is_file():
            yield from read_jsonl(jsonl)
            return
        for tml in sorted(path.rglob("*.tml")):
            yield read_tml(tml)
    elif path.suffix == ".tml":
        yield read_tml(path)
    elif path.suffix == ".jsonl":
        yield from read_jsonl(path)
    elif not path.exists():
        raise InputError(str(path), "no such file or folder")
    else:
        raise InputError(str(path), "expected a .tml file, a .jsonl file or a folder")


# --- JSONL -------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> Iterator[GoldDocument]:
    """One document per non-blank line of `path`."""
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield _document_from_json(line, f"{path}:{number}")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read ({error})") from error


def _document_from_json(line: str, source: str) -> GoldDocument:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(source, f"not valid JSON ({error.msg})") from error
    if not isinstance(item, dict):
        raise InputError(source, "expected a JSON object")
    try:
        text = item["text"]
        document = GoldDocument(
            id=str(item["id"]),
            text=text,
            published=item.get("published"),
            language=item.get("language"),
            timexes=[
                GoldTimex(
                    start=int(timex["start"]),
                    end=int(timex["end"]),
                    text=timex["text"],
                    type=timex["type"],
                    value=str(timex["value"]),
                    mod=timex.get("mod"),
                )
                for timex in item.get("timexes") or []
            ],
        )
    except KeyError as error:
        raise InputError(source, f"missing key {error.args[0]!r}") from error
    except (TypeError, ValueError, AttributeError) as error:
        raise InputError(source, f"badly shaped document ({error})") from error
    if not isinstance(text, str):
        raise InputError(source, "'text' is not a string")
    for timex in document.timexes:
        _check_offsets(timex, text, source)
    return document


# --- TimeML ------------------------------------------------------------------------------------


def read_tml(path: Path) -> GoldDocument:
    """The text, publication date and TIMEX3s of one TimeML file."""
    source = str(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise InputError(source, f"not well-formed XML ({error})") from error
    except OSError as error:
        raise InputError(source, f"cannot read ({error})") from error
    body = root.find(".//TEXT")
    if body is None:
        raise InputError(source, "no <TEXT> element")
    pieces: list[str] = []
    timexes: list[GoldTimex] = []
    _walk(body, 0, pieces, timexes, source)
    text = "".join(pieces)
    timexes.sort(key=lambda timex: (timex.start, -timex.end))  # an inner TIMEX3 is met first
    for timex in timexes:
        _check_offsets(timex, text, source)
    return GoldDocument(
        id=path.stem,
        text=text,
        published=_creation_date(root, source),
        language=None,
        timexes=timexes,
    )


def _walk(
    element: ET.Element, offset: int, pieces: list[str], timexes: list[GoldTimex], source: str
) -> int:
    """Append the text inside `element` (not its tail) to `pieces`, which already hold `offset`
    characters; record each TIMEX3 met on the way. Returns the offset after the element."""
    start = offset
    if element.text:
        pieces.append(element.text)
        offset += len(element.text)
    for child in element:
        offset = _walk(child, offset, pieces, timexes, source)
        if child.tail:
            pieces.append(child.tail)
            offset += len(child.tail)
    if element.tag == "TIMEX3":
        timexes.append(_timex(element, start, offset, source))
    return offset


def _timex(element: ET.Element, start: int, end: int, source: str) -> GoldTimex:
    attributes = element.attrib
    tid = attributes.get("tid", "?")
    for name in ("type", "value"):
        if name not in attributes:
            raise InputError(source, f"TIMEX3 {tid} has no {name} attribute")
    return GoldTimex(
        start=start,
        end=end,
        text="".join(element.itertext()),
        type=attributes["type"],
        value=attributes["value"],
        mod=attributes.get("mod"),
    )


def _creation_date(root: ET.Element, source: str) -> str | None:
    for timex in root.iterfind(".//DCT//TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            value = timex.get("value")
            if not value:
                raise InputError(source, "the creation-time TIMEX3 has no value")
            return value.split("T", 1)[0]
    return None


def _check_offsets(timex: GoldTimex, text: str, source: str) -> None:
    if (
        not 0 <= timex.start <= timex.end <= len(text)
        or text[timex.start : timex.end] != timex.text
    ):
        raise InputError(
            source,
            f"TIMEX3 {timex.text!r} does not sit at offsets {timex.start}-{timex.end} of the text",
        )
