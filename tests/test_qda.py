"""REFI-QDA interchange: the .qdpx validates, its offsets select the excerpts, it is stable, and it round-trips."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from bolyst.coding.codebook import load_codebook
from bolyst.coding.decisions import latest, read_decisions
from bolyst.corpus.reader import read_corpus
from bolyst.corpus.text import normalise, occurs_in
from bolyst.site.qda import refi as qda
from bolyst.site.build import PACKAGE_DIRS
from bolyst.site.cli.main import cli
from bolyst.site.qda.export import export_qdc, export_qdpx
from bolyst.site.qda.importer import import_qdpx
from bolyst.site.qda.read import read_qdpx
from bolyst.site.qda.spans import locate
from click.testing import CliRunner
from lxml import etree

SCHEMAS = Path(qda.__file__).parent / "refi-qda"
NS = {"q": qda.PROJECT_NS}

# Synthetic decisions of a synthetic test coder (not a real researcher's coding).
DECISIONS = """coder: test-coder
decisions:
  - excerpt: fafo-2025-14/amina-grat-hver-dag
    code: push
    action: add
    date: 2026-11-20
    note: "Syntetisk notat: «gråt» – æøå"
  - excerpt: fafo-2025-14/amina-grat-hver-dag
    code: stay
    action: reject
    date: 2026-11-21
  - excerpt: nibr-derfor-blir-vi-her/flyktningpar-jobber-overtid
    code: pull
    action: add
"""


@pytest.fixture(scope="module")
def coding_dir(tmp_path_factory) -> Path:
    """The shipped coding folder plus a synthetic coder's decisions."""
    folder = tmp_path_factory.mktemp("coding") / "coding"
    shutil.copytree(PACKAGE_DIRS["coding"], folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "decisions").mkdir(exist_ok=True)
    (folder / "decisions" / "test-coder.yaml").write_text(DECISIONS, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def qdpx(built_db, coding_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("qdpx") / "bolyst.qdpx"
    export_qdpx(built_db, path, coding_dir=coding_dir)
    return path


def project_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_project_validates_against_shipped_schema_and_names_its_origin(qdpx):
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))
    root = project_xml(qdpx)
    assert schema.validate(root), schema.error_log
    assert root.get("origin").startswith("Bolyst")
    assert root.get("name") == "Bolyst"


def test_codebook_validates_against_shipped_schema(tmp_path, coding_dir):
    path = export_qdc(tmp_path / "codebook.qdc", coding_dir).path
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "Codebook.xsd")))
    root = etree.parse(str(path))
    assert schema.validate(root), schema.error_log
    codes = root.findall(".//{urn:QDA-XML:codebook:1.0}Code")
    assert len(codes) == len(load_codebook(coding_dir / "codebook.yaml").codes)


def test_one_text_file_per_source_utf8_without_bom_and_lf_only(qdpx):
    root = project_xml(qdpx)
    with zipfile.ZipFile(qdpx) as archive:
        names = set(archive.namelist())
        sources = root.findall(".//q:TextSource", NS)
        assert len(sources) == len(read_corpus().sources)
        for source in sources:
            target = source.get("plainTextPath")
            assert target.startswith("internal://") and source.find("q:PlainTextContent", NS) is None
            data = archive.read("sources/" + target.removeprefix("internal://"))
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
            data.decode("utf-8")
        assert names == {"project.qde", *("sources/" + s.get("plainTextPath")[11:] for s in sources)}
        assert b"\r" not in archive.read("project.qde")


def test_selection_offsets_are_code_points_that_select_each_excerpt(qdpx):
    project = read_qdpx(qdpx)
    excerpts = {e.id: e for e in read_corpus().excerpts}
    selections = [(s, sel) for s in project.sources for sel in s.selections]
    assert sorted(sel.name for _, sel in selections) == sorted(excerpts)
    before_non_ascii = 0
    for source, sel in selections:
        excerpt = excerpts[sel.name]
        passage = source.text[sel.start:sel.end]
        assert occurs_in(excerpt.text, passage, excerpt.omits), sel.name
        assert passage[0] == excerpt.text[0] and passage[-1] == excerpt.text[-1], sel.name
        before_non_ascii += any(ord(ch) > 127 for ch in source.text[:sel.start])
    assert before_non_ascii > 100  # æ, ø, å and « » precede most passages: offsets count them as one each


