"""What an exported quote says it is evidence of: its codes with labels, origin and review state.

Read from the database's ``excerpt_codes`` view (declared by the coding stage), the one query behind every
quote's labels on the pages and in the exports. Evidence is *confirmed* codings (a person applied or
accepted the code); *unreviewed* automatic suggestions are kept apart and marked; rejected never appear.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from .sql import has, json_list

CONFIRMED, UNREVIEWED, REJECTED = "confirmed", "unreviewed", "rejected"
#: The heading above unreviewed suggestions (a message: English in the pages' catalogue).
SUGGESTIONS = "Forslag fra automatisk koding, ikke kontrollert"


@dataclass(frozen=True)
class CodeLabel:
    code: str
    label: str  # the codebook's label (Bokmål)
    theme: str
    origins: str  # who coded it: "human", "rule", "human, rule" …
    review_state: str  # confirmed | unreviewed

    @property
    def text(self) -> str:
        """'Klima (push.climate; rule; unreviewed)' as documents print it."""
        return f"{self.label} ({self.code}; {self.origins}; {self.review_state})"


def code_labels(db: sqlite_utils.Database, include_unreviewed: bool) -> dict[str, list[CodeLabel]]:
    """Per excerpt id: its confirmed codes (and unreviewed ones if asked), in codebook order."""
    if not has(db, "excerpt_codes"):
        return {}
    states = (CONFIRMED, UNREVIEWED) if include_unreviewed else (CONFIRMED,)
    out: dict[str, list[CodeLabel]] = {}
    for r in db.query("select excerpt, code, label_nb, theme, origins, review_state from excerpt_codes "
                      "where review_state in (select value from json_each(:states)) order by excerpt, position",
                      {"states": json_list(states)}):
        out.setdefault(r["excerpt"], []).append(
            CodeLabel(r["code"], r["label_nb"], r["theme"], r["origins"] or "", r["review_state"]))
    return out


def unreviewed_counts(db: sqlite_utils.Database) -> dict[str, set[str]]:
    """Per excerpt id: the themes only automatic coders suggest (no confirmed code of that theme)."""
    if not has(db, "excerpt_codes"):
        return {}
    out: dict[str, set[str]] = {}
    for r in db.query("select excerpt, theme from excerpt_codes group by excerpt, theme "
                      "having max(review_state = 'unreviewed') and not max(review_state = 'confirmed')"):
        out.setdefault(r["excerpt"], set()).add(r["theme"])
    return out

