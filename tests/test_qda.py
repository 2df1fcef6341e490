"""REFI-QDA interchange: the .qdpx validates, puts every coding where QDA tools read it (coder, date, memo,
one selection each), names cases uniquely and links them to text, and the way back (our own export and
QualCoder's) matches excerpts by span, keeps coders, dates and memos, and changes nothing when run twice.

Speed: every export and import that several tests read is made once per module (fixtures below); tests
that need QualCoder itself live in ``make check-qualcoder``, not here. QualCoder's own export of three
shipped sources is a fixture file (tests/fixtures/qda/, made by make_qualcoder_export.py there).
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from bolyst.coding.codebook import load_codebook
from bolyst.coding.decisions import latest, read_decisions
from bolyst.corpus.clean import astral, is_real_astral, repair_text
from bolyst.corpus.provenance import seed_text
from bolyst.corpus.reader import read_corpus
from bolyst.corpus.text import normalise, occurs_in
from bolyst.site.build import PACKAGE_DIRS
from bolyst.site.cli.main import cli
from bolyst.site.qda import refi as qda
from bolyst.site.qda.coders import review_state
from bolyst.site.qda.export import export_qdc, export_qdpx
from bolyst.site.qda.importer import import_qdpx
from bolyst.site.qda.read import read_qdpx
from bolyst.site.qda.spans import locate
from click.testing import CliRunner
from lxml import etree

SCHEMAS = Path(qda.__file__).parent / "refi-qda"
NS = {"q": qda.PROJECT_NS}
FIXTURES = Path(__file__).parent / "fixtures" / "qda"
sys.path.insert(0, str(FIXTURES))
from make_qualcoder_export import SUBSET, subset_corpus  # noqa: E402

AMINA = "fafo-2025-14/amina-grat-hver-dag"
# Synthetic decisions of a synthetic test coder (not a real researcher's coding).
DECISIONS = f"""coder: test-coder
decisions:
  - excerpt: {AMINA}
    code: push
    action: add
    date: 2026-11-20
    note: "Syntetisk notat: «gråt» – æøå"
  - excerpt: {AMINA}
    code: stay
    action: reject
    date: 2026-11-21
  - excerpt: nibr-derfor-blir-vi-her/flyktningpar-jobber-overtid
    code: pull
    action: add
