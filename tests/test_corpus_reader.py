"""The corpus reader: shipped corpus reads clean; each kind of bad record is named with file, line and fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bolyst.corpus import SEEDS_DIR
from bolyst.corpus.errors import CorpusFormatError, ErrorList
from bolyst.corpus.reader import read_corpus

SEED = "Intervju.\nJeg gråt hver dag i flere år etter at vi flyttet hit.\nAlle kjenner meg her.\n"


def make_corpus(root: Path, excerpts_yaml: str) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "doc.txt").write_text(SEED, encoding="utf-8")
    folder = root / "sources" / "doc"
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text("id: doc\nseed: doc.txt\ntitle: Et dokument\nyear: 2025\n", encoding="utf-8")
    (folder / "excerpts.yaml").write_text(excerpts_yaml, encoding="utf-8")
    return root


GOOD = """source: doc
speakers:
  - id: amina
    pseudonym: Amina
    role: refugee
excerpts:
  - id: grat
    kind: quote
    lines: [2, 2]
    speaker: amina
    place: {profile: {landsdel: Nord-Norge, centrality: 4, population_min: 5000, population_max: 10000}}
    text: Jeg gråt hver dag i flere år etter at vi flyttet hit
"""


def test_shipped_corpus_reads_without_problems():
    corpus = read_corpus()
    ids = [e.id for e in corpus.excerpts]
    assert len(ids) == len(set(ids)) and len(ids) >= 150
    documents = {s.id for s in corpus.sources if s.group is None}
    assert documents == {"fafo-2025-14", "nibr-derfor-blir-vi-her", "exitnorway-flyer", "nibr-slides",
                         "telemarksforsking-attraktivitet-2011"}
    assert all(e.speaker is None or e.speaker.startswith(e.source + "/") for e in corpus.excerpts)


def test_development_set_is_web_material_with_provenance_in_three_languages():
    """The coder's development material (issue: ≥ 400 excerpts, ≥ 80 sources, ≥ 80 per language), kept apart
    from the documents and cited to the page it was read from."""
    corpus = read_corpus()
    devset = {s.id: s for s in corpus.sources if s.group == "devset"}
    excerpts = [e for e in corpus.excerpts if e.source in devset]
    assert len(excerpts) >= 400 and len(devset) >= 80
    per_lang = {lang: sum(e.lang == lang for e in excerpts) for lang in ("nb", "nn", "en")}
    assert min(per_lang.values()) >= 80, per_lang
    assert all(s.url and s.url.startswith("http") and s.accessed and s.id.startswith("dev-") for s in devset.values())
    news = sum(devset[e.source].genre == "news" for e in excerpts)
    assert news <= len(excerpts) / 2  # mostly people's own words in reports, theses, blogs and op-eds


def test_good_record_becomes_full_excerpt(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path, GOOD))
    (excerpt,) = corpus.excerpts
    assert excerpt.id == "doc/grat" and excerpt.speaker == "doc/amina" and excerpt.kind == "quote"
    assert (excerpt.line_start, excerpt.line_end) == (2, 2)
    assert excerpt.place.label == "Nord-Norge, sentralitet 4, 5 000–10 000 innbyggere"
    assert excerpt.place.id == "profile:Nord-Norge|sentralitet 4|5 000–10 000 innbyggere"


@pytest.mark.parametrize("change, message", [
    ("kind: quote", "'kind' is 'sitat'"),
    ("speaker: amina", "unknown speaker 'nobody'"),
    ("lines: [2, 2]", "'lines' [2, 99] is outside the seed's 1–4"),
    ("centrality: 4", "centrality class 9 is not SSB's 1–6"),
])
def test_bad_record_is_named_with_line_and_fix(tmp_path, change, message):
    replacement = {"kind: quote": "kind: sitat", "speaker: amina": "speaker: nobody",
                   "lines: [2, 2]": "lines: [2, 99]", "centrality: 4": "centrality: 9"}[change]
    root = make_corpus(tmp_path, GOOD.replace(change, replacement))
    with pytest.raises(ErrorList) as info:
        read_corpus(root)
    (error,) = info.value.errors
    assert isinstance(error, CorpusFormatError)
    assert str(error).startswith("sources/doc/excerpts.yaml, line 7, record 'grat': " + message)


def test_all_problems_reported_in_one_pass(tmp_path):
    bad = GOOD + "  - id: grat\n    kind: quote\n    text: Alle kjenner meg her.\n  - kind: narrative\n    text: x\n"
    with pytest.raises(ErrorList) as info:
        read_corpus(make_corpus(tmp_path, bad))
    messages = [str(e) for e in info.value.errors]
    assert messages == [
        "sources/doc/excerpts.yaml, line 13, record 'grat': duplicate excerpt id 'grat' — give each record its own id",
        "sources/doc/excerpts.yaml, line 16: missing 'id' — add a 'id:' field (see corpus/FORMAT.md)",
    ]


def test_invalid_yaml_names_line(tmp_path):
    root = make_corpus(tmp_path, "source: doc\nexcerpts:\n  - id: a\n    text: [unclosed\n")
    with pytest.raises(ErrorList) as info:
        read_corpus(root)
    assert "sources/doc/excerpts.yaml, line 5" in str(info.value) and "not valid YAML" in str(info.value)


def test_shipped_seed_files_are_the_ones_sources_cite():
    cited = {s.seed for s in read_corpus().sources}
    assert cited <= {p.name for p in SEEDS_DIR.iterdir()}
    shutil.disk_usage(SEEDS_DIR)  # the seeds ship inside the package folder


def test_source_fields_are_exactly_the_records(tmp_path):
    root = make_corpus(tmp_path, GOOD)
    source_yaml = root / "sources" / "doc" / "source.yaml"
    source_yaml.write_text(source_yaml.read_text(encoding="utf-8") + "editors: [Noen]\n", encoding="utf-8")
    with pytest.raises(ErrorList, match="unknown field\\(s\\) editors"):
        read_corpus(root)


def test_citation_line_ranges_are_never_equal() -> None:
    from bolyst.corpus.writer import line_range

    assert line_range(11, 11) == "l. 11" and line_range(11, None) == "l. 11" and line_range(11, 14) == "l. 11–14"
