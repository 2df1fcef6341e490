"""YAML reading that remembers line numbers, so errors can name the line of a bad record."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .decode import decode, read_bytes
from .errors import BolystError, CorpusFormatError, InputLimitError

LINE = "__line__"
#: Bounds on what one YAML document may hold: a corpus or decisions file is far below them.
MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: the same checks, all in Python
    _Events: type = yaml.SafeLoader
else:
    class _Events(Composer, CParser, SafeConstructor, Resolver):  # type: ignore[no-redef,misc]
        """libyaml's scanner and parser (C) under PyYAML's own composer and safe constructor (Python), so the
        bounds below still see every node (yaml.CSafeLoader composes in C, where no override reaches)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


class _Bounds:
    """Refuses aliases (``*name``: the 'billion laughs' bomb), nesting past MAX_DEPTH and a key given twice in
    one mapping (YAML would keep the last silently, and the first value would be lost)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or not isinstance(key, (str, int, float, bool)):
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice in one mapping (first on line {seen[key]}); "
                    "keep one", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed in Bolyst files", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.constructor.ConstructorError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Lines(_Bounds):
    """:class:`_Bounds`, and every mapping gets a ``__line__`` key with its 1-based line."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


class _Bounded(_Bounds, _Events):
    pass


class _LineLoader(_Lines, _Events):
    pass


#: The same loaders in pure Python: a file libyaml refuses is parsed again by them, so the error says what PyYAML
#: says (libyaml's words are terser: "found character that cannot start any token", without the character).
_EXPLAIN: dict[type, type] = {_Bounded: type("_PyBounded", (_Bounds, yaml.SafeLoader), {}),
                              _LineLoader: type("_PyLineLoader", (_Lines, yaml.SafeLoader), {})}


def safe_load(text: str, path: Path | str | None = None, error: type[BolystError] = CorpusFormatError,
              line_offset: int = 0) -> Any:
    """YAML ``text`` with the bounds of :class:`_Bounded`; a YAML problem is ``error`` naming the line."""
    if len(text) > MAX_YAML_BYTES:
        raise InputLimitError(f"YAML text of {len(text):,} characters is past the limit of {MAX_YAML_BYTES:,}",
                              path=path, fix="split the file")
    return _load(text, _Bounded, path, error, line_offset)


def _load(text: str, loader: type, path: Path | str | None, error: type[Exception], line_offset: int = 0) -> Any:
    """Parse with ``loader`` (a bounded SafeLoader); every YAML problem becomes one ``error`` with its line."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a SafeLoader)
    except (yaml.YAMLError, RecursionError) as exc:
        problem = exc
    if loader in _EXPLAIN:
        try:
            yaml.load(text, Loader=_EXPLAIN[loader])  # noqa: S506 (a SafeLoader)
        except (yaml.YAMLError, RecursionError) as exc:
            problem = exc
    _refuse(problem, path, error, line_offset)


def _refuse(problem: Exception, path: Path | str | None, error: type[Exception], line_offset: int) -> NoReturn:
    """Raise ``error`` for a YAML ``problem``, naming its line and column when PyYAML knows them."""
    if isinstance(problem, yaml.MarkedYAMLError):
        mark = problem.problem_mark
        where = f"line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else None
        raise error(f"not valid YAML: {problem.problem}", path=path, where=where,
                    fix="check indentation and quote text containing ':' or '#' (use a |- block)") from None
    raise error(f"not valid YAML: {str(problem)[:200]}", path=path, fix="check the file's structure") from None


def load_yaml(path: Path, error: type[Exception] = CorpusFormatError) -> Any:
    """Parse a YAML file; every mapping gets a ``__line__`` key with its 1-based line."""
    return _load(decode(read_bytes(path, MAX_YAML_BYTES), path), _LineLoader, path, error)


def strip_lines(value: Any) -> Any:
    """A copy without the ``__line__`` bookkeeping keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value or len(value) > 100 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _PyDumper(yaml.SafeDumper):
    pass


class _CDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


for _dumper in (_PyDumper, _CDumper):
    _dumper.add_representer(str, _represent_str)

#: What makes PyYAML write a text double-quoted: a tab, a control or other non-printable character, one outside
#: the Basic Multilingual Plane (an emoji), a byte-order mark, a Unicode line break, a space next to a line break,
#: a space at the end (a |- block cannot hold it). libyaml escapes and folds such text differently from PyYAML, so a document holding
#: one is written by PyYAML's emitter; all others by libyaml's, which writes the same bytes (tests/test_yamlio.py).
_PY_ONLY = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]| \n|\n | \\Z")


def _plain_texts(value: Any) -> bool:
    """True when no text in ``value`` (keys included) needs PyYAML's emitter (:data:`_PY_ONLY`)."""
    if isinstance(value, str):
        return not _PY_ONLY.search(value)
    if isinstance(value, dict):
        return all(_plain_texts(k) and _plain_texts(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain_texts(v) for v in value)
    return True


def dump_yaml(data: Any) -> str:
    """Deterministic, human-diffable YAML: keys in given order, multi-line text as |- blocks."""
    data = strip_lines(data)
    dumper = _CDumper if _plain_texts(data) else _PyDumper
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
