"""Answers of a language model kept on disk by cache key (see prompt.cache_key): a second run over the same
texts, codebook, model and prompt sends nothing. One small JSON file per excerpt; never holds the key."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


class AnswerCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.hits += 1
        return data

    def put(self, key: str, value: dict) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False)
        os.replace(tmp, path)


def default_folder(project_root: Path | None) -> Path:
    """<project>/cache/llm, or $XDG_CACHE_HOME/bolyst/llm (~/.cache/bolyst/llm) without a project."""
    if project_root is not None:
        return Path(project_root) / "cache" / "llm"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bolyst" / "llm"
