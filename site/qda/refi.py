"""REFI-QDA 1.0 interchange: a small model of a QDA project, written to and read from ``.qdpx`` / ``.qdc``.

A ``.qdpx`` is a zip with ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and one UTF-8 text
file per text source under ``sources/``; a ``.qdc`` is a codebook alone (``urn:QDA-XML:codebook:1.0``).
What real importers need beyond the schema (site/qda/refi-qda/INTEROP.md) is done here once for every caller:
an ``origin`` attribute on ``<Project>``, every text source as ``plainTextPath="internal://<file>"`` with
the file in ``sources/``, text written as UTF-8 without BOM and with LF line endings, and selection
offsets counted in Unicode code points (``text[start:end]`` is the selected passage, end exclusive).

Who made a selection or coding is written where importers read it: ``creatingUser`` and
``creationDateTime`` on every ``PlainTextSelection`` (QualCoder takes a coding's owner and date from its
selection) and on every ``Coding``. Notes (memos) are project ``<Note>``s referred to by ``<NoteRef>``.

The archive is deterministic: sorted entries, a fixed zip timestamp, dates from the data (never "now"),
GUIDs made by :func:`guid` from Bolyst ids, so two exports of the same data are byte-identical.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bolyst.corpus.errors import ExportError
from lxml import etree


PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).resolve().parent / "refi-qda"
#: Namespace of every Bolyst GUID: uuid5(BOLYST_NS, "<kind>:<id>") is the same in every export.
BOLYST_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/bolyst/bolyst/refi-qda")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def guid(kind: str, ident: str) -> str:
    """Stable GUID of a Bolyst object: ``guid("excerpt", "fafo-2025-14/amina")`` is the same every export."""
    return str(uuid.uuid5(BOLYST_NS, f"{kind}:{ident}"))


@dataclass(frozen=True)
class User:
    guid: str
    name: str
    id: str | None = None


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str | None = None
    color: str | None = None
    children: tuple[Code, ...] = ()
    codable: bool = True


@dataclass(frozen=True)
class Coding:
    guid: str
    code: str  # GUID of the code
    user: str | None = None  # GUID of the user who applied it
    created: str | None = None  # xsd:dateTime
    notes: tuple[str, ...] = ()  # GUIDs of Notes (memos) on this coding


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int  # code point offset, inclusive
    end: int  # code point offset, exclusive
    name: str | None = None
    description: str | None = None
    codings: tuple[Coding, ...] = ()
    user: str | None = None  # GUID of the user who made the selection (QualCoder: the codings' owner)
    created: str | None = None  # xsd:dateTime (QualCoder: the codings' date)


@dataclass(frozen=True)
class Variable:
    guid: str
    name: str
    type: str = "Text"  # Text | Integer
    description: str | None = None


@dataclass(frozen=True)
class Source:
    guid: str
    name: str
    text: str
    description: str | None = None
    selections: tuple[Selection, ...] = ()
    values: tuple[tuple[str, str | int], ...] = ()  # (variable GUID, value)


@dataclass(frozen=True)
class Case:
    guid: str
    name: str
    description: str | None = None
    selections: tuple[str, ...] = ()  # selection GUIDs
    values: tuple[tuple[str, str | int], ...] = ()
    sources: tuple[str, ...] = ()  # source GUIDs (SourceRef)


@dataclass(frozen=True)
class Note:
    """A memo: project-level ``<Note>`` with inline text, referred to by ``<NoteRef>``."""

    guid: str
    name: str
    text: str
    user: str | None = None
    created: str | None = None


@dataclass(frozen=True)
class Project:
    name: str
    origin: str
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    variables: tuple[Variable, ...] = ()
    cases: tuple[Case, ...] = ()
    sources: tuple[Source, ...] = ()
    description: str | None = None
    creating_user: str | None = None
    notes: tuple[Note, ...] = ()


def clean_text(text: str) -> str:
    """The text as a QDA tool will read it: no byte-order mark, LF line endings only."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- writing


def _el(parent: etree._Element | None, tag: str, ns: str = PROJECT_NS, **attrs: str | int | None) -> etree._Element:
    values = {k: str(v) for k, v in attrs.items() if v is not None}
    if parent is None:
        return etree.Element(f"{{{ns}}}{tag}", values, nsmap={None: ns})
    return etree.SubElement(parent, f"{{{ns}}}{tag}", values)


def _description(parent: etree._Element, text: str | None, ns: str = PROJECT_NS) -> None:
    if text:
        _el(parent, "Description", ns).text = text


def _codes(parent: etree._Element, codes: tuple[Code, ...], ns: str) -> None:
    for code in codes:
        el = _el(parent, "Code", ns, guid=code.guid, name=code.name, isCodable="true" if code.codable else "false",
                 color=code.color)
        _description(el, code.description, ns)
        _codes(el, code.children, ns)


def _values(parent: etree._Element, values: tuple[tuple[str, str | int], ...]) -> None:
    for variable, value in values:
        el = _el(parent, "VariableValue")
        _el(el, "VariableRef", targetGUID=variable)
        _el(el, "IntegerValue" if isinstance(value, int) else "TextValue").text = str(value)