"""


@pytest.fixture(scope="module")
def shipped():
    """The shipped corpus, read once."""
    return read_corpus()


@pytest.fixture(scope="module")
def coding_dir(tmp_path_factory) -> Path:
    """The shipped coding folder plus a synthetic coder's decisions."""
    folder = tmp_path_factory.mktemp("coding") / "coding"
    shutil.copytree(PACKAGE_DIRS["coding"], folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "model"))
    (folder / "decisions" / "test-coder.yaml").write_text(DECISIONS, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def qdpx(built_db, coding_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("qdpx") / "bolyst.qdpx"
    export_qdpx(built_db, path, coding_dir=coding_dir)
    return path


@pytest.fixture(scope="module")
def project(qdpx) -> qda.Project:
    return read_qdpx(qdpx)


@pytest.fixture(scope="module")
def auto_project(built_db, coding_dir, tmp_path_factory) -> qda.Project:
    path = tmp_path_factory.mktemp("qdpx") / "with-automatic.qdpx"
    export_qdpx(built_db, path, coding_dir=coding_dir, include_automatic=True)
    return read_qdpx(path)


def project_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def selections(project: qda.Project):
    return [(s, sel) for s in project.sources for sel in s.selections]


def users_by_guid(project: qda.Project) -> dict[str, qda.User]:
    return {u.guid: u for u in project.users}


# ---------------------------------------------------------------- clean source text


def test_no_shipped_seed_has_characters_outside_the_bmp_or_extraction_artefacts():
    for seed in sorted((PACKAGE_DIRS["corpus"] / "seeds").iterdir()):
        text = seed_text(seed)
        assert [ch for _, ch in astral(text) if not is_real_astral(ch)] == [], seed.name
        assert repair_text(text) == (text, ()), seed.name  # NFKC letters, ligatures, soft hyphens: none left


def test_the_garbled_fafo_formula_is_a_marked_rendering_recorded_in_provenance(shipped):
    fafo = next(s for s in shipped.sources if s.id == "fafo-2025-14")
    lines = seed_text(PACKAGE_DIRS["corpus"] / "seeds" / fafo.seed).split("\n")
    assert lines[1769].startswith("[formel: Flytte_i = β0 + β1 … + β13 …") and lines[1769].endswith("]")
    assert lines[1770:1777] == [""] * 7 and lines[1768] == "" and lines[1777] == ""  # line numbers kept
    assert lines[1778].startswith("Resultatene fra de statistiske analysene")
    (repair,) = fafo.repairs
    assert "lines 1770–1777" in repair and "564 mathematical letters" in repair and "[formel:" in repair


def test_repair_text_folds_only_extraction_artefacts():
    # Synthetic text: a mathematical italic F and beta, an fi ligature, a soft hyphen, and real characters.
    text = "𝐹𝑖 = 𝛽0; ﬁnne; kom\u00admune; «… – æøå» 🙂"
    repaired, repairs = repair_text(text)
    assert repaired == "Fi = β0; finne; kommune; «… – æøå» 🙂"
    assert repairs == ("4 mathematical letters or ligatures folded to plain letters (Unicode NFKC)",
                       "1 soft hyphens (U+00AD) removed")
    assert [ch for _, ch in astral(repaired)] == ["🙂"] and is_real_astral("🙂") and not is_real_astral("𝐹")


# ---------------------------------------------------------------- the .qdpx


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


def test_one_text_file_per_source_utf8_without_bom_lf_only_and_names_usable_as_file_names(shipped, qdpx):
    root = project_xml(qdpx)
    with zipfile.ZipFile(qdpx) as archive:
        names = set(archive.namelist())
        sources = root.findall(".//q:TextSource", NS)
        assert len(sources) == len(shipped.sources)
        for source in sources:
            target = source.get("plainTextPath")
            assert target.startswith("internal://") and source.find("q:PlainTextContent", NS) is None
            data = archive.read("sources/" + target.removeprefix("internal://"))
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
            assert all(ord(ch) <= 0xFFFF for ch in data.decode("utf-8"))  # QualCoder's view counts UTF-16
        assert names == {"project.qde", *("sources/" + s.get("plainTextPath")[11:] for s in sources)}
        assert b"\r" not in archive.read("project.qde")
    document_names = [s.get("name") for s in sources]
    assert len(set(document_names)) == len(document_names)  # QualCoder renames a repeated one
    assert not [n for n in document_names if set(n) & set('/\\:*?"<>|')]  # QualCoder saves documents/<name>.txt
    assert "Fafo-rapport 2025-14 — Flytting etter besetting" in document_names


def test_every_excerpt_has_a_selection_of_its_passage_by_code_points(shipped, project):
    excerpts = {e.id: e for e in shipped.excerpts}
    base = {qda.guid("excerpt", i): e for i, e in excerpts.items()}
    found = [(s, sel) for s, sel in selections(project) if sel.guid in base]
    assert len(found) == len(excerpts)
    before_non_ascii = 0
    for source, sel in found:
        excerpt = base[sel.guid]
        passage = source.text[sel.start:sel.end]
        assert sel.name == passage
        assert occurs_in(excerpt.text, passage, excerpt.omits), excerpt.id
        assert passage[0] == excerpt.text[0] and passage[-1] == excerpt.text[-1], excerpt.id
        assert f"excerpt: {excerpt.id}" in sel.description
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


def test_stable_guids(qdpx):
    root = project_xml(qdpx)
    amina = root.find(f".//q:PlainTextSelection[@guid='{qda.guid('excerpt', AMINA)}']", NS)
    assert amina is not None and amina.get("creationDateTime")


# ---------------------------------------------------------------- coders, dates, memos


def test_every_selection_and_coding_says_who_made_it_and_when(project):
    users = users_by_guid(project)
    for _, sel in selections(project):
        assert sel.user in users and sel.created and sel.created.endswith("T00:00:00Z")
        for coding in sel.codings:
            assert (coding.user, coding.created) == (sel.user, sel.created)


def test_lead_coder_is_the_first_user_and_automatic_coders_only_when_asked(project, auto_project):
    assert [u.id for u in project.users] == ["lead-researcher", "devset-coder-a", "devset-coder-b",
                                             "devset-reconciled", "second-coder", "test-coder"]
    assert project.creating_user == qda.guid("user", "lead-researcher")
    names = [(u.id, u.name) for u in auto_project.users]
    assert names[:6] == [(u.id, u.name) for u in project.users]
    assert names[6:] == [("auto", "Bolyst rules v2"), ("model", "Bolyst model")]


def test_one_selection_per_coding_so_no_tool_drops_one_as_a_duplicate(project, auto_project, built_db):
    cases = {c.guid for c in project.cases}
    for proj in (project, auto_project):
        coded = [(s.guid, sel.start, sel.end, c.code, sel.user) for s, sel in selections(proj)
                 for c in sel.codings if c.code not in cases]
        assert all(len(sel.codings) == 1 for _, sel in selections(proj)
                   if any(c.code not in cases for c in sel.codings))
        assert max(Counter(coded).values()) == 1
    humans = built_db.execute("select count(*) from codings where origin = 'human'").fetchone()[0]
    automatic = built_db.execute("select count(*) from codings where origin in ('rule', 'model')").fetchone()[0]
    human_codings = sum(1 for _, sel in selections(project) for c in sel.codings if c.code not in cases)
    assert human_codings == humans + 2  # the shipped coders' codings in force, and test-coder's two
    auto_codings = sum(1 for _, sel in selections(auto_project) for c in sel.codings if c.code not in cases)
    assert human_codings < auto_codings <= human_codings + automatic


def test_human_codings_carry_their_decisions_date_and_note_as_memo_and_note(project):
    users = users_by_guid(project)
    amina = [sel for _, sel in selections(project) if sel.codings and users[sel.user].id == "test-coder"
             and sel.guid == qda.guid("selection", f"{AMINA}|push|test-coder")]
    (sel,) = amina
    assert sel.created == "2026-11-20T00:00:00Z" and sel.description == "Syntetisk notat: «gråt» – æøå"
    (coding,) = sel.codings
    assert coding.code == qda.guid("code", "push")
    (note,) = [n for n in project.notes if n.guid in coding.notes]
    assert (note.text, note.user, note.created) == ("Syntetisk notat: «gråt» – æøå", sel.user, sel.created)
    rejected = qda.guid("selection", f"{AMINA}|stay|test-coder")
    assert rejected not in {sel.guid for _, sel in selections(project)}


def test_automatic_codings_say_what_they_are_and_whether_a_person_confirmed_them(auto_project):
    users = users_by_guid(auto_project)
    automatic = [sel for _, sel in selections(auto_project) if sel.codings and users[sel.user].id in ("auto", "model")]
    assert {users[sel.user].name for sel in automatic} == {"Bolyst rules v2", "Bolyst model"}
    states = Counter("unreviewed" in sel.description for sel in automatic)
    assert states[True] and states[False]  # both kinds are in the shipped data
    for sel in automatic:
        assert sel.description.startswith("Automatisk koding / automatic coding: Bolyst ")
        assert ("Status: bekreftet" in sel.description) != ("Status: ikke gjennomgått" in sel.description)


def test_review_state_is_derived_from_status_until_the_column_exists():
    assert [review_state({"status": s}) for s in ("suggested", "disputed", "accepted", "human", "rejected")] == [
        "unreviewed", "unreviewed", "confirmed", "confirmed", "rejected"]
    assert review_state({"status": "suggested", "review_state": "confirmed"}) == "confirmed"


# ---------------------------------------------------------------- cases


def test_cases_have_unique_names_variables_and_links_qualcoder_and_others_read(shipped, project):
    names = [c.name for c in project.cases]
    assert len(set(names)) == len(names) == len(shipped.speakers)
    assert "Flyktning [nibr-derfor-blir-vi-her] (flyktning-rad-til-myndighetene)" in names
    variables = {v.guid: v.name for v in project.variables}
    assert {"role", "origin", "gender", "municipality", "centrality"} <= set(variables.values())
    codes = {c.guid: c for parent in project.codes for c in (parent, *parent.children)}
    linked = Counter(c.code for _, sel in selections(project) for c in sel.codings)
    excerpts = Counter(e.speaker for e in shipped.excerpts if e.speaker)
    for case in project.cases:
        assert case.sources and case.sources[0] in {s.guid for s in project.sources}
        assert len(case.selections) == linked[case.guid]  # SelectionRef and QualCoder's case code agree
        if case.selections:
            assert codes[case.guid].codable and codes[case.guid].name == case.name
        assert "role" in {variables[v] for v, _ in case.values}
    assert sum(linked[c.guid] for c in project.cases) == sum(excerpts.values())
    with_place = [c for c in project.cases if "municipality" in {variables[v] for v, _ in c.values}]
    assert with_place  # where a speaker's excerpts name one municipality


# ---------------------------------------------------------------- the way back: our own export


@pytest.fixture(scope="module")
def fresh(qdpx, tmp_path_factory):
    """The export imported into fresh folders, then imported again."""
    root = tmp_path_factory.mktemp("fresh")
    corpus, coding = root / "corpus", root / "coding"
    first = import_qdpx(qdpx, corpus, coding, today="2026-11-29")
    files = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    second = import_qdpx(qdpx, corpus, coding)
    return corpus, coding, first, second, files, root


def test_round_trip_into_fresh_folders_loses_nothing(shipped, fresh, coding_dir):
    corpus, coding, result, _, _, _ = fresh
    assert result.problems == [] and result.codebook_written and result.unplaced == 0
    before, after = shipped, read_corpus(corpus)
    key = lambda r: r.id
    assert sorted(after.excerpts, key=key) == sorted(before.excerpts, key=key)
    assert sorted(after.speakers, key=key) == sorted(before.speakers, key=key)
    assert sorted(after.sources, key=key) == sorted(before.sources, key=key)
    for source in before.sources:
        assert (corpus / "seeds" / source.seed).read_bytes() == (PACKAGE_DIRS["corpus"] / "seeds" / source.seed).read_bytes()
    old, new = load_codebook(coding_dir / "codebook.yaml"), load_codebook(coding / "codebook.yaml")
    strip = lambda book: [replace(c, rules=(), line=None) for c in book.codes]
    assert strip(new) == strip(old)  # the case-link codes stay out of the codebook
    assert (new.framework, new.holdout_seed, new.holdout_share) == (old.framework, old.holdout_seed, old.holdout_share)
    decided = lambda folder: sorted((d.coder, d.excerpt, d.code, d.action, d.date, d.note)
                                    for d in latest(read_decisions(folder)).values())
    assert decided(coding / "decisions") == decided(coding_dir / "decisions")
    assert ("test-coder", AMINA, "stay", "reject", "2026-11-21", None) in decided(coding / "decisions")


def test_importing_again_changes_nothing(fresh):
    *_, second, files, root = fresh
    assert second.unchanged and second.problems == [] and second.excerpts == 0
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == files


# ---------------------------------------------------------------- the way back: QualCoder's own export


@pytest.fixture()
def subset(tmp_path):
    """A writable corpus of the three sources in QualCoder's export, and the shipped coding folder."""
    corpus = subset_corpus(tmp_path / "corpus", SUBSET)
    coding = tmp_path / "coding"
    shutil.copytree(PACKAGE_DIRS["coding"], coding, ignore=shutil.ignore_patterns("*.py", "__pycache__", "model"))
    return corpus, coding


def decided(coding: Path):
    return {k: (d.action, d.date, d.note) for k, d in latest(read_decisions(coding / "decisions")).items()}


def test_qualcoder_export_is_what_the_way_back_must_handle():
    project = read_qdpx(FIXTURES / "qualcoder-export.qdpx")
    assert project.origin.startswith("QualCoder") and all(u.id is None for u in project.users)
    with zipfile.ZipFile(FIXTURES / "qualcoder-export.qdpx") as archive:
        texts = [archive.read(n) for n in archive.namelist() if n.startswith("sources/") and n.endswith(".txt")]
    assert texts and all(t.startswith(b"\xef\xbb\xbf") for t in texts)  # QualCoder writes a BOM
    assert all(sel.user and sel.created for _, sel in selections(project) if sel.codings)
    assert all(c.created is None for _, sel in selections(project) for c in sel.codings)  # dates on selections


def test_qualcoders_export_comes_back_matched_by_span_with_nothing_new(subset):
    corpus, coding = subset
    before = decided(coding)
    result = import_qdpx(FIXTURES / "qualcoder-export.qdpx", corpus, coding, today="2099-01-01")
    coded = sum(1 for _, sel in selections(read_qdpx(FIXTURES / "qualcoder-export.qdpx")) if sel.codings)
    assert (result.matched, result.excerpts, result.unplaced, result.new_sources) == (coded, 0, 0, [])
    assert result.problems == [] and not any(result.decisions.values()) and result.unchanged
    assert decided(coding) == before
    assert coded == 552  # every human coding of the three sources, each on its own selection


def qualcoder_edit(tmp_path: Path) -> Path:
    """QualCoder's export with synthetic work of a synthetic coder added as QualCoder writes it (users without
    ids, dates and memos on the selection): a coding on a new span, one on an existing excerpt's exact span,
    and a coding by «Bolyst rules v2», which must stay automatic."""
    with zipfile.ZipFile(FIXTURES / "qualcoder-export.qdpx") as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    root = etree.fromstring(entries["project.qde"])
    q = lambda tag: f"{{{qda.PROJECT_NS}}}{tag}"
    users = root.find(q("Users"))
    for guid, name in (("aaaaaaaa-0000-4000-8000-000000000001", "Kari Testkoder"),
                       ("aaaaaaaa-0000-4000-8000-000000000002", "Bolyst rules v2")):
        etree.SubElement(users, q("User"), guid=guid, name=name)
    push = next(c.get("guid") for c in root.iter(q("Code")) if c.get("name", "").startswith("Push"))
    fafo = next(s for s in root.iter(q("TextSource")) if "fafo-2025-14" in (s.findtext(q("Description")) or ""))
    text = entries["sources/" + fafo.get("plainTextPath")[11:]].decode("utf-8").removeprefix("\ufeff")
    excerpt = next(e for e in read_corpus(PACKAGE_DIRS["corpus"], only={"fafo-2025-14"}).excerpts if e.id == AMINA)
    span = [str(i) for i in locate(excerpt.text, text, excerpt.line_start, excerpt.line_end, excerpt.omits)]
    amina = next(sel for sel in fafo.iter(q("PlainTextSelection"))
                 if [sel.get("startPosition"), sel.get("endPosition")] == span)
    new_start = text.index("Resultatene fra de statistiske analysene")
    spans = ((new_start, text.index("\n", new_start), "1", "Syntetisk memo: ny passasje"),
             (int(amina.get("startPosition")), int(amina.get("endPosition")), "1", "Syntetisk memo: kjent utdrag"),
             (int(amina.get("startPosition")), int(amina.get("endPosition")), "2", "Automatisk koding"))
    for n, (start, end, user, memo) in enumerate(spans):
        sel = etree.Element(q("PlainTextSelection"), guid=f"bbbbbbbb-0000-4000-8000-00000000000{n}",
                            name=text[start:end], startPosition=str(start), endPosition=str(end),
                            creatingUser=f"aaaaaaaa-0000-4000-8000-00000000000{user}",
                            creationDateTime=f"2026-12-0{n + 1}T10:11:12Z")
        etree.SubElement(sel, q("Description")).text = memo
        coding = etree.SubElement(sel, q("Coding"), guid=f"cccccccc-0000-4000-8000-00000000000{n}",
                                  creatingUser=f"aaaaaaaa-0000-4000-8000-00000000000{user}")
        etree.SubElement(coding, q("CodeRef"), targetGUID=push)
        amina.addprevious(sel)
    entries["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    path = tmp_path / "edited-in-qualcoder.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_work_done_in_qualcoder_comes_back_with_coder_date_memo_and_only_new_spans_as_excerpts(subset, tmp_path):
    corpus, coding = subset
    path = qualcoder_edit(tmp_path)
    before = decided(coding)
    result = runner_import(path, corpus, coding)
    assert result.exit_code == 0, result.output
    assert "0 new sources, 1 new excerpts, decisions appended: 2 by kari-testkoder" in result.output
    assert "selections matched to excerpts: 554, unplaced: 0, automatic codings skipped: 1" in result.output
    after = decided(coding)
    added = {k: v for k, v in after.items() if k not in before}
    (new_excerpt,) = [e for e in read_corpus(corpus).excerpts if e.file.endswith("excerpts-qdpx.yaml")]
    assert new_excerpt.text.startswith("Resultatene fra de statistiske analysene") and new_excerpt.line_start == 1779
    assert added == {("kari-testkoder", new_excerpt.id, "push"): ("add", "2026-12-01", "Syntetisk memo: ny passasje"),
                     ("kari-testkoder", AMINA, "push"): ("add", "2026-12-02", "Syntetisk memo: kjent utdrag")}
    assert {k: v for k, v in after.items() if k in before} == before  # no existing coding became a new decision
    again = runner_import(path, corpus, coding)
    assert "= " in again.output and "already imported" in again.output and decided(coding) == after


# ---------------------------------------------------------------- other tools, errors, CLI


def foreign_project() -> qda.Project:
    """A synthetic project as another QDA tool writes it: no Bolyst fields, a new interview, CRLF and a BOM,
    the coder's memo as a Note the coding refers to (NVivo's way)."""
    text = "\ufeffI: Hvorfor ble dere?\r\nR: Her på Tynset kjenner alle oss, og barna trives på skolen.\r\n"
    clean = qda.clean_text(text)
    start = clean.index("Her på")
    user = qda.User(guid="11111111-1111-4111-8111-111111111111", name="Kari Testkoder")
    sel = qda.Selection(guid="22222222-2222-4222-8222-222222222222", start=start, end=len(clean) - 1, name="Tynset",
                        codings=(qda.Coding("33333333-3333-4333-8333-333333333333", qda.guid("code", "stay"),
                                            user.guid, "2026-10-05T09:00:00Z",
                                            notes=("88888888-8888-4888-8888-888888888888",)),
                                 qda.Coding("44444444-4444-4444-8444-444444444444",
                                            "55555555-5555-4555-8555-555555555555", user.guid)))
    codes = (qda.Code(qda.guid("code", "stay"), "Bli"), qda.Code("55555555-5555-4555-8555-555555555555", "Vær"))
    case = qda.Case("66666666-6666-4666-8666-666666666666", "Respondent 1", selections=(sel.guid,))
    source = qda.Source(guid="77777777-7777-4777-8777-777777777777", name="Syntetisk intervju Tynset", text=clean,
                        selections=(sel,))
    note = qda.Note("88888888-8888-4888-8888-888888888888", "memo", "Syntetisk memo: barna trives", user.guid,
                    "2026-10-05T09:00:00Z")
    return qda.Project(name="Syntetisk", origin="Synthetic test tool", users=(user,), codes=codes, cases=(case,),
                       sources=(source,), notes=(note,))


def test_import_of_a_project_from_another_tool(tmp_path):
    corpus, coding = subset_corpus(tmp_path / "corpus"), tmp_path / "coding"
    shutil.copytree(PACKAGE_DIRS["coding"], coding, ignore=shutil.ignore_patterns("*.py", "__pycache__", "decisions",
                                                                                  "model"))
    path = qda.write_qdpx(foreign_project(), tmp_path / "other.qdpx")
    result = runner_import(path, corpus, coding)
    assert "1 new sources, 1 new excerpts, decisions appended: 1 by kari-testkoder" in result.output
    assert "code 'Vær (vaer)' is not in" in result.output and result.exit_code == 1
    excerpt = next(e for e in read_corpus(corpus).excerpts if e.source == "syntetisk-intervju-tynset")
    assert excerpt.text == "Her på Tynset kjenner alle oss, og barna trives på skolen."
    assert excerpt.kind == "quote" and excerpt.speaker == "syntetisk-intervju-tynset/respondent-1"
    assert (excerpt.line_start, excerpt.line_end) == (2, 2)
    (decision,) = read_decisions(coding / "decisions")
    assert (decision.coder, decision.excerpt, decision.code, decision.action, decision.date, decision.note) == (
        "kari-testkoder", excerpt.id, "stay", "add", "2026-10-05", "Syntetisk memo: barna trives")
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


def test_cli_export_reports_counts_and_coders_and_two_exports_are_byte_identical(shipped, built_db_path, qdpx,
                                                                                coding_dir, tmp_path):
    out = tmp_path / "cli.qdpx"
    result = CliRunner().invoke(cli, ["export", str(out), "--db", str(built_db_path), "--coding", str(coding_dir)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == qdpx.read_bytes()  # same sources, same bytes
    corpus = shipped
    assert f"Wrote {out}: {len(corpus.sources)} documents, {len(corpus.excerpts)} selections" in result.output
    assert "Coders: lead-researcher, devset-coder-a" in result.output
    refused = CliRunner().invoke(cli, ["export", str(out), "--db", str(built_db_path), "--theme", "push"])
    assert refused.exit_code == 1 and "filters apply to evidence exports" in refused.output
