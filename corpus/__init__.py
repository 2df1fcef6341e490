"""bolyst.corpus — read source documents' excerpts and findings into plain records.

The first of Bolyst's four stages (corpus ← coding ← stats ← site). Nothing here touches a
database except :mod:`bolyst.corpus.writer`.
"""

from pathlib import Path

#: Folder of the shipped corpus (source YAML files and the seed texts they cite).
CORPUS_DIR = Path(__file__).resolve().parent
SOURCES_DIR = CORPUS_DIR / "sources"
SEEDS_DIR = CORPUS_DIR / "seeds"
