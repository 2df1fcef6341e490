"""Pages stay fast at scale: every foreign key has an index, and no per-key page query scans a table that grows
with the corpus (checked with SQLite's own EXPLAIN QUERY PLAN on a database of the build's shape).

Speed itself is measured in ``make bench`` (tests/bench/scale.py); this proves the plans that make it.
"""

from __future__ import annotations

import re

import pytest
import sqlite_utils
from bolyst.site.build import ensure_all, foreign_keys_without_index
from bolyst.site.pages.queries import QUERIES

#: Tables whose rows grow with the corpus or the statistics: a page for one key must not read them whole.
GROWING = {"excerpts", "codings", "speakers", "findings", "finding_values", "excerpt_places", "sources",
           "matrix_codings", "coding_decisions", "municipality_stats", "comparables", "comparable_contributions",
           "model_residuals", "rate_estimates", "theme_matrix", "code_examples"}
PARAMS = {"source": "s", "code": "push", "municipality": "0301", "limit": 8, "terms": "flytte", "confirmed": 1}
KEYED = [name for name, q in QUERIES.items() if re.search(r":(source|code|municipality)\b", q.sql)]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> sqlite_utils.Database:
    db = sqlite_utils.Database(tmp_path_factory.mktemp("plans") / "shape.db")
    ensure_all(db)
    return db


def aliases(sql: str) -> dict[str, str]:
    """alias (or name) -> table, for every ``from``/``join`` in the query."""
    found = {}
    for table, alias in re.findall(r"\b(?:from|join)\s+(\w+)(?:\s+(?:as\s+)?(?!on\b|where\b|join\b|left\b|"
                                   r"group\b|order\b|cross\b|limit\b)(\w+))?", sql, re.I):
        found[alias or table] = table
        found[table] = table
    return found


def test_every_foreign_key_has_an_index(db):
    assert foreign_keys_without_index(db) == []
    assert any(i.columns == ["source"] for i in db["speakers"].indexes)  # one the pages use: a source's speakers


@pytest.mark.parametrize("name", KEYED)
def test_keyed_page_query_reads_no_growing_table_whole(db, name):
    sql = QUERIES[name].sql
    params = {k: v for k, v in PARAMS.items() if f":{k}" in sql}
    plan = [row[3] for row in db.conn.execute("explain query plan " + sql, params).fetchall()]
    tables = aliases(sql)
    full = [step for step in plan if (m := re.match(r"SCAN (\w+)", step)) and tables.get(m.group(1)) in GROWING
            and "COVERING INDEX" not in step]  # a covering-index scan is a count(*), no rows read
    assert not full, f"{name}: {full} (plan: {plan})"


def test_the_check_sees_a_full_scan(db):
    """The test above can fail: a query with LIKE on codings (as the code pages had) is caught."""
    sql = "select count(*) from codings c join excerpts e on e.id = c.excerpt where c.code like :code || '.%'"
    plan = [row[3] for row in db.conn.execute("explain query plan " + sql, {"code": "push"}).fetchall()]
    assert any(re.match(r"SCAN (c|e)\b", step) and "COVERING" not in step for step in plan), plan
