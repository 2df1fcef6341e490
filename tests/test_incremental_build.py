"""An incremental rebuild (the default) gives the database a full build gives, and codes only what changed.

A project of the shipped corpus plus a few SYNTHETIC sources (tests/bench/synthetic.py) is built, one source file
is changed, and it is built again beside a full build (``incremental=False``) of the changed project: every row
of every table is the same. A changed codebook or coder misses every cache entry (a cache key test).
"""

from __future__ import annotations

import pytest
from bolyst.coding import cache as coder_cache
from bolyst.corpus.project import init_project, open_project
from bolyst.site.build import build

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


def test_incremental_rebuild_is_a_full_build(tmp_path, coded):
    root = tmp_path / "project"
    generate(root, 120)
    project, _ = init_project(root)
    db = root / "bolyst.db"
    build(db, project, incremental=True)
    assert (root / "bolyst.db.coder-cache").is_file()
    first = len(coded)
    assert first > 700  # everything was coded once

    changed = change_one_excerpt(root)
    coded.clear()
    build(db, open_project(root), incremental=True)
    assert coded == [changed]  # only the changed excerpt was parsed again

    full = tmp_path / "full.db"
    build(full, open_project(root, full), incremental=False)
    assert not (tmp_path / "full.db.coder-cache").exists()
    assert not differences(db, full)


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
