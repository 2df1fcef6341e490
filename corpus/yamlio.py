"""YAML reading that remembers line numbers, so errors can name the line of a bad record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .decode import decode, read_bytes
from .errors import BolystError, CorpusFormatError, InputLimitError

LINE = "__line__"
#: Bounds on what one YAML document may hold: a corpus or decisions file is far below them.
MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40


class _Bounded(yaml.SafeLoader):
    """SafeLoader that refuses aliases (``*name``: the 'billion laughs' bomb), nesting past MAX_DEPTH and a key
    given twice in one mapping (YAML would keep the last silently, and the first value would be lost)."""

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
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else None
        raise error(f"not valid YAML: {exc.problem}", path=path, where=where,
                    fix="check indentation and quote text containing ':' or '#' (use a |- block)") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise error(f"not valid YAML: {str(exc)[:200]}", path=path, fix="check the file's structure") from None


class _LineLoader(_Bounded):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


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


def dump_yaml(data: Any) -> str:
    """Deterministic, human-diffable YAML: keys in given order, multi-line text as |- blocks."""

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value or len(value) > 100 else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(strip_lines(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
