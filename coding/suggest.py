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

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import spacy
from spacy.language import Language

from .coder import Coding, ExcerptLike, Pipelines, code
from .model import PIPE, ModelSettings, TrainedModel, suggest
from .nlp import PIPELINE_FOR_LANG

MODEL_DIR = Path(__file__).parent / "model"
SETTINGS_FILE = "bolyst-model.json"


def featurizer(pipelines: Pipelines):
    """features(text, lang): the lemmas of the words and a ``C_<concept>`` token per codebook concept found."""
    def features(text: str, lang: str) -> list[str]:
        name = PIPELINE_FOR_LANG.get(lang or "nb")
        nlp = pipelines.by_lang.get(name) if name else None
        if nlp is None:
            return []
        doc = nlp(text)
        words = [t.lemma_ or t.lower_ for t in doc if not (t.is_space or t.is_punct)]
        return words + [f"C_{concept}" for _, _, concept in doc._.concepts] or ["_"]
    return features


@dataclass(frozen=True)
class LoadedModel:
    """A trained suggester, as trained in a build or loaded from ``coding/model/``."""

    nlp: Language
    labels: tuple[str, ...]
    settings: ModelSettings
    fingerprint: str | None = None  # of the training data, for the shipped model


def suggestions(pipelines: Pipelines, model: LoadedModel | None, texts: Sequence[ExcerptLike]) -> list[Coding]:
    """The rules' codings and the model's themes for ``texts`` (texts in a language without rules: none)."""
    codable = [t for t in texts if PIPELINE_FOR_LANG.get(t.lang or "nb")]
    result = list(code(pipelines, codable))
    if model is not None and codable:
        result += suggest(model.nlp, codable, model.settings, featurizer(pipelines))
    return result


def themes(codings: Iterable[Coding]) -> list[str]:
    return sorted({c.theme for c in codings})


# ---------------------------------------------------------------- the shipped model


def fingerprint(examples: Iterable) -> str:
    """SHA-256 of what the model is trained on: ids, texts, targets and features, in order."""
    digest = hashlib.sha256()
    for e in sorted(examples, key=lambda e: e.id):
        digest.update(json.dumps([e.id, e.text, sorted(e.target()), list(e.features)],
                                 ensure_ascii=False).encode())
    return digest.hexdigest()


def save_model(model: TrainedModel, folder: Path, fingerprint_: str) -> Path:
    """Write the trained pipeline and its settings to ``folder`` (replaced as a whole)."""
    import shutil
    import tempfile

    folder = Path(folder)
    tmp = Path(tempfile.mkdtemp(prefix=".model-", dir=folder.parent))
    try:
        model.nlp.to_disk(tmp)
        (tmp / SETTINGS_FILE).write_text(json.dumps(
            {"labels": list(model.labels), "settings": asdict(model.settings), "n_training": model.n_training,
             "positives": dict(model.positives), "coders": list(model.coders), "fingerprint": fingerprint_},
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
