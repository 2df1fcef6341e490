"""Check one codebook pattern with spaCy's own validation (``span_ruler`` with ``validate=True``)."""

from __future__ import annotations

import re
from typing import Any

import spacy
from spacy.errors import MatchPatternError


class PatternChecker:
    """A blank pipeline with a validating ``span_ruler``; ``check`` returns spaCy's complaint or None."""

    def __init__(self) -> None:
        self._nlp = spacy.blank("xx")
        self._ruler = self._nlp.add_pipe("span_ruler", config={"validate": True})

    def check(self, pattern: Any, label: str, rule_id: str) -> str | None:
        if pattern is None:
            return "missing 'pattern'"
        if isinstance(pattern, str) and not pattern.strip():
            return "the phrase is empty"
        try:
            self._ruler.add_patterns([{"label": label, "id": rule_id, "pattern": pattern}])
        except MatchPatternError as exc:
            details = [line.strip() for line in str(exc).splitlines() if line.strip().startswith("- [")]
            return "; ".join(details) or str(exc)
        except (ValueError, TypeError, KeyError, re.error) as exc:  # E097, E012 …; re.error: bad REGEX
            return str(exc).strip()
        finally:
            self._ruler.clear()
        return None
