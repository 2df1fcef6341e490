"""`bolyst import`: transcripts and CSV into corpus source files; clear errors; idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bolyst.corpus.importer import import_files
from bolyst.corpus.reader import read_corpus
from bolyst.site.cli.main import cli

# Synthetic test transcript, written for this test (not a real interview).
TRANSCRIPT = """---
title: Syntetisk testintervju
year: 2026
interview_period: november 2026
place: {municipality: Tynset}
speakers:
  I: {role: researcher, description: Intervjuer}
  R: {role: refugee, pseudonym: Testperson, origin: Syria, gender: female}
---
I: Hvorfor har du blitt boende her?
R: Vi har flyttet nok. Barna har venner
på skolen, og naboene kjenner oss.
I: Har du tenkt på å flytte?
R: Nei, ikke nå.
"""

CSV = (
    "source,id,kind,text,speaker,speaker_role,municipality,source_title,source_year\n"
    "syntetisk-csv,a,quote,Her er det trygt for barna.,p1,refugee,Vestvågøy,Syntetisk CSV-kilde,2026\n"
    "syntetisk-csv,b,sitat,Feil kind her.,p1,refugee,,Syntetisk CSV-kilde,2026\n"
    "syntetisk-csv,c,narrative,Hun fikk jobb på sykehjemmet.,,,,Syntetisk CSV-kilde,2026\n"
)


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sources").mkdir(parents=True)
    (root / "seeds").mkdir()
    return root


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_transcript_becomes_source_files_with_turns(tmp_path, corpus_dir):
    (result,) = import_files([write(tmp_path / "tynset-03.md", TRANSCRIPT)], corpus_dir)
    assert result.error is None and result.excerpts == 2
    corpus = read_corpus(corpus_dir)
    assert [(e.id, e.text, e.line_start, e.line_end) for e in corpus.excerpts] == [
        ("tynset-03/turn-002", "Vi har flyttet nok. Barna har venner på skolen, og naboene kjenner oss.", 11, 12),
        ("tynset-03/turn-004", "Nei, ikke nå.", 14, 14),
    ]
    (speaker,) = corpus.speakers
    assert (speaker.pseudonym, speaker.role, speaker.origin) == ("Testperson", "refugee", "Syria")
    assert corpus.excerpts[0].place.municipality == "Tynset"
    assert (corpus_dir / "seeds" / "tynset-03.md").read_text(encoding="utf-8") == TRANSCRIPT


def test_importing_the_same_file_twice_changes_nothing(tmp_path, corpus_dir):
    path = write(tmp_path / "tynset-03.md", TRANSCRIPT)
    import_files([path], corpus_dir)
    before = {p: p.read_bytes() for p in corpus_dir.rglob("*") if p.is_file()}
    (again,) = import_files([path], corpus_dir)
    assert again.unchanged and again.error is None
    assert {p: p.read_bytes() for p in corpus_dir.rglob("*") if p.is_file()} == before


def test_bad_transcript_names_line_and_fix_and_good_file_still_imports(tmp_path, corpus_dir):
    bad = write(tmp_path / "bad.md", TRANSCRIPT.replace("R: Nei, ikke nå.", "X: Nei, ikke nå."))
    good = write(tmp_path / "good.md", TRANSCRIPT)
    bad_result, good_result = import_files([bad, good], corpus_dir)
    assert str(bad_result.error) == (f"{bad}, line 14: speaker 'X' is not declared — add 'X:' under 'speakers:' "
                                     "in the front matter, or fix the prefix")
    assert good_result.error is None
    assert [s.id for s in read_corpus(corpus_dir).sources] == ["good"]


def test_transcript_without_front_matter(tmp_path, corpus_dir):
    (result,) = import_files([write(tmp_path / "x.txt", "I: Hei\nR: Hei\n")], corpus_dir)
    assert str(result.error).endswith("line 1: no YAML front matter — start the file with '---', the interview's "
                                      "metadata (title, year, speakers), '---'")


def test_csv_good_rows_imported_bad_rows_named(tmp_path, corpus_dir):
    results = import_files([write(tmp_path / "excerpts.csv", CSV)], corpus_dir)
    imported, problems = results
    assert imported.excerpts == 2 and imported.error is None
    assert str(problems.error) == f"{tmp_path / 'excerpts.csv'}, line 3: kind is 'sitat' — use one of: quote, narrative"
    corpus = read_corpus(corpus_dir)
    assert [(e.id, e.kind, e.speaker) for e in corpus.excerpts] == [
        ("syntetisk-csv/a", "quote", "syntetisk-csv/p1"), ("syntetisk-csv/c", "narrative", None)]
    assert corpus.excerpts[0].place.municipality == "Vestvågøy"


def test_csv_missing_required_column(tmp_path, corpus_dir):
    (result,) = import_files([write(tmp_path / "x.csv", "source,text\ns,t\n")], corpus_dir)
    assert "line 1: missing column(s) kind, source_title" in str(result.error)


def test_cli_import_reports_each_file_and_exits_nonzero_on_errors(tmp_path, corpus_dir):
    good = write(tmp_path / "good.md", TRANSCRIPT)
    bad = write(tmp_path / "bad.md", "no front matter\n")
    result = CliRunner().invoke(cli, ["import", str(good), str(bad), "--corpus", str(corpus_dir)])
    assert result.exit_code == 1
    assert f"✓ {good}: 2 excerpts" in result.output
    assert f"✗ {bad}" in result.output and "no YAML front matter" in result.output
    assert "1 of 2 file(s) had errors; the others were imported." in result.output
    again = CliRunner().invoke(cli, ["import", str(good), "--corpus", str(corpus_dir)])
    assert again.exit_code == 0 and "already imported" in again.output


def test_every_source_field_in_front_matter_reaches_source_yaml(tmp_path, corpus_dir):
    text = TRANSCRIPT.replace("year: 2026\n", "year: 2026\ncite_as: Syntetisk intervju 3\nlicence: CC BY 4.0\n")
    import_files([write(tmp_path / "tynset-03.md", text)], corpus_dir)
    (source,) = read_corpus(corpus_dir).sources
    assert (source.short, source.licence, source.interview_period) == (
        "Syntetisk intervju 3", "CC BY 4.0", "november 2026")
