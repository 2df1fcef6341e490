"""Check a language model's answer against the codebook and the excerpt's text.

An answer that is not the JSON asked for is an error for every excerpt of the request; an unknown code
is an error, never a coding; a span that is not in the excerpt's text is dropped with a warning (the
code then has no evidence, so it is not stored).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..coder import Text


@dataclass(frozen=True)
class LlmCode:
    code: str
    start: int
    end: int
    span: str
    rationale: str


@dataclass
class Checked:
    """What one excerpt's answer gave: valid codes, errors (unknown codes, bad shape) and warnings."""

    codes: list[LlmCode] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse(content: str, texts: list[Text]) -> dict[str, object]:
    """The raw answer per excerpt id (its list of codes), or raise ValueError when it is not the JSON asked for."""
    try:
        data = json.loads(_strip_fence(content))
    except json.JSONDecodeError as exc:
        raise ValueError(f"the answer is not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("excerpts"), list):
        raise ValueError("the answer has no 'excerpts' list")
    wanted = {t.id for t in texts}
    out: dict[str, object] = {}
    for item in data["excerpts"]:
        if isinstance(item, dict) and str(item.get("id")) in wanted:
            out[str(item["id"])] = item.get("codes")
    return out


def _strip_fence(content: str) -> str:
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


def check(raw: object, text: Text, known: set[str]) -> Checked:
    """Validate one excerpt's list of codes."""
    result = Checked()
    if raw is None:
        result.errors.append("no answer for this excerpt")
        return result
    if not isinstance(raw, list):
        result.errors.append("'codes' is not a list")
        return result
    seen = set()
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            result.errors.append(f"not a code object: {str(item)[:60]!r}")
            continue
        code, span = item["code"].strip(), str(item.get("span") or "").strip()
        if code not in known:
            result.errors.append(f"unknown code {code!r}")
            continue
        start = text.text.find(span) if span else -1
        if start < 0:
            result.warnings.append(f"{code}: span {span[:60]!r} is not in the text; dropped")
            continue
        if code in seen:
            continue
        seen.add(code)
        result.codes.append(LlmCode(code, start, start + len(span), span, str(item.get("rationale") or "")[:500]))
    return result
