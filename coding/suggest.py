"""What the automatic coder suggests for a text: the rules' codings and the learned layer's themes, combined.

**Policy** (chosen by cross-validation on the learn-from splits, ``bolyst model cv``; coding/FORMAT.md): a
theme is suggested when a rule codes it (asserted, with its rule id and evidence span) **or** the model
scores it at or above the model's threshold. Every suggestion keeps its origin: ``rule`` codings name the
rule and span, ``model`` codings the score and the model's settings; neither is evidence until a person
confirms it.

The model that ``bolyst code --jsonl`` uses ships with the package (``coding/model/``, written by ``bolyst
model train`` from the shipped corpus and decisions; a test checks that it is what training on them gives
today). A build trains its own from the decisions it reads, so its suggestions are never older than them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .coder import Coding, ExcerptLike, Pipelines, code
from .features import doc_features  # noqa: F401 (API: the learned layer's features)
from .model import PIPE, ModelSettings, TrainedModel, fingerprint, suggest  # noqa: F401 (fingerprint: API)
from .nlp import PIPELINE_FOR_LANG, codable

MODEL_DIR = Path(__file__).parent / "model"
SETTINGS_FILE = "bolyst-model.json"


class Features:
    """features(text, lang) for the learned layer, kept from the rules' parse where there was one.

    ``record`` is ``coder.code``'s ``on_doc``: it keeps the features of each doc the rules parsed, so a
    text coded by the rules is not parsed a second time for the model.
    """

    def __init__(self, pipelines: Pipelines) -> None:
        self.pipelines = pipelines
        self.known: dict[tuple[str, str], list[str]] = {}

    def record(self, excerpt: ExcerptLike, doc: Doc) -> None:
        self.known[excerpt.text, excerpt.lang or "nb"] = doc_features(doc)

    def keep(self, excerpt: ExcerptLike, features: list[str]) -> None:
        """``coder.code``'s ``on_features``: the features a coding process computed from its parse."""
        self.known[excerpt.text, excerpt.lang or "nb"] = features

    def __call__(self, text: str, lang: str) -> list[str]:
        key = (text, lang or "nb")
        if key not in self.known:
            name = PIPELINE_FOR_LANG.get(key[1])
            nlp = self.pipelines.by_lang.get(name) if name else None
            if nlp is None:
                return []
            self.known[key] = doc_features(nlp(text))
        return self.known[key]


def featurizer(pipelines: Pipelines) -> Features:
    """features(text, lang): see :func:`doc_features`."""
    return Features(pipelines)


@dataclass(frozen=True)
class LoadedModel:
    """A trained suggester, as trained in a build or loaded from ``coding/model/``."""

    nlp: Language
    labels: tuple[str, ...]
    settings: ModelSettings
    fingerprint: str | None = None  # of the training data, for the shipped model


def suggestions(pipelines: Pipelines, model: LoadedModel | None, texts: Sequence[ExcerptLike]) -> list[Coding]:
    """The rules' codings and the model's themes for ``texts`` (texts in a language without rules: none)."""
    texts = codable(texts)
    features = featurizer(pipelines)
    result = list(code(pipelines, texts, features.record))
    if model is not None and texts:
        result += suggest(model.nlp, texts, model.settings, features)
    return result


def themes(codings: Iterable[Coding]) -> list[str]:
    return sorted({c.theme for c in codings})


# ---------------------------------------------------------------- the shipped model


def save_model(model: TrainedModel, folder: Path) -> Path:
    """Write the trained pipeline and its settings to ``folder`` (replaced as a whole)."""
    import shutil
    import tempfile

    folder = Path(folder)
    tmp = Path(tempfile.mkdtemp(prefix=".model-", dir=folder.parent))
    try:
        model.nlp.to_disk(tmp)
        (tmp / SETTINGS_FILE).write_text(json.dumps(
            {"labels": list(model.labels), "settings": asdict(model.settings), "n_training": model.n_training,
             "positives": dict(model.positives), "coders": list(model.coders), "fingerprint": model.fingerprint},
            ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return folder


def load_model(folder: Path = MODEL_DIR) -> LoadedModel | None:
    """The model saved in ``folder``; None when there is none."""
    folder = Path(folder)
    meta_file = folder / SETTINGS_FILE
    if not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    known = {f.name for f in fields(ModelSettings)}
    settings = ModelSettings(**{k: v for k, v in meta["settings"].items() if k in known})
    nlp = spacy.load(folder)
    if PIPE not in nlp.pipe_names:
        return None
    return LoadedModel(nlp, tuple(meta["labels"]), settings, meta.get("fingerprint"))
