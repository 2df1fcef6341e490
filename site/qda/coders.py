"""Who coded what, written where QDA tools read it: users, review state and one selection per coding.

QualCoder (and the REFI-QDA readers that follow it) take a coding's coder and date from its
``PlainTextSelection`` (``creatingUser``, ``creationDateTime``), keep one coding per code, span and coder,
and make the project's first ``<User>`` the current coder. So:

- every coding gets a selection of its own (same span as its excerpt), made by its coder on its date;
- human coders come first, the lead coder as the first user; automatic coders only when asked, under
  names that say what they are (``Bolyst rules v2``, ``Bolyst model``), each coding's memo saying
  whether a person confirmed it;
- a decision's note is the selection's memo (its Description) and a project ``<Note>`` the coding refers to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bolyst.coding.decisions import Decision

from . import refi

AUTO_USER = "auto"  # coder id of the codebook rules (codings.coder)
MODEL_USER = "model"  # coder id of the trained model
AUTOMATIC_IDS = (AUTO_USER, MODEL_USER)
#: The project's lead coder: the first user of an export (QualCoder's current coder), unless told otherwise.
LEAD_CODER = "lead-researcher"
_AUTOMATIC_NAME = re.compile(r"^bolyst\s+(rules|model)\b", re.I)
STATE_LABELS = {"confirmed": "bekreftet av en koder / confirmed by a human coder",
                "unreviewed": "ikke gjennomgått / unreviewed: not evidence until a person confirms it",
                "rejected": "avvist / rejected by a human coder"}


def review_state(row: Mapping) -> str:
    """``confirmed``, ``rejected`` or ``unreviewed`` for a row of the ``codings`` table.

    The one place that knows how: reads the ``review_state`` column where the table has it, else derives it
    from ``status`` (suggested/disputed → unreviewed, accepted/human → confirmed, rejected → rejected).
    """
    if row.get("review_state"):
        return str(row["review_state"])
    return {"accepted": "confirmed", "human": "confirmed", "rejected": "rejected"}.get(
        str(row.get("status") or ""), "unreviewed")


@dataclass(frozen=True)
class AutoCoding:
    """An automatic coding as the database holds it (rule or model, score and matched text, for auditing)."""

    excerpt: str
    code: str
    coder: str = AUTO_USER  # auto (rules) or model
    rule: str | None = None
    score: float | None = None
    matched: str | None = None
    state: str = "unreviewed"  # review_state()


def rules_name(codebook: Path | None) -> str:
    """«Bolyst rules v2»: the codebook's version from its first comment line, where it states one."""
    version = None
    if codebook and codebook.exists():
        with codebook.open(encoding="utf-8") as handle:
            match = re.search(r"codebook (v\d+)", handle.readline())
            version = match.group(1) if match else None
    return f"Bolyst rules {version}" if version else "Bolyst rules"


def automatic_coder(user: refi.User) -> str | None:
    """``auto`` or ``model`` when the user is a Bolyst automatic coder (by id, or by name when a tool
    dropped the id, as QualCoder does), else None."""
    if user.id in AUTOMATIC_IDS:
        return user.id
    match = _AUTOMATIC_NAME.match(user.name or "")
    if match:
        return AUTO_USER if match.group(1).lower() == "rules" else MODEL_USER
    return None


def ordered_coders(coders: Iterable[str], lead: str | None = None) -> list[str]:
    """Human coders, the lead coder first, the others by id."""
    lead = lead or LEAD_CODER
    people = sorted(set(coders))
    return ([lead] if lead in people else []) + [c for c in people if c != lead]


def users(humans: list[str], automatic: Iterable[str], rules: str) -> tuple[refi.User, ...]:
    names = {AUTO_USER: rules, MODEL_USER: "Bolyst model"}
    return (*(refi.User(guid=refi.guid("user", c), name=c, id=c) for c in humans),
            *(refi.User(guid=refi.guid("user", a), name=names[a], id=a) for a in AUTOMATIC_IDS if a in set(automatic)))


def xsd_date(date: str | None) -> str | None:
    """``2026-11-20`` → ``2026-11-20T00:00:00Z`` (a decision's day, as xsd:dateTime)."""
    return f"{str(date)[:10]}T00:00:00Z" if date else None


def _auto_memo(auto: AutoCoding, name: str) -> str:
    how = f"regel/rule {auto.rule}" if auto.rule else "tekstklassifisering/text classifier"
    if auto.rule and ", " in auto.rule:
        how = f"regler/rules {auto.rule}"
    bits = [f"Automatisk koding / automatic coding: {name}, {how}"]
    if auto.matched and auto.rule:
        bits.append(f"treff/match «{auto.matched}»")
    if auto.score is not None:
        bits.append(f"score {auto.score}")
    return "; ".join(bits) + f". Status: {STATE_LABELS[auto.state]}."


def coding_selections(excerpt: str, span: tuple[int, int], passage: str, decisions: list[Decision],
                      automatic: list[AutoCoding], names: Mapping[str, str],
                      as_of: str | None) -> tuple[list[refi.Selection], list[refi.Note]]:
    """One selection per coding of an excerpt (its coder, date and memo), and the notes of its decisions."""
    selections, notes = [], []
    for d in sorted((d for d in decisions if d.present), key=lambda d: (d.coder, d.code)):
        key = f"{excerpt}|{d.code}|{d.coder}"
        user, created = refi.guid("user", d.coder), xsd_date(d.date or as_of)
        note_ids: tuple[str, ...] = ()
        if d.note:
            notes.append(refi.Note(guid=refi.guid("note", key), name=f"{d.coder}: {excerpt} · {d.code}",
                                   text=d.note, user=user, created=created))
            note_ids = (refi.guid("note", key),)
        coding = refi.Coding(guid=refi.guid("coding", key), code=refi.guid("code", d.code), user=user,
                             created=created, notes=note_ids)
        selections.append(refi.Selection(guid=refi.guid("selection", key), start=span[0], end=span[1], name=passage,
                                         description=d.note, codings=(coding,), user=user, created=created))
    for a in sorted(automatic, key=lambda a: (a.coder, a.code)):
        key = f"{excerpt}|{a.code}|{a.coder}"
        user, created = refi.guid("user", a.coder), xsd_date(as_of)
        coding = refi.Coding(guid=refi.guid("coding", key), code=refi.guid("code", a.code), user=user, created=created)
        selections.append(refi.Selection(guid=refi.guid("selection", key), start=span[0], end=span[1], name=passage,
                                         description=_auto_memo(a, names[a.coder]), codings=(coding,), user=user,
                                         created=created))
    return selections, notes
