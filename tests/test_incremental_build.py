"""An incremental rebuild gives the database a full build gives, codes only what changed, and computes again only
the stats tables that read the corpus.

A project of the shipped corpus plus a few SYNTHETIC sources (tests/bench/synthetic.py) is built, one source file
is changed, and it is built again beside a full build (``incremental=False``) of the changed project: every row
of every table is the same. A changed codebook or coder misses every cache entry (a cache key test); changed
statistics inputs (another fingerprint) make the stats stage compute every table again.
"""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pandas as pd
import pytest
import sqlite_utils
from bolyst.coding import cache as coder_cache
from bolyst.coding import model
from bolyst.corpus.project import init_project, open_project
from bolyst.site.build import build, ensure_all
from bolyst.stats import analysis, matrix, reuse
from bolyst.stats import build as stats_build
from bolyst.stats.snapshots import DATA_DIR

from tests.bench.synthetic import change_one_excerpt, generate
from tests.test_build import differences


@pytest.fixture()
def coded(monkeypatch) -> list[str]:
    """The ids of the excerpts the coder parses (not those taken from the cache)."""
    seen: list[str] = []
    real = coder_cache.code

    def counting(nlp, excerpts, *args, **kwargs):
        excerpts = list(excerpts)  # an iterator: counting must not use it up before the coder sees it
        seen.extend(e.id for e in excerpts)
        return real(nlp, excerpts, *args, **kwargs)

    monkeypatch.setattr(coder_cache, "code", counting)
    return seen


