"""The learned layer's features of a parsed text (its own module, so the coder's processes can compute them
without importing the learned layer)."""

from __future__ import annotations

from spacy.tokens import Doc


def doc_features(doc: Doc) -> list[str]:
    """The lemmas of the words and a ``C_<concept>`` token per codebook concept found in a parsed text."""
    words = [t.lemma_ or t.lower_ for t in doc if not (t.is_space or t.is_punct)]
    return words + [f"C_{concept}" for _, _, concept in doc._.concepts] or ["_"]
