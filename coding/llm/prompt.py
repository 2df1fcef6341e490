"""The prompt sent to a language model: the codebook as instructions, the excerpts as a numbered list,
and the JSON schema the answer must follow. Change ``PROMPT_VERSION`` whenever the wording changes (cached
answers to the old prompt are then not reused)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from ..codebook import Codebook
from ..coder import Text

PROMPT_VERSION = "1"
EXAMPLES_PER_CODE = 2

#: The answer: per excerpt (by the id given), the codes that apply, each with the exact words it rests on.
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["excerpts"],
    "properties": {"excerpts": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["id", "codes"],
        "properties": {"id": {"type": "string"}, "codes": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["code", "span", "rationale"],
            "properties": {"code": {"type": "string"},
                           "span": {"type": "string", "description": "exact words copied from the excerpt"},
                           "rationale": {"type": "string", "description": "one short sentence"}}}}}}}},
}

INSTRUCTIONS = """You code interview excerpts about why immigrants and refugees move away from, move to and stay
in Norwegian municipalities, with the codebook below. For each excerpt, list every code that applies (a
sub-code implies its theme; give the most specific code). A code applies only when the excerpt asserts it:
not when it is negated, hypothetical or about someone's plans that did not happen. For each code, copy the
exact words of the excerpt it rests on as "span" (verbatim, a short phrase) and give a one-sentence
"rationale". Use only code ids from the codebook. Answer with JSON only, following the schema."""


def codebook_version(book: Codebook) -> str:
    """A short hash of what the prompt says about the codebook (ids, labels, definitions, notes, examples)."""
    return hashlib.sha256(codebook_text(book).encode("utf-8")).hexdigest()[:16]


def codebook_text(book: Codebook) -> str:
    lines = []
    for code in book.codes:
        lines.append(f"- {code.id}: {code.label_en} / {code.label_nb}. {code.definition.strip()}")
        if code.includes:
            lines.append(f"  Includes: {code.includes.strip()}")
        if code.excludes:
            lines.append(f"  Excludes: {code.excludes.strip()}")
        examples = [e for r in code.rules for e in r.examples][:EXAMPLES_PER_CODE]
        for example in examples:
            lines.append(f"  Example: «{example}»")
    return "\n".join(lines)


def messages(book: Codebook, texts: Sequence[Text]) -> list[dict[str, str]]:
    """Chat messages for one request coding ``texts``."""
    body = json.dumps([{"id": t.id, "lang": t.lang, "text": t.text} for t in texts], ensure_ascii=False, indent=1)
    return [{"role": "system", "content": f"{INSTRUCTIONS}\n\nCodebook:\n{codebook_text(book)}\n\n"
                                          f"JSON schema of the answer:\n{json.dumps(SCHEMA)}"},
            {"role": "user", "content": f"Code these excerpts:\n{body}"}]


def request_body(model: str, book: Codebook, texts: Sequence[Text]) -> dict:
    """The chat-completions request: deterministic (temperature 0), JSON against SCHEMA."""
    return {"model": model, "temperature": 0, "messages": messages(book, texts),
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "bolyst_codes", "strict": True, "schema": SCHEMA}}}


def cache_key(text: Text, book_version: str, model: str) -> str:
    """sha256 of (text, codebook version, model, prompt version)."""
    raw = json.dumps([text.text, text.lang, book_version, model, PROMPT_VERSION], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def estimate_tokens(book: Codebook, texts: Sequence[Text], batch: int) -> int:
    """Rough prompt tokens (4 characters a token) for coding ``texts`` in batches of ``batch``."""
    system = len(messages(book, [])[0]["content"])
    requests = -(-len(texts) // max(batch, 1))
    return (system * requests + sum(len(t.text) + 60 for t in texts)) // 4