def test_offsets_count_characters_not_bytes_and_skip_page_furniture():
    # Synthetic seed: æøå before the passage, a hyphenated line break and a page header inside it.
    seed = "Forord om æøå og «sitater».\nHun sa at kom-\nFAFO-RAPPORT 2025:14\nmunen var god å bo i.\n"
    text = "Hun sa at kommunen var god å bo i."
    start, end = locate(text, seed, 2, 4, omits=("FAFO-RAPPORT 2025:14",))
    assert (start, end) == (seed.index("Hun"), seed.index("i.\n") + 2)
    assert len(seed[:start].encode("utf-8")) > start  # bytes would be the wrong unit
    assert normalise(seed[start:end].replace("FAFO-RAPPORT 2025:14", " ")) == text


def test_clean_text_drops_bom_and_crlf():
    assert qda.clean_text("\ufeffen\r\nto\rtre") == "en\nto\ntre"


def test_two_exports_are_byte_identical_with_stable_guids(built_db, coding_dir, qdpx, tmp_path):
    again = tmp_path / "again.qdpx"
    export_qdpx(built_db, again, coding_dir=coding_dir)
    assert again.read_bytes() == qdpx.read_bytes()
    root = project_xml(qdpx)
    amina = root.find(".//q:PlainTextSelection[@name='fafo-2025-14/amina-grat-hver-dag']", NS)
    assert amina.get("guid") == qda.guid("excerpt", "fafo-2025-14/amina-grat-hver-dag")


def test_codings_carry_their_coder_and_rejections_stay_out(qdpx):
    project = read_qdpx(qdpx)
    users = {u.guid: u.id for u in project.users}
    assert set(users.values()) >= {"auto", "test-coder"}
    sel = next(sel for s in project.sources for sel in s.selections if sel.name == "fafo-2025-14/amina-grat-hver-dag")
    human = {(users[c.user], c.code) for c in sel.codings if users[c.user] == "test-coder"}
    assert human == {("test-coder", qda.guid("code", "push"))}
    assert ("auto", qda.guid("code", "stay")) not in {(users[c.user], c.code) for c in sel.codings}


def test_round_trip_into_fresh_folders_loses_nothing(qdpx, coding_dir, tmp_path):
    corpus, coding = tmp_path / "corpus", tmp_path / "coding"
    result = import_qdpx(qdpx, corpus, coding, today="2026-11-29")
    assert result.problems == [] and result.codebook_written
    before, after = read_corpus(), read_corpus(corpus)
    key = lambda r: r.id
    assert sorted(after.excerpts, key=key) == sorted(before.excerpts, key=key)
    assert sorted(after.speakers, key=key) == sorted(before.speakers, key=key)
    assert sorted(after.sources, key=key) == sorted(before.sources, key=key)
    for source in before.sources:
        assert (corpus / "seeds" / source.seed).read_bytes() == (PACKAGE_DIRS["corpus"] / "seeds" / source.seed).read_bytes()
    old, new = load_codebook(coding_dir / "codebook.yaml"), load_codebook(coding / "codebook.yaml")
    strip = lambda book: [replace(c, rules=(), line=None) for c in book.codes]
    assert strip(new) == strip(old)
    assert (new.framework, new.holdout_seed, new.holdout_share) == (old.framework, old.holdout_seed, old.holdout_share)
    decided = lambda folder: sorted((d.coder, d.excerpt, d.code, d.action, d.date, d.note)
                                    for d in latest(read_decisions(folder)).values())
    assert decided(coding / "decisions") == decided(coding_dir / "decisions")
    assert ("test-coder", "fafo-2025-14/amina-grat-hver-dag", "stay", "reject", "2026-11-21", None) in decided(
        coding / "decisions")


def test_importing_again_changes_nothing(qdpx, coding_dir, tmp_path):
    corpus, coding = tmp_path / "corpus", tmp_path / "coding"
    import_qdpx(qdpx, corpus, coding)
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = import_qdpx(qdpx, corpus, coding)
    assert again.unchanged and again.problems == []
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files


