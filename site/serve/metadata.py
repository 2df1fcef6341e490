"""Datasette metadata: the hand-written site/serve/metadata.yaml merged with every stage's table descriptions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bolyst.site.build import all_queries, all_tables, all_views

from .canned import QUERIES as SERVE_QUERIES

BASE = Path(__file__).resolve().parent / "metadata.yaml"


def build_metadata(db_name: str = "bolyst") -> dict[str, Any]:
    """Metadata for a database called ``db_name`` (the .db file's stem)."""
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    databases = base.setdefault("databases", {})
    database = databases.pop("bolyst", {})
    tables = database.setdefault("tables", {})
    for table in all_tables():
        entry = tables.setdefault(table.name, {})
        entry["description"] = table.description
        entry["columns"] = {c.name: c.description for c in table.columns}
        if table.label_column:
            entry["label_column"] = table.label_column
        if table.facets:
            entry["facets"] = list(table.facets)
        if table.sort:
            entry["sort"] = table.sort
        if table.fts:
            entry["fts_table"] = f"{table.name}_fts"
            entry["fts_pk"] = "rowid"
        entry.update(table.extra)
    for view in all_views():
        tables.setdefault(view.name, {}).update(description=view.description, columns=dict(view.columns))
    database["queries"] = {**SERVE_QUERIES, **database.get("queries", {}), **all_queries()}
    databases[db_name] = database
    return base


def write_metadata(path: Path, db_name: str = "bolyst") -> Path:
    path.write_text(yaml.safe_dump(build_metadata(db_name), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
