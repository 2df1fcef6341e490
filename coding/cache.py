"""What the rules coder made of each text, kept between builds, so a rebuild codes only new and changed excerpts.

Coding is a pure function of an excerpt's text and language, the codebook and the coder's own code: the key is a
hash of exactly those (``coder_fingerprint`` covers the coder's modules and the versions of spaCy and simplemma),
so a hit is what coding would give, and any change to the codebook or coder misses every entry. The value holds
the codings (without the excerpt id, re-attached on use) and the learned layer's features of the parse.

The trained suggester is kept there too (:meth:`CoderCache.trained`): training is a pure function of its examples,
labels and settings (seeded), so the same ones load the model trained before instead of training it again.

The cache is one SQLite file beside the database (``<db>.coder-cache``); deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import astuple
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from spacy.language import Language

from .codebook import Codebook
from .coder import Coding, ExcerptLike, Pipelines, code
from .model import LabelledText, ModelSettings, train, untrained

#: The modules whose code decides a coding (bump nothing by hand: their bytes are hashed).
CODER_MODULES = ("coder.py", "concepts.py", "modality.py", "nlp.py", "book.py", "codebook.py", "features.py")
SUFFIX = ".coder-cache"


@lru_cache(maxsize=1)
def coder_fingerprint() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in CODER_MODULES:
        digest.update((here / name).read_bytes())
    digest.update((here.parent / "corpus" / "lemmas.py").read_bytes())
    digest.update(f"spacy {version('spacy')} simplemma {version('simplemma')}".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """The code that trains the suggester, and the libraries under it."""
    digest = hashlib.sha256((Path(__file__).parent / "model.py").read_bytes())
    digest.update(f"spacy {version('spacy')} thinc {version('thinc')} simplemma {version('simplemma')}".encode())
    return digest.hexdigest()


def codebook_fingerprint(book: Codebook) -> str:
    path = Path(book.path) if book.path else None
    data = path.read_bytes() if path and path.is_file() else repr(book).encode()
    return hashlib.sha256(data).hexdigest()


class CoderCache:
    """Entries keyed by (coder, codebook, lang, text); ``code`` fills it as it goes."""

    def __init__(self, path: Path, book: Codebook) -> None:
        self.path = Path(path)
        self.conn = sqlite3.connect(self.path)
        self.conn.execute("create table if not exists entries (key text primary key, value text not null)")
        self.conn.execute("create table if not exists models (key text primary key, value blob not null)")
        self.prefix = f"{coder_fingerprint()}\0{codebook_fingerprint(book)}\0"
        self.hits = self.misses = 0

    def key(self, excerpt: ExcerptLike) -> str:
        return hashlib.sha256(f"{self.prefix}{excerpt.lang or 'nb'}\0{excerpt.text}".encode()).hexdigest()

    def lookup(self, keys: Sequence[str]) -> dict[str, tuple[list[list], list[str] | None]]:
        found: dict[str, tuple[list[list], list[str] | None]] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):
            chunk = unique[i:i + 500]
            rows = self.conn.execute(f"select key, value from entries where key in ({','.join('?' * len(chunk))})",
                                     chunk)
            found.update((k, tuple(json.loads(v))) for k, v in rows)
        return found

    def store(self, items: dict[str, tuple[list[list], list[str] | None]]) -> None:
        with self.conn:
            self.conn.executemany("insert or replace into entries values (?, ?)",
                                  [(k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()])

    def trained(self, examples: Sequence[LabelledText], labels: Sequence[str], settings: ModelSettings) -> Language:
        """:func:`bolyst.coding.model.train`, remembered: what the same examples (ids, texts, languages, features,
        targets), labels and settings gave, with the same model code and spaCy, is loaded, not trained again."""
        digest = hashlib.sha256(model_fingerprint().encode())
        for e in sorted(examples, key=lambda e: e.id):
            digest.update(json.dumps([e.id, e.text, e.lang, list(e.features), sorted(e.target(settings.target))],
                                     ensure_ascii=False).encode())
        digest.update(json.dumps([list(labels), settings.describe()]).encode())
        key = digest.hexdigest()
        row = self.conn.execute("select value from models where key = ?", [key]).fetchone()
        if row is not None:
            return untrained(labels, settings).from_bytes(row[0])
        nlp = train(examples, labels, settings)
        with self.conn:  # only the newest model is kept: ~1 MB each, and a build needs only its own
            self.conn.execute("delete from models")
            self.conn.execute("insert into models values (?, ?)", [key, nlp.to_bytes()])
        return nlp

    def close(self) -> None:
        self.conn.close()


def cached_code(nlp: Pipelines, excerpts: Sequence[ExcerptLike], cache: CoderCache, jobs: int = 1,
                on_features: Callable[[ExcerptLike, list[str]], None] | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[Coding]:
    """``coder.code`` with ``cache``: the same codings in the same order; only texts not in the cache are parsed."""
    keys = [cache.key(e) for e in excerpts]
    found = cache.lookup(keys)
    todo = [e for e, k in zip(excerpts, keys) if k not in found]
    cache.hits, cache.misses = len(excerpts) - len(todo), len(todo)
    if progress is not None and cache.hits:
        progress(cache.hits)
    if todo:
        new: dict[str, list[Coding]] = {e.id: [] for e in todo}
        feats: dict[str, list[str]] = {}
        def taken() -> Iterator[ExcerptLike]:
            for excerpt in todo:
                yield excerpt
                if progress is not None:
                    progress(1)

        for coding in code(nlp, taken(), jobs=jobs, on_features=lambda e, f: feats.__setitem__(e.id, f)):
            new[coding.excerpt].append(coding)
        fresh = {cache.key(e): ([list(astuple(c))[1:] for c in new[e.id]], feats.get(e.id)) for e in todo}
        cache.store(fresh)
        found.update(fresh)
    for excerpt, key in zip(excerpts, keys):
        rows, features = found[key]
        if on_features is not None and features is not None:
            on_features(excerpt, features)
        for row in rows:
            yield Coding(excerpt.id, *row)
