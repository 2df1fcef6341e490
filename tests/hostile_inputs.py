"""Hostile import files for tests/test_hostile.py, generated here (all synthetic; none is a real interview).

Each case is (class, name, file name, bytes, expected) with expected one of ``"ok"`` (imported, exit 0) or
``"refused"`` (exit 1, the corpus unchanged). Cases are grouped by the class of input the issue names.
"""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from dataclasses import dataclass

HEAD = "---\ntitle: Syntetisk fiendtlig test\nyear: 2026\nspeakers:\n  I: {role: researcher}\n  R: {role: refugee}\n"
BODY = "I: Hvorfor bor du her?\nR: Vi har flyttet nok, barna trives på skolen.\n"


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    filename: str
    data: bytes
    expected: str  # "ok" | "refused" | "partial" (the good parts imported, the bad listed, exit 1)
    args: tuple[str, ...] = ()


def transcript(front: str = "", body: str = BODY, source: str | None = None) -> str:
    head = HEAD + (f"source: {source}\n" if source is not None else "") + front
    return head + "---\n" + body


def _u(text: str) -> bytes:
    return text.encode("utf-8")


def _qdpx(project_xml: str, members: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml)
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


_QDE = ('<?xml version="1.0" encoding="utf-8"?>{doctype}<Project xmlns="urn:QDA-XML:project:1.0" name="p" '
        'origin="synthetic"><Sources><TextSource guid="a1b2c3d4-0000-4000-8000-000000000001" name="{name}" '
        'plainTextPath="internal://{path}">{description}'
        '<PlainTextContent>{text}</PlainTextContent></TextSource></Sources></Project>')


def qde(name: str = "Syntetisk", description: str = "", text: str = "Vi har flyttet nok.", doctype: str = "",
        path: str = "a.txt") -> str:
    desc = f"<Description>{description}</Description>" if description else ""
    return _QDE.format(name=name, description=desc, text=text, doctype=doctype, path=path)


def encodings() -> list[Case]:
    text = transcript(body="I: Hvorfor?\nR: Her er det fjorder og fjell, og æøå.\n")
    return [
        Case("encoding", "latin-1 without --encoding", "latin1.md", text.encode("latin-1"), "refused"),
        Case("encoding", "latin-1 with --encoding latin-1", "latin1ok.md", text.encode("latin-1"), "ok",
             ("--encoding", "latin-1")),
        Case("encoding", "cp1252 quotes", "cp1252.md", text.replace("Her", "\u201cHer\u201d").encode("cp1252"),
             "refused"),
        Case("encoding", "UTF-8 with BOM", "bom8.md", codecs.BOM_UTF8 + _u(text), "ok"),
        Case("encoding", "UTF-16 LE with BOM", "bom16le.md", codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "ok"),
        Case("encoding", "UTF-16 BE with BOM", "bom16be.md", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "ok"),
        Case("encoding", "UTF-16 without BOM", "utf16nobom.md", text.encode("utf-16-le"), "refused"),
        Case("encoding", "truncated UTF-8 sequence", "trunc.md", _u(text)[:-3] + b"\xc3", "refused"),
        Case("encoding", "overlong UTF-8", "overlong.md", _u(text) + b"\xc0\xaf", "refused"),
        Case("encoding", "unknown --encoding", "unknownenc.md", _u(text), "refused", ("--encoding", "klingon-8")),
        Case("encoding", "surrogate bytes", "surrogate.md", _u(text) + b"\xed\xa0\x80", "refused"),
        Case("encoding", "CSV in latin-1", "latin1.csv",
             "source,text,kind,source_title\ns,Bodø er fin,quote,Tittel\n".encode("latin-1"), "refused"),
    ]


def line_ends_and_empties() -> list[Case]:
    text = transcript()
    return [
        Case("line ends", "CRLF", "crlf.md", _u(text.replace("\n", "\r\n")), "ok"),
        Case("line ends", "CR only", "cr.md", _u(text.replace("\n", "\r")), "ok"),
        Case("line ends", "mixed", "mixed.md", _u(text.replace("\n", "\r\n", 3)), "ok"),
        Case("empty", "empty file", "empty.md", b"", "refused"),
        Case("empty", "whitespace only", "blank.md", b" \n\n\t\n", "refused"),
        Case("empty", "front matter only", "frontonly.md", _u(HEAD + "---\n"), "refused"),
        Case("empty", "no front matter", "nofront.md", _u(BODY), "refused"),
        Case("empty", "empty front matter", "emptyfront.md", _u("---\n---\n" + BODY), "refused"),
        Case("empty", "empty CSV", "empty.csv", b"", "refused"),
        Case("empty", "CSV header only", "header.csv", b"source,text,kind,source_title\n", "refused"),
        Case("empty", "unterminated front matter", "unterminated.md", _u(HEAD + BODY), "refused"),
    ]


