"""What an exported quote says it is evidence of: its codes with labels, origin and review state.

Read from the database's ``excerpt_codes`` view (declared by the coding stage), the one query behind every
quote's labels on the pages and in the exports. Evidence is *confirmed* codings (a person applied or
accepted the code); *unreviewed* automatic suggestions are kept apart and marked; rejected never appear.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from bolyst.site.pages.i18n import N_, translate
from bolyst.site.pages.quotes import ORIGINS

from .sql import has, json_list

CONFIRMED, UNREVIEWED, REJECTED = "confirmed", "unreviewed", "rejected"
#: The heading above unreviewed suggestions (a message: English in the pages' catalogue).
SUGGESTIONS = "Forslag fra automatisk koding, ikke kontrollert"


#: A code's review state in a document's words (the pages say the same, at more length).
STATE_WORDS = {CONFIRMED: N_("bekreftet"), UNREVIEWED: N_("ikke kontrollert")}


@dataclass(frozen=True)
class CodeLabel:
    code: str
    label: str  # the codebook's label (Bokmål)
    theme: str
    origins: str  # who coded it: "human", "rule", "human, rule" …
    review_state: str  # confirmed | unreviewed
    label_en: str = ""  # the codebook's English label

    def text(self, lang: str = "nb") -> str:
        """'Klima (push.climate; regel; ikke kontrollert)' as documents in ``lang`` print it."""
        label = self.label_en if lang == "en" and self.label_en else self.label
        origins = ", ".join(translate(lang, ORIGINS.get(o, o)) for o in self.origins.split(", ") if o)
        state = translate(lang, STATE_WORDS.get(self.review_state, self.review_state))
        return f"{label} ({self.code}; {origins}; {state})"


def code_labels(db: sqlite_utils.Database, include_unreviewed: bool) -> dict[str, list[CodeLabel]]:
    """Per excerpt id: its confirmed codes (and unreviewed ones if asked), in codebook order."""
    if not has(db, "excerpt_codes"):
        return {}
    states = (CONFIRMED, UNREVIEWED) if include_unreviewed else (CONFIRMED,)
    out: dict[str, list[CodeLabel]] = {}
    for r in db.query("select excerpt, code, label_nb, label_en, theme, origins, review_state from excerpt_codes "
                      "where review_state in (select value from json_each(:states)) order by excerpt, position",
                      {"states": json_list(states)}):
        out.setdefault(r["excerpt"], []).append(
            CodeLabel(r["code"], r["label_nb"], r["theme"], r["origins"] or "", r["review_state"], r["label_en"] or ""))
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