def source_path(source: Source) -> str:
    """Name of the source's text file inside the archive's ``sources/`` folder."""
    return f"{source.guid}.txt"


def project_xml(project: Project) -> bytes:
    """``project.qde`` as UTF-8 bytes (declaration included)."""
    root = _el(None, "Project", name=project.name, origin=project.origin, creatingUserGUID=project.creating_user)
    if project.users:
        users = _el(root, "Users")
        for user in project.users:
            _el(users, "User", guid=user.guid, name=user.name, id=user.id)
    if project.codes:
        _codes(_el(_el(root, "CodeBook"), "Codes"), project.codes, PROJECT_NS)
    if project.variables:
        variables = _el(root, "Variables")
        for var in project.variables:
            _description(_el(variables, "Variable", guid=var.guid, name=var.name, typeOfVariable=var.type),
                         var.description)
    if project.cases:
        cases = _el(root, "Cases")
        for case in project.cases:
            el = _el(cases, "Case", guid=case.guid, name=case.name)
            _description(el, case.description)
            _values(el, case.values)
            for source in case.sources:
                _el(el, "SourceRef", targetGUID=source)
            for selection in case.selections:
                _el(el, "SelectionRef", targetGUID=selection)
    if project.sources:
        sources = _el(root, "Sources")
        for source in project.sources:
            el = _el(sources, "TextSource", guid=source.guid, name=source.name,
                     plainTextPath=f"internal://{source_path(source)}")
            _description(el, source.description)
            for sel in source.selections:
                sel_el = _el(el, "PlainTextSelection", guid=sel.guid, name=sel.name, startPosition=sel.start,
                             endPosition=sel.end, creatingUser=sel.user, creationDateTime=sel.created)
                _description(sel_el, sel.description)
                for coding in sel.codings:
                    coding_el = _el(sel_el, "Coding", guid=coding.guid, creatingUser=coding.user,
                                    creationDateTime=coding.created)
                    _el(coding_el, "CodeRef", targetGUID=coding.code)
                    for note in coding.notes:
                        _el(coding_el, "NoteRef", targetGUID=note)
            _values(el, source.values)
    if project.notes:
        notes = _el(root, "Notes")
        for note in project.notes:
            _el(_el(notes, "Note", guid=note.guid, name=note.name, creatingUser=note.user,
                    creationDateTime=note.created), "PlainTextContent").text = note.text
    _description(root, project.description)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def codebook_xml(codes: tuple[Code, ...], origin: str) -> bytes:
    """A ``.qdc`` codebook as UTF-8 bytes."""
    root = _el(None, "CodeBook", CODEBOOK_NS, origin=origin)
    _codes(_el(root, "Codes", CODEBOOK_NS), codes, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def write_qdpx(project: Project, path: Path) -> Path:
    """Write ``project`` as a ``.qdpx`` archive; refuses a project that does not validate or whose offsets
    fall outside their text."""
    for source in project.sources:
        if source.text != clean_text(source.text):
            raise ExportError(f"text of source {source.name!r} has a BOM or CR line endings", path=path)
        for sel in source.selections:
            if not 0 <= sel.start < sel.end <= len(source.text):
                raise ExportError(f"selection {sel.name!r} [{sel.start}, {sel.end}) is outside its source "
                                  f"{source.name!r} of {len(source.text)} characters", path=path)
    xml = project_xml(project)
    validate(xml, "project", path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        _zip_entry(archive, "project.qde", xml)
        for source in sorted(project.sources, key=source_path):
            _zip_entry(archive, f"sources/{source_path(source)}", source.text.encode("utf-8"))
    return path


def write_qdc(codes: tuple[Code, ...], origin: str, path: Path) -> Path:
    xml = codebook_xml(codes, origin)
    validate(xml, "codebook", path)
    Path(path).write_bytes(xml)
    return Path(path)


# ---------------------------------------------------------------- validation


_SCHEMAS: dict[str, etree.XMLSchema] = {}


def schema(kind: str) -> etree.XMLSchema:
    """The shipped REFI-QDA XML schema: ``project`` (Project.xsd) or ``codebook`` (Codebook.xsd)."""
    if kind not in _SCHEMAS:
        name = {"project": "Project.xsd", "codebook": "Codebook.xsd"}[kind]
        _SCHEMAS[kind] = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))
    return _SCHEMAS[kind]


def validate(xml: bytes, kind: str, path: Path | str | None = None) -> None:
    """Raise :class:`ExportError` naming the first schema violations of ``xml``."""
    checker = schema(kind)
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise ExportError(f"not well-formed XML ({exc})", path=path, fix="export the file again") from None
    if not checker.validate(document):
        problems = "; ".join(f"line {e.line}: {e.message}" for e in list(checker.error_log)[:3])
        raise ExportError(f"does not validate against {kind} schema: {problems}", path=path,
                          fix="see site/qda/refi-qda/ for the REFI-QDA 1.0 schemas")
