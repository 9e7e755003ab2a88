"""Parser errors in plain words: what Python's JSON parser says, said for people.

``json.JSONDecodeError`` messages are written for programmers (``Expecting ',' delimiter``,
``Expecting property name enclosed in double quotes``); :func:`json_problem` gives the same
news as a person would put it. A message it does not know is passed on unchanged.
"""

from __future__ import annotations

import json

_JSON = {
    "Expecting value": "a value is missing or is not JSON (a stray comma, an unquoted word?)",
    "Expecting ',' delimiter": "a comma is missing between two values",
    "Expecting ':' delimiter": "a colon is missing after a key",
    "Expecting property name enclosed in double quotes": "a key must be in double quotes "
    "(or a comma is left before a closing brace)",
    "Unterminated string starting at": "a string is not closed (a missing double quote)",
    "Invalid control character at": "a line break or tab inside a string (write \\n or \\t)",
    "Invalid \\escape": "a backslash that starts no known escape (write \\\\ for one)",
    "Invalid \\uXXXX escape": "a \\u escape that is not four hex digits",
    "Extra data": "more than one JSON value (for one object a line, use --format jsonl)",
}


def json_problem(exc: json.JSONDecodeError) -> str:
    """What is wrong, in plain words (``exc.msg`` when the message is not a known one)."""
    return _JSON.get(exc.msg, exc.msg)
