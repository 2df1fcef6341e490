"""Read a REFI-QDA ``.qdpx`` project (or ``.qdc`` codebook) into the model of :mod:`bolyst.site.qda`.

Reading is lenient where real exporters differ (the project file need not be called ``project.qde``,
namespaces are matched by local name, text may be inline or in ``sources/``) and strict where data would
be lost silently: a missing text file, text that is not UTF-8, or a selection outside its text is an
:class:`~bolyst.corpus.errors.ExportError` naming the archive, the source and the fix.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from bolyst.corpus.decode import check_zip
from bolyst.corpus.errors import ExportError
from lxml import etree

from .refi import Case, Code, Coding, Note, Project, Selection, Source, User, Variable, clean_text

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _kids(el: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in el:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            yield child


def _kid(el: etree._Element, name: str) -> etree._Element | None:
    return next(_kids(el, name), None)


def _items(root: etree._Element, container: str, name: str) -> Iterator[etree._Element]:
    """``<container><name/>…</container>`` children of ``root`` (none when the container is absent)."""
    box = _kid(root, container)
    return _kids(box, name) if box is not None else iter(())


def _text(el: etree._Element, name: str) -> str | None:
    child = _kid(el, name)
    return child.text if child is not None and child.text else None


def _where(el: etree._Element) -> str:
    name = el.get("name")
    return f"line {el.sourceline}, <{etree.QName(el).localname}{' ' + repr(name) if name else ''}>"


def _guid(el: etree._Element, path: Path) -> str:
    value = (el.get("guid") or "").strip("{}").lower()
    if not value:
        raise ExportError("element has no guid", path=path, where=_where(el), fix="every REFI-QDA element needs one")
    return value


def _ref(el: etree._Element, name: str) -> str | None:
    child = _kid(el, name)
    return (child.get("targetGUID") or "").strip("{}").lower() or None if child is not None else None


def _refs(el: etree._Element, name: str) -> tuple[str, ...]:
    return tuple((r.get("targetGUID") or "").strip("{}").lower() for r in _kids(el, name))


def _notes(root: etree._Element, path: Path) -> tuple[Note, ...]:
    return tuple(Note(guid=_guid(n, path), name=n.get("name") or "", text=_text(n, "PlainTextContent") or "",
                      user=_user(n, "creatingUser") or _user(n, "modifyingUser"),
                      created=n.get("creationDateTime") or n.get("modifiedDateTime"))
                 for n in _items(root, "Notes", "Note"))


def _codes(parent: etree._Element, path: Path) -> tuple[Code, ...]:
    return tuple(Code(guid=_guid(el, path), name=el.get("name") or "", description=_text(el, "Description"),
                      color=el.get("color"), children=_codes(el, path),
                      codable=el.get("isCodable") != "false") for el in _kids(parent, "Code"))


def _values(el: etree._Element) -> tuple[tuple[str, str | int], ...]:
    values = []
    for value in _kids(el, "VariableValue"):
        variable = _ref(value, "VariableRef")
        integer = _text(value, "IntegerValue")
        if variable and integer is not None:
            values.append((variable, int(integer)))
        elif variable:
            values.append((variable, _text(value, "TextValue") or ""))
    return tuple(values)


def _user(el: etree._Element, name: str) -> str | None:
    value = el.get(name)
    return value.strip("{}").lower() if value else None


def _selections(el: etree._Element, text: str, path: Path, source_name: str) -> tuple[Selection, ...]:
    selections = []
    for sel in _kids(el, "PlainTextSelection"):
        try:
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        except (TypeError, ValueError):
            raise ExportError("selection without integer startPosition/endPosition", path=path,
                              where=_where(sel)) from None
        if not 0 <= start < end <= len(text):
            raise ExportError(f"selection [{start}, {end}) lies outside source {source_name!r} "
                              f"({len(text)} characters)", path=path, where=_where(sel),
                              fix="export the project again from the QDA tool; offsets are code points")
        codings = tuple(Coding(guid=_guid(c, path), code=_ref(c, "CodeRef") or "",
                               user=_user(c, "creatingUser") or _user(c, "modifyingUser"),
                               created=c.get("creationDateTime") or c.get("modifiedDateTime"),
                               notes=_refs(c, "NoteRef"))
                        for c in _kids(sel, "Coding"))
        selections.append(Selection(guid=_guid(sel, path), start=start, end=end, name=sel.get("name"),
                                    description=_text(sel, "Description"), codings=codings,
                                    user=_user(sel, "creatingUser") or _user(sel, "modifyingUser"),
                                    created=sel.get("creationDateTime") or sel.get("modifiedDateTime")))
    return tuple(selections)


def _source_text(el: etree._Element, archive: zipfile.ZipFile, path: Path) -> str:
    inline = _text(el, "PlainTextContent")
    if inline is not None:
        return clean_text(inline)
    target = el.get("plainTextPath") or ""
    name = PurePosixPath(target.split("://", 1)[-1]).name
    candidates = [n for n in archive.namelist() if PurePosixPath(n).name == name and "sources" in n]
    if not name or not candidates:
        raise ExportError(f"text source {el.get('name')!r} has no text file {target!r} in the archive",
                          path=path, where=_where(el), fix="export the project with its sources/ folder")
    try:
        return clean_text(archive.read(candidates[0]).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ExportError(f"{candidates[0]} is not UTF-8 ({exc.reason} at byte {exc.start})", path=path,
                          where=_where(el), fix="save the source as UTF-8 text in the QDA tool") from None


def _project_file(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".qde")]
    if not names:
        raise ExportError("no project.qde in the archive", path=path, fix="is this a REFI-QDA .qdpx export?")
    return "project.qde" if "project.qde" in names else min(names)


def read_qdpx(path: Path) -> Project:
    """The project in a ``.qdpx`` archive, with every text source's text."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExportError(f"not a .qdpx (zip) archive ({exc})", path=path) from None
    with archive:
        check_zip(archive, path)  # member count, sizes and ratios, before any member is read
        try:
            root = etree.fromstring(archive.read(_project_file(archive, path)), _PARSER)
        except etree.XMLSyntaxError as exc:
            raise ExportError(f"project.qde is not well-formed XML ({exc})", path=path) from None
        sources = []
        for el in _items(root, "Sources", "TextSource"):
            text = _source_text(el, archive, path)
            sources.append(Source(guid=_guid(el, path), name=el.get("name") or "", text=text,
                                  description=_text(el, "Description"),
                                  selections=_selections(el, text, path, el.get("name") or ""),
                                  values=_values(el)))
    return Project(
        name=root.get("name") or path.stem, origin=root.get("origin") or "",
        users=tuple(User(guid=_guid(u, path), name=u.get("name") or "", id=u.get("id"))
                    for u in _items(root, "Users", "User")),
        codes=_codebook_codes(root, path),
        variables=tuple(Variable(guid=_guid(v, path), name=v.get("name") or "",
                                 type=v.get("typeOfVariable") or "Text", description=_text(v, "Description"))
                        for v in _items(root, "Variables", "Variable")),
        cases=tuple(Case(guid=_guid(c, path), name=c.get("name") or "", description=_text(c, "Description"),
                         selections=_refs(c, "SelectionRef"), values=_values(c), sources=_refs(c, "SourceRef"))
                    for c in _items(root, "Cases", "Case")),
        sources=tuple(sources), description=_text(root, "Description"),
        creating_user=_user(root, "creatingUserGUID"), notes=_notes(root, path))


def _codebook_codes(root: etree._Element, path: Path) -> tuple[Code, ...]:
    book = _kid(root, "CodeBook") if etree.QName(root).localname == "Project" else root
    codes = _kid(book, "Codes") if book is not None else None
    return _codes(codes, path) if codes is not None else ()


def read_qdc(path: Path) -> tuple[Code, ...]:
    """The codes of a ``.qdc`` codebook."""
    path = Path(path)
    try:
        root = etree.fromstring(path.read_bytes(), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExportError(f"not well-formed XML ({exc})", path=path) from None
    return _codebook_codes(root, path)
