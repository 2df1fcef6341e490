"""Spreadsheet cells that a spreadsheet program will not run: OWASP's CSV-injection defence, reversible.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is read by Excel, LibreOffice and
Google Sheets as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``). :func:`neutralise` puts a single quote
in front of such a text, which every spreadsheet shows as text and hides. So that the change can be undone
exactly, a text that already starts with quotes followed by one of those characters gets one more quote;
:func:`restore` takes exactly one off again. ``restore(neutralise(s)) == s`` for every string.
"""

from __future__ import annotations

import re
from typing import Any

_RISKY = re.compile(r"^'*[=+\-@\t\r]")
_MARKED = re.compile(r"^'+[=+\-@\t\r]")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and _RISKY.match(value):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The text :func:`neutralise` was given."""
    if isinstance(value, str) and _MARKED.match(value):
        return value[1:]
    return value


def xlsx_text(value: Any) -> Any:
    """:func:`neutralise`, and without the control characters an XLSX file cannot hold (NUL, …)."""
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
    return neutralise(value)