def binary() -> list[Case]:
    rng = random.Random(10)
    cases = [Case("binary", f"random bytes {i}", f"random{i}.md", bytes(rng.randrange(256) for _ in range(2000)),
                  "refused") for i in range(5)]
    cases += [
        Case("binary", "PNG header", "image.md", b"\x89PNG\r\n\x1a\n" + bytes(200), "refused"),
        Case("binary", "NUL in a turn", "nul.md", _u(transcript(body="I: Hei\nR: Vi\x00 bor her.\n")), "refused"),
        Case("binary", "NUL in front matter", "nulfront.md", _u(transcript(front="publisher: a\x00b\n")), "refused"),
        Case("binary", "bell and escape", "ctrl.md", _u(transcript(body="I: Hei\nR: Vi \x07\x1b[31m bor.\n")),
             "refused"),
        Case("binary", "DEL character", "del.md", _u(transcript(body="I: Hei\nR: Vi\x7f bor.\n")), "refused"),
        Case("binary", "form feed", "ff.md", _u(transcript(body="I: Hei\nR: Side\x0c to.\n")), "refused"),
        Case("binary", "NUL in CSV", "nul.csv", b"source,text,kind,source_title\ns,a\x00b,quote,T\n", "refused"),
        Case("binary", "gzip bytes as .md", "gz.md", b"\x1f\x8b\x08\x00" + bytes(range(256)), "refused"),
        Case("binary", "unsupported extension", "file.exe", b"MZ\x90\x00", "refused"),
    ]
    return cases


