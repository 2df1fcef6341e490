"""Splits (coding/splits.py): the development set by source, the seed documents by passage, by a seeded hash."""

from __future__ import annotations

import hashlib

from bolyst.coding.splits import DEV, HELDOUT, TEST, TRAINING, SplitRow, assign_splits, fraction, passage_groups


def test_fraction_follows_the_format():
    # sha256("7:fafo-2025-14/amina-grat-hver-dag") = 30ca2b84da899bac… → 0x30ca2b84… / 16**64 = 0.1906
    # (computed with hashlib by hand when writing this test)
    assert abs(fraction(7, "fafo-2025-14/amina-grat-hver-dag") - 0.1906) < 1e-4
    digest = hashlib.sha256(b"7:a/b").hexdigest()
    assert fraction(7, "a/b") == int(digest, 16) / 16 ** 64


def test_overlapping_passages_form_one_group():
    rows = [SplitRow("d/narrative", "d", None, None, 10, 20), SplitRow("d/quote", "d", None, None, 12, 13),
            SplitRow("d/next", "d", None, None, 19, 25), SplitRow("d/apart", "d", None, None, 30, 31),
            SplitRow("e/same-lines", "e", None, None, 10, 20), SplitRow("d/no-lines", "d")]
    groups = passage_groups(rows)
    assert groups["d/narrative"] == groups["d/quote"] == groups["d/next"] == "d:10"  # chained overlaps
    assert groups["d/apart"] == "d:30" and groups["e/same-lines"] == "e:10" and groups["d/no-lines"] == "d/no-lines"


def test_every_source_of_the_development_set_is_on_one_side():
    """Synthetic: 60 sources of 3 excerpts; two sources share a title (one story posted on two sites)."""
    rows = [SplitRow(f"dev-s{i:02d}/q{j}", f"dev-s{i:02d}", "devset", f"Title {i}") for i in range(60) for j in range(3)]
    rows += [SplitRow("dev-copy/q1", "dev-copy", "devset", "Title 7")]
    rows += [SplitRow(f"doc/x{k}", "doc", None, "Doc", 10 * k, 10 * k + 1) for k in range(40)]
    split_of = assign_splits(rows, 1, 0.3, 20261207, 0.4)
    by_source: dict[str, set[str]] = {}
    for row in rows:
        by_source.setdefault(row.source, set()).add(split_of[row.id])
    assert all(len(sides) == 1 for source, sides in by_source.items() if source != "doc")
    assert split_of["dev-copy/q1"] == split_of["dev-s07/q0"]  # same title, same side
    devset = [split_of[r.id] for r in rows if r.group == "devset"]
    assert set(devset) == {DEV, TEST} and 0.25 < devset.count(TEST) / len(devset) < 0.55
    assert {split_of[r.id] for r in rows if r.group is None} == {TRAINING, HELDOUT}


def test_shipped_splits_keep_sources_and_passages_together(built_db):
    rows = list(built_db.query("select s.excerpt, s.split, e.source, e.line_start, e.line_end, s.source_group "
                               "from excerpt_splits s join excerpts e on e.id = s.excerpt"))
    sides: dict[str, set[str]] = {}
    for r in rows:
        if r["source_group"] == "devset":
            sides.setdefault(r["source"], set()).add(r["split"])
    assert sides and all(len(s) == 1 for s in sides.values())
    counts = {split: sum(r["split"] == split for r in rows) for split in (TRAINING, HELDOUT, DEV, TEST)}
    assert min(counts.values()) > 40, counts
    # no held-out seed excerpt is nested in (or overlaps) a training excerpt of the same source
    seeds = [r for r in rows if r["source_group"] is None and r["line_start"]]
    for a in seeds:
        for b in seeds:
            if a["source"] == b["source"] and a["split"] != b["split"]:
                assert a["line_end"] < b["line_start"] or b["line_end"] < a["line_start"], (a["excerpt"], b["excerpt"])
