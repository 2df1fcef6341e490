"""A REFI-QDA codebook ↔ Bolyst code ids, and ``coding/codebook.yaml`` written from a project.

Bolyst writes each code's id in its Description; a code made in a QDA tool gets an id from its name under
its parent's id (``push`` › «Dårlig vær» → ``push.darlig-vaer``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bolyst.corpus.text import slugify
from bolyst.corpus.yamlio import dump_yaml, load_yaml

from . import refi
from .corpus import read_meta

NO_DEFINITION = "No definition in the imported REFI-QDA project."


def existing_ids(codebook: Path) -> list[str] | None:
    """Code ids of an existing codebook file (None when there is none)."""
    if not codebook.exists():
        return None
    data = load_yaml(codebook)
    codes = data.get("codes") if isinstance(data, dict) else None
    return [str(c.get("id")) for c in codes or [] if isinstance(c, dict) and c.get("id")]


def _walk(codes: tuple[refi.Code, ...], parent: str | None, by_guid: dict[str, str]):
    for code in codes:
        meta = read_meta(code.description)
        cid = str(meta.get("code") or by_guid.get(code.guid)
                  or ((parent + "." if parent else "") + slugify(code.name or code.guid)))
        yield code, cid, parent, meta
        yield from _walk(code.children, cid, by_guid)


def code_ids(project: refi.Project, coding_dir: Path) -> tuple[dict[str, str], list[str]]:
    """Code GUID → code id for every code the coding folder has (or will have); names of the others."""
    known = existing_ids(coding_dir / "codebook.yaml")
    by_guid = {refi.guid("code", c): c for c in known or []}
    mapping, unknown = {}, []
    for code, cid, _, _ in _walk(project.codes, None, by_guid):
        if known is None or cid in known:
            mapping[code.guid] = cid
        else:
            unknown.append(f"{code.name} ({cid})")
    return mapping, unknown


def codebook_data(project: refi.Project) -> dict[str, Any]:
    """``codebook.yaml`` content for the project's codes (labels, definitions; no rules)."""
    meta = read_meta(project.description)
    codes, positions = [], {}
    for code, cid, parent, m in _walk(project.codes, None, {}):
        if isinstance(m.get("position"), int):
            positions[cid] = m["position"]
        entry: dict[str, Any] = {"id": cid}
        if parent:
            entry["parent"] = parent
        entry["label"] = {"nb": code.name, "en": str(m.get("label_en") or code.name)}
        entry["definition"] = str(m.get("definition") or (code.description if not m else "") or NO_DEFINITION)
        for key in ("includes", "excludes", "about"):
            if m.get(key):
                entry[key] = str(m[key])
        if m.get("examples"):
            entry["examples"] = [str(x) for x in m["examples"]]
        codes.append(entry)
    order = {c["id"]: i for i, c in enumerate(codes)}
    codes.sort(key=lambda c: (positions.get(c["id"], len(order)), order[c["id"]]))
    data: dict[str, Any] = {"framework": str(meta.get("framework") or f"Imported from REFI-QDA project {project.name!r}")}
    for key in ("holdout", "devset_split"):
        if isinstance(meta.get(key), dict):
            data[key] = meta[key]
    data["codes"] = codes
    return data


def write_codebook(project: refi.Project, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_yaml(codebook_data(project)), encoding="utf-8")
    return path