def foreign_project() -> qda.Project:
    """A synthetic project as another QDA tool writes it: no Bolyst fields, a new interview, CRLF and a BOM."""
    text = "\ufeffI: Hvorfor ble dere?\r\nR: Her på Tynset kjenner alle oss, og barna trives på skolen.\r\n"
    clean = qda.clean_text(text)
    start = clean.index("Her på")
    user = qda.User(guid="11111111-1111-4111-8111-111111111111", name="Kari Testkoder")
    sel = qda.Selection(guid="22222222-2222-4222-8222-222222222222", start=start, end=len(clean) - 1, name="Tynset",
                        codings=(qda.Coding("33333333-3333-4333-8333-333333333333", qda.guid("code", "stay"),
                                            user.guid),
                                 qda.Coding("44444444-4444-4444-8444-444444444444",
                                            "55555555-5555-4555-8555-555555555555", user.guid)))
    codes = (qda.Code(qda.guid("code", "stay"), "Bli"), qda.Code("55555555-5555-4555-8555-555555555555", "Vær"))
    case = qda.Case("66666666-6666-4666-8666-666666666666", "Respondent 1", selections=(sel.guid,))
    source = qda.Source(guid="77777777-7777-4777-8777-777777777777", name="Syntetisk intervju Tynset", text=clean,
                        selections=(sel,))
    return qda.Project(name="Syntetisk", origin="Synthetic test tool", users=(user,), codes=codes, cases=(case,),
                       sources=(source,))


def test_import_of_a_project_from_another_tool(tmp_path):
    corpus, coding = tmp_path / "corpus", tmp_path / "coding"
    shutil.copytree(PACKAGE_DIRS["corpus"] / "sources", corpus / "sources")
    shutil.copytree(PACKAGE_DIRS["corpus"] / "seeds", corpus / "seeds")
    shutil.copytree(PACKAGE_DIRS["coding"], coding, ignore=shutil.ignore_patterns("*.py", "__pycache__", "decisions"))
    path = qda.write_qdpx(foreign_project(), tmp_path / "other.qdpx")
    result = runner_import(path, corpus, coding)
    assert "1 new sources, 1 new excerpts, decisions appended: 1 by kari-testkoder" in result.output
    assert "code 'Vær (vaer)' is not in" in result.output and result.exit_code == 1
    excerpt = next(e for e in read_corpus(corpus).excerpts if e.source == "syntetisk-intervju-tynset")
    assert excerpt.text == "Her på Tynset kjenner alle oss, og barna trives på skolen."
    assert excerpt.kind == "quote" and excerpt.speaker == "syntetisk-intervju-tynset/respondent-1"
    assert (excerpt.line_start, excerpt.line_end) == (2, 2)
    (decision,) = read_decisions(coding / "decisions")
    assert (decision.coder, decision.excerpt, decision.code, decision.action) == (
        "kari-testkoder", excerpt.id, "stay", "add")
    again = runner_import(path, corpus, coding)
    assert "decisions appended: none" in again.output and "0 new excerpts" in again.output


def runner_import(path: Path, corpus: Path, coding: Path):
    return CliRunner().invoke(cli, ["import", str(path), "--corpus", str(corpus), "--coding", str(coding)])


def test_a_broken_archive_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    result = runner_import(bad, tmp_path / "corpus", tmp_path / "coding")
    assert result.exit_code == 1 and "not a .qdpx (zip) archive" in result.output
    assert "Traceback" not in result.output


def test_cli_export_qdpx_reports_counts(built_db_path, tmp_path):
    out = tmp_path / "cli.qdpx"
    result = CliRunner().invoke(cli, ["export", str(out), "--db", str(built_db_path)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: {len(read_corpus().sources)} documents, {len(read_corpus().excerpts)} selections" in result.output
    refused = CliRunner().invoke(cli, ["export", str(out), "--db", str(built_db_path), "--theme", "push"])
    assert refused.exit_code == 1 and "filters apply to evidence exports" in refused.output
