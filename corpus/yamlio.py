"""YAML reading that remembers line numbers, so errors can name the line of a bad record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusFormatError

LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def load_yaml(path: Path, error: type[Exception] = CorpusFormatError) -> Any:
    """Parse a YAML file; every mapping gets a ``__line__`` key with its 1-based line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise error(f"not valid YAML: {exc.problem}", path=path, where=where,
                    fix="check indentation and quote text containing ':' or '#' (use a |- block)") from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path,
                    fix="save the file as UTF-8") from None


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
