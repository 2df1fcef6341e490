"""Docs are tested: every table and column described; every command in the README."""

from __future__ import annotations

from pathlib import Path

from bolyst.site.serve.metadata import build_metadata

from .test_cli import all_commands

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_table_and_column_in_the_database_is_described(built_db):
    tables = build_metadata("bolyst")["databases"]["bolyst"]["tables"]
    missing = []
    for name in built_db.table_names() + built_db.view_names():
        if name.startswith("excerpts_fts") or name.startswith("findings_fts") or "_fts" in name:
            continue
        meta = tables.get(name, {})
        if not meta.get("description"):
            missing.append(name)
        columns = [c.name for c in built_db[name].columns]
        missing += [f"{name}.{c}" for c in columns if not meta.get("columns", {}).get(c)]
    assert missing == []


def test_metadata_has_title_licence_source_and_facets():
    meta = build_metadata("bolyst")
    assert meta["title"] and meta["license"] and meta["source"]
    excerpts = meta["databases"]["bolyst"]["tables"]["excerpts"]
    assert excerpts["facets"] == ["kind", "lang", "source_group", "speaker_role", "landsdel", "source"]


def test_every_cli_command_appears_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [" ".join(p) for p, c in all_commands() if not hasattr(c, "commands") and f"bolyst {' '.join(p)}" not in text]
    assert missing == []


def test_readme_opens_with_the_two_commands():
    lines = [line for line in README.read_text(encoding="utf-8").splitlines() if line.strip()]
    code = [line.split("#")[0].strip() for line in lines[:12] if line.strip().startswith("make ")]
    assert code[:2] == ["make serve", "make test"]