@pytest.fixture()
def computed(monkeypatch) -> list[str]:
    """The corpus-independent stats computations called: the statistics from the snapshots, models, barometer."""
    calls: list[str] = []
    for module, name in ((stats_build, "stats_frame"), (analysis, "run_comparables"), (analysis, "run_models"),
                         (analysis, "run_barometer")):
        real = getattr(module, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    return calls


EVERY_STATISTIC = ["stats_frame", "run_comparables", "run_models", "run_barometer"]


@pytest.fixture()
def trained(monkeypatch) -> list[int]:
    """How many examples each training of the suggester had (a model loaded from the coder cache is not trained)."""
    sizes: list[int] = []
    real = model.train

    def counting(examples, *args, **kwargs):
        sizes.append(len(examples))
        return real(examples, *args, **kwargs)

    monkeypatch.setattr(model, "train", counting)
    monkeypatch.setattr(coder_cache, "train", counting)
    return sizes


@pytest.fixture()
def tested(monkeypatch) -> list[tuple]:
    """The tables the theme matrix tested (the Monte Carlo and Fisher tests actually run)."""
    tables: list[tuple] = []
    real = matrix.contingency_test

    def counting(table, *args, **kwargs):
        tables.append(matrix.table_key(table))
        return real(table, *args, **kwargs)

    monkeypatch.setattr(matrix, "contingency_test", counting)
    return tables


def test_incremental_rebuild_is_a_full_build(tmp_path, coded, computed, trained, tested):
    root = tmp_path / "project"
    generate(root, 120)
    project, _ = init_project(root)
    db = root / "bolyst.db"
    build(db, project, incremental=True)
    assert (root / "bolyst.db.coder-cache").is_file()
    first = len(coded)
    assert first > 700  # everything was coded once

    assert computed == EVERY_STATISTIC  # no previous database: everything computed
    assert len(trained) == 1
    assert len(tested) > 100

    changed = change_one_excerpt(root)
    coded.clear()
    computed.clear()
    tested.clear()
    build(db, open_project(root), incremental=True)
    assert coded == [changed]  # only the changed excerpt was parsed again
    assert computed == []  # the statistics, models and barometer were copied from the previous database
    assert len(trained) == 1  # nobody coded the SYNTHETIC sources: the same examples, the model trained before
    again = list(tested)  # the matrix tests of the tables the changed excerpt changed, only those

    full = tmp_path / "full.db"
    tested.clear()
    build(full, open_project(root, full), incremental=False)
    assert not (tmp_path / "full.db.coder-cache").exists()
    assert computed == EVERY_STATISTIC
    assert len(trained) == 2  # a full build trains
    assert 0 < len(again) < len(tested) / 4 and set(again) < set(tested)
    assert not differences(db, full)
    assert sqlite_utils.Database(db)["build_fingerprints"].count == len(reuse.STATISTICS_TABLES)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A project of the shipped corpus alone, built incrementally once (with its coder cache)."""
    root = tmp_path_factory.mktemp("demo")
    project, _ = init_project(root)
    build(root / "bolyst.db", project, incremental=True)
    return root / "bolyst.db"


def copied(db, tmp_path):
    """A copy of the built database and its coder cache, to rebuild over."""
    for suffix in ("", coder_cache.SUFFIX):
        shutil.copyfile(db.with_name(db.name + suffix), tmp_path / f"bolyst.db{suffix}")
    return tmp_path / "bolyst.db"


def test_changed_statistics_inputs_compute_every_table_again(demo_db, tmp_path, monkeypatch, computed):
    db = copied(demo_db, tmp_path)
    real = reuse.fingerprint
    monkeypatch.setattr(reuse, "fingerprint", lambda data_dir: "changed:" + real(data_dir))
    build(db, open_project(demo_db.parent, db), incremental=True)
    assert computed == EVERY_STATISTIC
    # the same rows as before, under the new fingerprint
    assert differences(db, demo_db).keys() == {"build_fingerprints"}
    fingerprints = {r[0] for r in sqlite3.connect(db).execute("select fingerprint from build_fingerprints")}
    assert fingerprints == {"changed:" + real(DATA_DIR)}


def test_a_full_build_never_reads_the_previous_database(demo_db, tmp_path, monkeypatch, computed):
    db = copied(demo_db, tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("a full build read the previous database")

    monkeypatch.setattr(reuse, "copy", refuse)
    monkeypatch.setattr(reuse, "known_tests", refuse)
    build(db, open_project(demo_db.parent, db), incremental=False)
    assert computed == EVERY_STATISTIC
    assert not differences(db, demo_db)


def empty(path):
    db = sqlite_utils.Database(path)
    ensure_all(db)
    return db


def test_the_previous_tables_are_copied_only_when_fingerprint_and_row_counts_match(demo_db, tmp_path):
    fingerprint = reuse.fingerprint(DATA_DIR)
    counts = reuse.copy(empty(tmp_path / "a.db"), demo_db, fingerprint)
    assert counts == {t: sqlite_utils.Database(demo_db)[t].count for t in reuse.STATISTICS_TABLES}
    assert counts["municipality_stats"] > 100_000

    assert reuse.copy(empty(tmp_path / "b.db"), demo_db, "another") is None
    edited = copied(demo_db, tmp_path)  # a row deleted after the build: the count no longer matches
    with sqlite3.connect(edited) as conn:
        conn.execute("delete from model_terms where rowid = (select min(rowid) from model_terms)")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    older = tmp_path / "older.db"  # built before build_fingerprints existed
    shutil.copyfile(demo_db, older)
    with sqlite3.connect(older) as conn:
        conn.execute("drop table build_fingerprints")
    for previous in (edited, garbage, older, tmp_path / "missing.db"):
        db = empty(tmp_path / f"from-{previous.stem}.db")
        assert reuse.copy(db, previous, fingerprint) is None, previous
        assert all(db[t].count == 0 for t in reuse.STATISTICS_TABLES)  # nothing half-copied
    assert garbage.read_bytes() == b"not a database" * 100  # read-only


def test_the_fingerprint_covers_the_data_files(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = reuse.fingerprint(data)
    assert reuse.fingerprint(data) == before != reuse.fingerprint(DATA_DIR)  # the project's folder counts too
    with (data / "SOURCES.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    assert reuse.fingerprint(data) != before


def test_a_changed_codebook_or_text_misses_the_cache(tmp_path):
    from bolyst.coding import CODING_DIR
    from bolyst.coding.codebook import load_codebook
    from bolyst.coding.coder import Text

    shipped = load_codebook(CODING_DIR / "codebook.yaml")
    edited = tmp_path / "codebook.yaml"
    edited.write_text((CODING_DIR / "codebook.yaml").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    one, other = coder_cache.CoderCache(tmp_path / "a", shipped), coder_cache.CoderCache(tmp_path / "b",
                                                                                           load_codebook(edited))
    text = Text("s/1", "Vi trives her.", "nb")
    assert one.key(text) != other.key(text)
    assert one.key(text) == one.key(Text("s/2", "Vi trives her.", "nb"))  # the id is not part of the key
    assert one.key(text) != one.key(Text("s/1", "Vi trives her.", "nn"))
    assert one.key(text) != one.key(Text("s/1", "Vi trives der.", "nb"))


def test_the_matrix_tests_of_unchanged_tables_are_reused_and_changed_ones_run(demo_db, tested):
    db = sqlite_utils.Database(demo_db)
    chars, members = analysis.matrix_inputs(analysis.inputs(db), analysis.read(db, "select * from excerpt_places"))
    known = reuse.known_tests(demo_db, reuse.fingerprint(DATA_DIR))
    assert len(known) > 100
    stored = analysis.read(db, "select * from theme_matrix order by code, dimension, category")
    same = matrix.theme_matrix(members, chars, known=known).sort_values(["code", "dimension", "category"])
    assert tested == []  # every table was known
    pd.testing.assert_frame_equal(same[["test", "statistic", "pval"]].reset_index(drop=True),
                                  stored[["test", "statistic", "pval"]], check_dtype=False)

    code = "push"  # one excerpt fewer carries the theme: its tables change, the others' do not
    dropped = members[~((members["code"] == code) & (members["excerpt"] == members.loc[
        members["code"] == code, "excerpt"].iloc[0]))]
    changed = matrix.theme_matrix(dropped, chars, known=known)
    ran = list(tested)
    assert ran and all(key not in known for key in ran)
    keys = set()
    for dimension, cells in changed[(changed["code"] == code)
                                    & ~changed["category"].isin(matrix.UNTESTED)].groupby("dimension"):
        key = matrix.table_key(np.column_stack([cells["n_coded"], cells["n_excerpts"] - cells["n_coded"]]))
        keys.add(key)
        first = cells.iloc[0]  # reused or tested again: the result a test of that table gives
        assert (first["test"], first["statistic"], first["pval"]) == matrix.contingency_test(np.array(key)), dimension
    assert set(ran) <= keys  # only the changed code's changed tables were tested


def test_the_matrix_tests_are_not_taken_from_another_fingerprint_or_no_database(demo_db, tmp_path):
    assert reuse.known_tests(demo_db, "another") == {}
    assert reuse.known_tests(tmp_path / "missing.db", reuse.fingerprint(DATA_DIR)) == {}
    assert not (tmp_path / "missing.db").exists()