def sizes_and_nesting() -> list[Case]:
    long_turn = "R: " + "flytte " * 300_000 + "\n"
    many_turns = "".join(f"I: Spørsmål {i}?\nR: Svar nummer {i}, vi bor her.\n" for i in range(3000))
    return [
        Case("size", "one 2 MB line", "hugeline.md", _u(transcript(body="I: Hei\n" + long_turn)), "ok"),
        Case("size", "6,000 turns", "manyturns.md", _u(transcript(body=many_turns)), "ok"),
        Case("size", "huge front-matter value", "hugefront.md", _u(transcript(front="publisher: " + "x" * 500_000 + "\n")),
             "ok"),
        Case("size", "CSV cell over 1 MB", "hugecell.csv",
             _u("source,text,kind,source_title\ns," + "x" * 1_100_000 + ",quote,T\n"), "refused"),
        Case("size", "unterminated CSV quote", "quote.csv", _u('source,text,kind,source_title\ns,"open,quote,T\n'),
             "refused"),
        Case("nesting", "deep list in front matter", "deep.md", _u(transcript(front="x: " + "[" * 100 + "]" * 100 + "\n")),
             "refused"),
        Case("nesting", "very deep flow nesting", "deeper.md",
             _u(transcript(front="x: " + "[" * 50_000 + "]" * 50_000 + "\n")), "refused"),
        Case("nesting", "deep block mappings", "deepmap.md",
             _u(transcript(front="".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n")), "refused"),
        Case("aliases", "billion laughs", "laughs.md", _u(transcript(front=(
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
                      for i in range(8))))), "refused"),
        Case("aliases", "one alias", "alias.md", _u(transcript(front="publisher: &p Fafo\nseries: *p\n")), "refused"),
        Case("aliases", "merge key", "merge.md", _u(transcript(front="base: &b {a: 1}\nx:\n  <<: *b\n")), "refused"),
        Case("yaml", "python object tag", "tag.md", _u(transcript(front="x: !!python/object/apply:os.system [ls]\n")),
             "refused"),
        Case("yaml", "broken YAML", "broken.md", _u(transcript(front="publisher: [unclosed\n")), "refused"),
        Case("yaml", "tab indentation", "tabs.md", _u(transcript(front="place:\n\tmunicipality: Tynset\n")), "refused"),
        Case("yaml", "duplicate key", "dupkey.md", _u(transcript(front="title: Annen tittel\n")), "refused"),
    ]


def wrong_types() -> list[Case]:
    bad = {
        "source list": "source: [1, 2]", "source mapping": "source: {a: 1}", "source number": "source: 12",
        "source bool": "source: true", "source empty string": "source: ''", "title list": "title: [1, 2]",
        "speakers list": "speakers: [R, I]", "speaker spec number": "speakers: {R: 5}",
        "speaker prefix number": "speakers: {1: {role: refugee}}", "speaker bad role": "speakers: {R: {role: king}}",
        "role list": "role: [refugee]", "place number": "place: 5", "language list": "language: [nb]",
        "year text": "year: abc", "year float": "year: 2020.5", "year 99999999": "year: 99999999",
        "year negative": "year: -5", "year 3000": "year: 3000", "centrality 9": "place: {profile: {centrality: 9}}",
        "centrality text": "place: {profile: {centrality: high}}", "authors mapping": "authors: {a: 1}",
        "unknown field": "colour: blue",
    }
    cases = []
    for name, line in bad.items():
        key, value = line.split(": ", 1)
        fields = {"title": "Syntetisk fiendtlig test", "year": "2026",
                  "speakers": "\n  I: {role: researcher}\n  R: {role: refugee}", key: value}
        front = "".join(f"{k}: {v}\n" for k, v in fields.items())
        cases.append(Case("wrong type", name, f"type-{len(cases)}.md", _u("---\n" + front + "---\n" + BODY),
                          "refused"))
    csv_bad = {
        "kind unknown": "s,t,sitat,T", "centrality 7": "s,t,quote,T,7", "centrality superscript": "s,t,quote,T,²",
        "centrality arabic digits": "s,t,quote,T,١", "year 99999": "s,t,quote,T,,99999",
    }
    for name, row in csv_bad.items():
        data = _u("source,text,kind,source_title,centrality,source_year\n" + row + "\n")
        cases.append(Case("wrong type", f"CSV {name}", f"type-csv-{len(cases)}.csv", data, "refused"))
    cases.append(Case("wrong type", "CSV unknown column", "unknowncol.csv", _u("source,text,kind,source_title,x\n"),
                      "refused"))
    cases.append(Case("wrong type", "CSV missing columns", "missingcol.csv", _u("text\nhei\n"), "refused"))
    return cases


def odd_text() -> list[Case]:
    texts = {
        "HTML and script": "<script>alert('x')</script><img src=x onerror=alert(1)> & &amp;",
        "SQL-looking": "Robert'); DROP TABLE excerpts;-- \" OR 1=1 --",
        "formula": "=HYPERLINK(\"http://example.invalid\",\"klikk\")",
        "plus formula": "+cmd|' /C calc'!A0", "at formula": "@SUM(1+1)*cmd|' /C calc'!A0",
        "zero-width": "Vi\u200b bor\u200c her\u200d.\ufeff", "right-to-left": "نحن نعيش هنا \u202eevil\u202c",
        "emoji": "Vi bor her 🏔️👨‍👩‍👧‍👦 og trives 🇳🇴.", "combining marks": "Z\u0351\u0352\u0353a\u0354\u0355lgo",
        "Sámi letters": "Mii orut dáppe, Guovdageaidnu ja Kárášjohka.", "lone surrogate escape": "\\ud800 tekst",
        "very long word": "a" * 20_000, "YAML-looking turn": "key: value\n- list", "markdown": "# Overskrift **fet**",
        "braces and pipes": "{{ config }} {% if %} | |- >",
    }
    cases = [Case("odd text", name, f"odd-{i}.md", _u(transcript(body=f"I: Hei\nR: {text}\n")), "ok")
             for i, (name, text) in enumerate(texts.items())]
    cases.append(Case("odd text", "unknown municipality", "atlantis.md",
                      _u(transcript(front="place: {municipality: Atlantis}\n")), "ok"))
    cases.append(Case("odd text", "speaker prefix with zero-width", "zwprefix.md",
                      _u(transcript(body="I: Hei\nR\u200b: Hei\n")), "refused"))
    cases.append(Case("odd text", "CSV formula cells", "formula.csv",
                      _u('source,text,kind,source_title\n=cmd,"=1+2",quote,@SUM(A1)\n'), "ok"))
    return cases


def traversal() -> list[Case]:
    ids = ["../../README", "/nonexistent-bolyst/passwd", "..", ".", "a/b", "a\\\\b", "C:/Windows/x", "~/x", "%2e%2e/x",
           "sources/../../x", "x\u2215y", "CON", "a" * 200, "'../x'", "-leading-dash", "UPPER"]
    cases = [Case("traversal", f"source: {i!r}", f"trav-{n}.md", _u(transcript(source=i if i.startswith("'")
                                                                              else f'"{i}"')), "refused")
             for n, i in enumerate(ids)]
    cases += [
        Case("traversal", "pseudonym with ../", "travpseudo.md",
             _u(HEAD.replace("R: {role: refugee}", "R: {role: refugee, pseudonym: ../../etc}") + "---\n" + BODY), "ok"),
        Case("traversal", "CSV source ../../README", "trav.csv",
             _u("source,id,text,kind,source_title\n../../README,../../x,Tekst.,quote,T\n"), "ok"),
        Case("traversal", "CSV id /nonexistent-bolyst/passwd", "travid.csv",
             _u("source,id,text,kind,source_title\nkilde,/nonexistent-bolyst/passwd,Tekst.,quote,T\n"), "ok"),
        Case("traversal", "qdpx description source ../../README", "trav.qdpx",
             _qdpx(qde(description="source: ../../README")), "refused"),
        Case("traversal", "qdpx source name ../../x", "travname.qdpx", _qdpx(qde(name="../../x")), "ok"),
        Case("traversal", "qdpx absolute source id", "travabs.qdpx", _qdpx(qde(description="source: /tmp/x")),
             "refused"),
        Case("traversal", "qdpx zip-slip member", "zipslip.qdpx",
             _qdpx(qde(), {"../../evil.txt": b"x", "/abs/evil.txt": b"x"}), "ok"),
        Case("traversal", "qdpx plainTextPath ../../", "travpath.qdpx",
             _qdpx(qde(path="../../../etc/passwd").replace("<PlainTextContent>Vi har flyttet nok.</PlainTextContent>",
                                                            "")), "refused"),
    ]
    return cases


def archives() -> list[Case]:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("project.qde", qde())
        archive.writestr("sources/big.txt", bytes(60_000_000))
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", qde())
        for i in range(10_001):
            archive.writestr(f"sources/{i}.txt", b"")
    laughs = ('<!DOCTYPE Project [<!ENTITY a "lollollollollollollollollollol">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
    xxe = '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return [
        Case("archive", "zip bomb member (60 MB of zeros)", "bomb.qdpx", bomb.getvalue(), "refused"),
        Case("archive", "10,001 members", "many.qdpx", many.getvalue(), "refused"),
        Case("archive", "not a zip", "notzip.qdpx", b"PK but not really", "refused"),
        Case("archive", "empty zip", "emptyzip.qdpx", _qdpx("")[0:0] or b"PK\x05\x06" + bytes(18), "refused"),
        Case("archive", "XML billion laughs", "laughs.qdpx",
             _qdpx(qde(doctype=laughs, text="&i;")), "refused"),
        Case("archive", "XXE file entity", "xxe.qdpx", _qdpx(qde(doctype=xxe, text="&x;")), "refused"),
        Case("archive", "malformed XML", "badxml.qdpx", _qdpx("<Project><Sources>"), "refused"),
        Case("archive", "bad selection offsets", "badsel.qdpx", _qdpx(qde().replace(
            "</PlainTextContent>", "</PlainTextContent><PlainTextSelection guid='b0000000-0000-4000-8000-000000000002'"
            " startPosition='5' endPosition='999999'/>")), "refused"),
        Case("archive", "absurd date", "baddate.qdpx", _qdpx(qde().replace(
            "</PlainTextContent>", "</PlainTextContent><PlainTextSelection guid='b0000000-0000-4000-8000-000000000003'"
            " startPosition='0' endPosition='5'><Coding guid='c0000000-0000-4000-8000-000000000004' "
            "creationDateTime='99999-13-45T99:99:99Z'><CodeRef targetGUID='d0000000-0000-4000-8000-000000000005'/>"
            "</Coding></PlainTextSelection>")), "partial", ("--coder", "anna")),
    ]


def all_cases() -> list[Case]:
    return [*encodings(), *line_ends_and_empties(), *binary(), *sizes_and_nesting(), *wrong_types(), *odd_text(),
            *traversal(), *archives()]


def _xlsx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(60_000_000))
    return out.getvalue()


def review_sheets() -> list[Case]:
    """Hostile review sheets for `bolyst review import` (excerpts s/e-0 … s/e-9 exist; codes are the shipped)."""
    head = "excerpt,code,decision,note\n"
    good = head + "s/e-1,push,accept,=1+2 stays text\n"
    return [
        Case("review sheet", "formula-looking note", "formula.csv", _u(head + "s/e-1,push,accept,'=1+2\n"), "ok"),
        Case("review sheet", "UTF-16 with BOM", "utf16.csv", codecs.BOM_UTF16_LE + good.encode("utf-16-le"), "ok"),
        Case("review sheet", "latin-1", "latin1.csv", (head + "s/e-2,push,accept,Bodø\n").encode("latin-1"),
             "refused"),
        Case("review sheet", "NUL byte", "nul.csv", _u(head + "s/e-3,push,accept,a\x00b\n"), "refused"),
        Case("review sheet", "not a zip", "fake.xlsx", b"not a workbook", "refused"),
        Case("review sheet", "zip bomb", "bomb.xlsx", _xlsx_bomb(), "refused"),
        Case("review sheet", "wrong extension", "sheet.txt", _u(good), "refused"),
        Case("review sheet", "huge cell", "hugecell.csv", _u(head + "s/e-4,push,accept," + "x" * 2_000_000 + "\n"),
             "refused"),
        Case("review sheet", "unknown excerpt and bad decision", "mixed.csv",
             _u(head + "s/e-5,push,accept,\n../../etc,push,accept,\ns/e-6,push,maybe,\n"), "partial"),
        Case("review sheet", "coder with a path", "coder.csv", _u(good), "refused", ("--coder", "../../x")),
        Case("review sheet", "empty file", "empty.csv", b"", "ok"),
    ]
