"""Turn collected development quotes (JSON Lines) into corpus sources: one folder per web page.

Developer tool, run once per collection round (it is not part of the product):

    .venv/bin/python tests/devtools/ingest_devset.py collected/*.jsonl --corpus corpus --accessed 2026-12-07

Each input line: {"text", "lang", "url", "title", "publisher", "date", "section", "genre", "speaker",
"speaker_role", "place"} (the collectors' brief). Per distinct URL this writes
``corpus/sources/dev-<slug>/source.yaml`` (group: devset, url, accessed), ``excerpts.yaml`` and a quote sheet
``corpus/seeds/dev-<slug>.txt``: the page's collected excerpts as they stand on the page, one paragraph each,
which the build checks every excerpt against (the page itself is not shipped). Excerpts that repeat one
already taken, or that occur in one of the seed documents, are dropped and reported. Existing folders are
never overwritten: a source id that exists is reported and skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROLE_MAP = {"refugee": "refugee", "labour_migrant": "labour_migrant", "immigrant": "immigrant",
            "returnee": "returnee", "municipal_employee": "municipal_employee", "volunteer": "volunteer",
            "employer": "employer", "politician": "politician", "researcher": "researcher",
            "journalist": "journalist", "other": "other"}
NARRATIVE_ROLES = {"researcher", "journalist"}


def slug(text: str, limit: int = 40) -> str:
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-") or "x"


def norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def source_id(url: str) -> str:
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.")
    return f"dev-{slug(host.split('.')[0], 20)}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("corpus"))
    ap.add_argument("--accessed", required=True)
    args = ap.parse_args(argv)
    seeds_text = " ".join(norm(p.read_text(encoding="utf-8")) for p in sorted((args.corpus / "seeds").glob("0*.txt")))
    seen: set[str] = set()
    by_url: dict[str, list[dict]] = defaultdict(list)
    dropped = 0
    for path in args.files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            text = re.sub(r"[ \t]*\n[ \t]*", " ", row["text"].strip())
            text = re.sub(r"^[-–—]\s+", "", text)  # a news quote's leading dash is not part of the quote
            key = norm(text)
            if key in seen or key in seeds_text:
                print(f"{path.name}:{number}: dropped (repeat or in a seed document): {text[:60]!r}", file=sys.stderr)
                dropped += 1
                continue
            seen.add(key)
            by_url[row["url"].strip()].append({**row, "text": text})
    written = 0
    for url, rows in sorted(by_url.items()):
        sid = source_id(url)
        folder = args.corpus / "sources" / sid
        if folder.exists():
            print(f"{sid}: exists, skipped", file=sys.stderr)
            continue
        first = rows[0]
        langs = sorted({r["lang"] for r in rows})
        year = re.match(r"(\d{4})", first.get("date") or "")
        source = {"id": sid, "seed": f"{sid}.txt", "title": first.get("title") or url,
                  **({"publisher": first["publisher"]} if first.get("publisher") else {}),
                  **({"year": int(year.group(1))} if year else {}),
                  "url": url, "language": langs[0] if len(langs) == 1 else first["lang"],
                  **({"genre": first["genre"]} if first.get("genre") else {}),
                  "licence": "not stated", "group": "devset", "accessed": args.accessed}
        speakers: dict[str, dict] = {}
        excerpts = []
        sheet = [f"# Bolyst development set: excerpts collected verbatim from {url}",
                 f"# {source['title']} ({first.get('publisher') or 'publisher not stated'}, "
                 f"{first.get('date') or 'no date shown'}); read {args.accessed} from a stored copy of the page.",
                 "# One paragraph per excerpt, as it stands on the page. The page itself is not shipped.", ""]
        for index, row in enumerate(rows, start=1):
            role = ROLE_MAP.get(row.get("speaker_role") or "other", "other")
            description = (row.get("speaker") or "").strip() or "not stated"
            speaker_id = slug(description, 48)
            speakers.setdefault(speaker_id, {"id": speaker_id, "description": description, "role": role})
            line = len(sheet) + 1
            sheet += [row["text"], ""]
            excerpt = {"id": f"q{index:02d}", "kind": "narrative" if role in NARRATIVE_ROLES else "quote",
                       "lang": row["lang"], "lines": [line, line], "speaker": speaker_id, "text": row["text"]}
            if row.get("section"):
                excerpt["section"] = str(row["section"])
            if row.get("place"):
                excerpt["place"] = {"description": str(row["place"])}
            excerpts.append(excerpt)
        folder.mkdir(parents=True)
        (args.corpus / "seeds" / f"{sid}.txt").write_text("\n".join(sheet), encoding="utf-8")
        (folder / "source.yaml").write_text(yaml.safe_dump(source, allow_unicode=True, sort_keys=False, width=110),
                                            encoding="utf-8")
        records = {"source": sid, "speakers": list(speakers.values()), "excerpts": excerpts}
        (folder / "excerpts.yaml").write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=110),
                                              encoding="utf-8")
        written += len(excerpts)
    print(f"{written} excerpts in {len(by_url)} sources written; {dropped} dropped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
