"""Human coding decisions (coding/decisions/<coder>.yaml, see coding/FORMAT.md): read, check, resolve, append.

The files are the truth for human coding. Nothing automatic rewrites them: ``append_decisions`` only adds
entries at the end of a coder's file (keeping its comments and earlier entries byte for byte), and a
later entry for the same (coder, excerpt, code) supersedes an earlier one while both stay in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bolyst.corpus.errors import BolystError, CodingDecisionError, ErrorList
from bolyst.corpus.safewrite import write_files
from bolyst.corpus.yamlio import LINE, dump_yaml, load_yaml, safe_load

from .coder import AUTO, AUTOMATIC

ACTIONS = ("add", "accept", "reject")
#: Which excerpts a coder read (``scope:`` in the file): the knowledge base's documents (the default), the
#: development set (sources with ``group: devset``), or all. See :class:`Reading` for what "read" means.
SCOPES = ("documents", "devset", "all")
PRESENT = ("add", "accept")  # actions after which the coder holds that the code applies
_CODER = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KEYS = {"excerpt", "code", "action", "date", "note", LINE}


@dataclass(frozen=True)
class Decision:
    coder: str
    excerpt: str
    code: str
    action: str  # add | accept | reject
    date: str | None = None  # YYYY-MM-DD
    note: str | None = None
    file: str | None = None  # decisions file, relative to the coding folder
    line: int | None = None
    position: int = 0  # order within the coder's file: later supersedes earlier
    scope: str = "documents"  # the excerpts the coder read (the file's ``scope:``)
    reference: bool = False  # the file's ``reference: true``: the reconciled coding models learn and are measured on

    @property
    def present(self) -> bool:
        return self.action in PRESENT


def source_of(excerpt_id: str) -> str:
    """The source of an excerpt: its database id is ``<source>/<id>`` (corpus/FORMAT.md)."""
    return excerpt_id.split("/", 1)[0]


@dataclass(frozen=True)
class Reading:
    """Which excerpts each human coder read, from their file's ``scope`` and their decisions.

    * the development set (``devset``, ``all``): every excerpt of it. It is a closed collection, shipped
      whole, and its coders read it whole; an excerpt without a decision carries none of their codes.
    * the documents (``documents``, ``all``): every excerpt of each document (source) the coder made at least
      one decision in. The documents grow with every import: a coder who coded the shipped documents did not
      read a document imported later, so its excerpts are not their "absent" (a ``reject`` decision records
      that a coder read a document and found the code absent).
    """

    scope: dict[str, str]  # coder -> scope
    documents: dict[str, frozenset[str]]  # coder -> the sources with a decision of theirs

    @classmethod
    def of(cls, decisions: Iterable[tuple[str, str, str]]) -> "Reading":
        """From (coder, excerpt, scope) of every decision, superseded ones too (they were read as well)."""
        scope: dict[str, str] = {}
        documents: dict[str, set[str]] = {}
        for coder, excerpt, in_scope in decisions:
            scope[coder] = in_scope or "documents"
            documents.setdefault(coder, set()).add(source_of(excerpt))
        return cls(scope, {coder: frozenset(s) for coder, s in documents.items()})

    def read(self, coder: str, excerpt_id: str, devset: bool) -> bool:
        """Did ``coder`` read the excerpt (``devset``: it belongs to the development set)?"""
        scope = self.scope[coder]
        if devset:
            return scope in ("devset", "all")
        return scope in ("documents", "all") and source_of(excerpt_id) in self.documents[coder]


def check_coder(coder: str) -> str | None:
    """Why ``coder`` cannot be a coder id, or None."""
    if not _CODER.match(coder or ""):
        return "a coder id is lower-case letters, digits, '-' or '_' (e.g. lead-researcher)"
    if coder in AUTOMATIC:
        return f"'{coder}' is " + ("the automatic coder's id" if coder == AUTO else "the trained model's id")
    return None


def read_decisions(folder: Path, excerpt_ids: Collection[str] | None = None,
                   code_ids: Collection[str] | None = None, root: Path | None = None) -> list[Decision]:
    """Every decision of every ``folder/*.yaml`` (files by name, entries in file order).

    Unknown excerpts (when ``excerpt_ids`` is given) or codes (``code_ids``) and malformed entries are
    collected and raised together as an ``ErrorList`` of ``CodingDecisionError``, each naming file and line.
    """
    errors: list[BolystError] = []
    result: list[Decision] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        rel = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else str(path)
        result += _read_file(path, rel, excerpt_ids, code_ids, errors)
    if errors:
        raise ErrorList(errors)
    return result


def read_decision_dirs(folders: Sequence[Path], excerpt_ids: Collection[str] | None = None,
                       code_ids: Collection[str] | None = None) -> list[Decision]:
    """Every decision of each folder in order (a project's after the shipped ones; missing folders are empty).

    A coder's decisions in a later folder come after theirs in an earlier one, so they supersede them.
    """
    result: list[Decision] = []
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        offset: dict[str, int] = {}
        for d in result:
            offset[d.coder] = max(offset.get(d.coder, 0), d.position + 1)
        found = read_decisions(folder, excerpt_ids, code_ids, root=Path(folder).parent)
        result += [replace(d, position=d.position + offset.get(d.coder, 0)) for d in found]
    return result


def _read_file(path: Path, rel: str, excerpt_ids: Collection[str] | None, code_ids: Collection[str] | None,
               errors: list[BolystError]) -> list[Decision]:
    data = load_yaml(path, error=CodingDecisionError)
    if not isinstance(data, dict) or not isinstance(data.get("decisions") or [], list):
        errors.append(CodingDecisionError("expected 'coder:' and a 'decisions:' list", path=rel,
                                          fix="see coding/FORMAT.md"))
        return []
    coder = data.get("coder")
    if coder != path.stem or check_coder(str(coder)):
        errors.append(CodingDecisionError(f"coder is {coder!r}", path=rel, where=f"line {data.get(LINE, 1)}",
                                          fix=check_coder(path.stem) or f"use 'coder: {path.stem}' "
                                              "(one file per coder, named after the coder)"))
        return []
    scope, reference = data.get("scope", "documents"), data.get("reference", False)
    if scope not in SCOPES or not isinstance(reference, bool):
        errors.append(CodingDecisionError(f"scope is {scope!r}, reference is {reference!r}", path=rel,
                                          fix=f"scope: one of {', '.join(SCOPES)}; reference: true or false"))
        return []
    out = []
    for position, raw in enumerate(data.get("decisions") or []):
        decision = _decision(raw, coder, rel, position, excerpt_ids, code_ids, errors)
        if decision:
            out.append(replace(decision, scope=scope, reference=reference))
    return out


def _decision(raw: Any, coder: str, rel: str, position: int, excerpt_ids: Collection[str] | None,
              code_ids: Collection[str] | None, errors: list[BolystError]) -> Decision | None:
    line = raw.get(LINE) if isinstance(raw, dict) else None
    where = f"line {line}" if line else f"decision #{position + 1}"

    def fail(message: str, fix: str) -> None:
        errors.append(CodingDecisionError(message, path=rel, where=where, fix=fix))

    if not isinstance(raw, dict):
        fail("a decision must be a mapping", "excerpt:, code:, action:, date:, note:")
        return None
    problems = len(errors)
    if set(raw) - _KEYS:
        fail(f"unknown field(s) {sorted(set(raw) - _KEYS)}", "use only excerpt, code, action, date, note")
    excerpt, code, action = raw.get("excerpt"), raw.get("code"), raw.get("action")
    if not isinstance(excerpt, str) or (excerpt_ids is not None and excerpt not in excerpt_ids):
        fail(f"unknown excerpt {excerpt!r}", "use an excerpt id '<source>/<excerpt>' from the corpus")
    if not isinstance(code, str) or (code_ids is not None and code not in code_ids):
        fail(f"unknown code {code!r}", "use a code id from coding/codebook.yaml")
    if action not in ACTIONS:
        fail(f"action is {action!r}", f"use one of: {', '.join(ACTIONS)}")
    date = _date(raw.get("date"))
    if date is False:
        fail(f"date is {raw.get('date')!r}", "write the date as YYYY-MM-DD")
    note = raw.get("note")
    if len(errors) > problems:
        return None
    return Decision(coder=coder, excerpt=excerpt, code=code, action=action, date=date or None,
                    note=str(note) if note is not None else None, file=rel, line=line, position=position)


def _date(value: Any) -> str | None | bool:
    """ISO date text, None when absent, False when not a date."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return False


def latest(decisions: Iterable[Decision]) -> dict[tuple[str, str, str], Decision]:
    """The decision in force per (coder, excerpt, code): the last one in its coder's file."""
    result: dict[tuple[str, str, str], Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.coder, d.position)):
        result[(d.coder, d.excerpt, d.code)] = d
    return dict(sorted(result.items()))


def append_decisions(path: Path, coder: str, entries: list[Decision]) -> int:
    """Append ``entries`` to a coder's file (created if missing); earlier text is kept unchanged.

    The result is parsed back before it replaces the file, so a file this cannot append to safely is
    left as it was (``CodingDecisionError``).
    """
    path = Path(path)
    if not entries:
        return 0
    for e in entries:
        if e.date and not _sane_date(e.date):
            raise CodingDecisionError(f"decision on {e.excerpt!r} / {e.code!r} has the date {e.date!r}", path=path,
                                      fix="dates are YYYY-MM-DD, from 1900 to 2100; nothing was written")
    items = [{k: v for k, v in (("excerpt", e.excerpt), ("code", e.code), ("action", e.action),
                                ("date", dt.date.fromisoformat(e.date) if e.date else None),
                                ("note", e.note)) if v is not None} for e in entries]
    if path.exists():
        old = path.read_text(encoding="utf-8")
        before = _count(load_yaml(path, error=CodingDecisionError), path)
        text = re.sub(r"(?m)^decisions:\s*\[\]\s*$", "decisions:", old)
        text = (text if text.endswith("\n") else text + "\n") + _indented(dump_yaml(items), _indent_of(text))
    else:
        before, text = 0, f"coder: {coder}\ndecisions:\n" + _indented(dump_yaml(items), "  ")
    if _count(safe_load(text, path, CodingDecisionError), path) != before + len(entries):
        raise CodingDecisionError("could not append safely: 'decisions:' must be the file's last key",
                                  path=path, fix="move the decisions: list to the end of the file")
    write_files(path.parent, {path: text})  # temp file + fsync + rename, inside the decisions folder
    return len(entries)


def _sane_date(value: str) -> bool:
    try:
        return 1900 <= dt.date.fromisoformat(value).year <= 2100
    except (TypeError, ValueError):
        return False


def _count(data: Any, path: Path) -> int:
    if not isinstance(data, dict) or not isinstance(data.get("decisions") or [], list):
        raise CodingDecisionError("expected 'coder:' and a 'decisions:' list", path=path, fix="see coding/FORMAT.md")
    return len(data.get("decisions") or [])


def _indent_of(text: str) -> str:
    """The indentation of the file's existing decision items ("  " when it has none)."""
    found = re.search(r"(?m)^decisions:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*( *)- ", text)
    return found.group(1) if found else "  "


def _indented(block: str, indent: str) -> str:
    return "".join(indent + line + "\n" for line in block.rstrip("\n").split("\n"))
