"""Cells of the table formats: the escaping of TSV and Markdown, and the complete CSV row
that ``import`` reads back. Pure: str in, str out; both directions live here so that the
writer (render/formats.py) and the reader (interchange.py) cannot drift apart.

CSV (RFC 4180, quoting by Python's csv module) carries every field of an event
(:data:`CSV_COLUMNS`):

- list fields (countries, actors, tags): values joined by ``,``; written as a JSON array
  instead when a value would not survive the join (holds ``,`` or ``;``, is empty, has
  surrounding spaces, or the first starts with ``[``);
- sources: a JSON array of source objects (as ``query --format json`` prints them);
- the formula guard: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading ``'``, so that a spreadsheet does not run it; so does a cell that
  is one or more ``'`` followed by one of those, so that ``import`` removes exactly one
  ``'`` from a cell of that form and gives back the text as it was.

TSV (one line per record; no quoting, like the IANA ``text/tab-separated-values`` form):
a backslash is written ``\\\\``, a tab ``\\t``, a line feed ``\\n``, a carriage return
``\\r``, any other control character ``\\xHH`` (U+2028 and U+2029: ``\\u2028``,
``\\u2029``), and a ``"`` that starts a field ``\\"``, so that a reader that does handle
quotes finds none. The formula guard applies as for CSV. :func:`tsv_unescape` reverses it.

Markdown (CommonMark with GFM tables): every character that can start markup inside a
table cell (``\\ ` * _ [ ] ( ) < > & ! | ~ : @``) is backslash-escaped, and line breaks
become spaces, so that a renderer makes no element, link or entity from the data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from dtimeline.model import Event
from dtimeline.serialize import source_to_dict

#: Columns of ``query --format csv``: every stored field of an event, date first.
CSV_COLUMNS = ("date", "id", "kind", "title", "countries", "actors", "host", "place", "status",
               "announced", "level", "tags", "summary", "sources")  # fmt: skip

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = re.compile(r"'*[=+\-@\t\r]")


def guard_formula(cell: str) -> str:
    """``'`` before a cell a spreadsheet would read as a formula (and before a cell that
    already looks guarded, so that :func:`unguard_formula` is its exact inverse)."""
    return "'" + cell if _GUARDED.match(cell) else cell


def unguard_formula(cell: str) -> str:
    """The cell :func:`guard_formula` was given: one leading ``'`` off a guarded cell."""
    return cell[1:] if cell.startswith("'") and _GUARDED.match(cell, 1) else cell


def list_cell(values: Sequence[str]) -> str:
    """A list field as one CSV cell (see the module's docstring)."""
    plain = all(v and v == v.strip() and "," not in v and ";" not in v for v in values)
    if plain and not (values and values[0].startswith("[")):
        return ",".join(values)
    return json.dumps(list(values), ensure_ascii=False)


def read_list_cell(cell: str) -> list[str] | None:
    """The values of a cell :func:`list_cell` wrote as JSON; None when it is not JSON (the
    caller splits it on ``,`` and ``;``)."""
    if not cell.lstrip().startswith("["):
        return None
    try:
        value = json.loads(cell)
    except json.JSONDecodeError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def csv_row(ev: Event, status: str) -> list[str]:
    """The cells of ``ev`` under :data:`CSV_COLUMNS`, formula-guarded; ``status``: the one
    to show (the stored one, or as of another day)."""
    sources = [source_to_dict(s) for s in ev.sources]
    cells = [
        ev.date.edtf(), ev.id, ev.kind, ev.title, list_cell(ev.countries),
        list_cell(ev.actors), ev.host, ev.place, status,
        ev.announced.edtf() if ev.announced else "", ev.level, list_cell(ev.tags), ev.summary,
        json.dumps(sources, ensure_ascii=False) if sources else "",
    ]  # fmt: skip
    return [guard_formula(c) for c in cells]


_TSV_SPECIAL = re.compile(r'[\\\x00-\x1f\x7f-\x9f\u2028\u2029]|^"')
_TSV_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"'}


def _tsv_escape_one(found: re.Match[str]) -> str:
    char = found.group()
    if char in _TSV_NAMED:
        return _TSV_NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def tsv_cell(text: str) -> str:
    """One TSV field: escaped (see the module's docstring), then formula-guarded."""
    if text.isprintable() and "\\" not in text and not text.startswith('"'):
        return guard_formula(text)
    return guard_formula(_TSV_SPECIAL.sub(_tsv_escape_one, text))


_TSV_ESCAPE = re.compile(r'\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|([\\tnr"]))')


def tsv_unescape(cell: str) -> str:
    """The text of a field :func:`tsv_cell` wrote."""
    names = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", '"': '"'}

    def one(found: re.Match[str]) -> str:
        hex_code = found.group(1) or found.group(2)
        return chr(int(hex_code, 16)) if hex_code else names[found.group(3)]

    return _TSV_ESCAPE.sub(one, unguard_formula(cell))


_MD_BREAKS = re.compile(r"\r\n|[\n\r\u2028\u2029\x85\t]")
_MD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"[\\`*_\[\]()<>&!|~:@]")


def md_cell(text: str) -> str:
    """One Markdown table cell of inert text (see the module's docstring); other control
    characters are shown as ``\\xHH``."""
    text = _MD_BREAKS.sub(" ", text)
    text = _MD_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text)
