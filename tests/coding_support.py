"""Helpers for the coding tests: a coding folder with the synthetic fixture codebook, and a quick build."""

from __future__ import annotations

import shutil
from pathlib import Path

from bolyst.site import build as site_build
from bolyst.site.build import Paths

FIXTURE_CODEBOOK = Path(__file__).parent / "fixtures" / "coding" / "codebook.yaml"


def fixture_coding_dir(folder: Path) -> Path:
    """``folder/coding`` with the fixture codebook and an empty decisions/ folder."""
    coding = folder / "coding"
    (coding / "decisions").mkdir(parents=True)
    shutil.copy(FIXTURE_CODEBOOK, coding / "codebook.yaml")
    return coding


def build_until_coding(db_path: Path, coding: Path) -> None:
    """The real atomic build of the shipped corpus and ``coding``, without the later stages (they do not
    touch codings and take most of a full build's time)."""
    original = site_build.stages
    site_build.stages = lambda: [s for s in original() if s.name in ("corpus", "coding")]
    try:
        site_build.build(db_path, Paths(coding=coding))
    finally:
        site_build.stages = original
