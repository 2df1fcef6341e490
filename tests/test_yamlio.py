"""corpus/yamlio.py: libyaml where it writes and reads what PyYAML would, PyYAML's words where it refuses."""

from __future__ import annotations

import random

import pytest
import yaml

from bolyst.corpus import yamlio
from bolyst.corpus.errors import CorpusFormatError
from bolyst.corpus.reader import read_corpus


def _pyyaml(data: object) -> str:
    """What dump_yaml wrote before it used libyaml: PyYAML's own emitter, same representer and options."""
    return yaml.dump(yamlio.strip_lines(data), Dumper=yamlio._PyDumper, allow_unicode=True, sort_keys=False,
                     width=100)


def _texts() -> list[str]:
    """Every text of the shipped corpus, and seeded random texts (SYNTHETIC) over an alphabet of YAML's
    troublemakers: indicators, quotes, line breaks, runs of spaces, non-breaking and zero-width spaces, a
    combining accent, a private-use character, and the characters that make PyYAML quote a text."""
    corpus = read_corpus()
    texts = [e.text for e in corpus.excerpts] + [f.statement for f in corpus.findings]
    texts += [s.description for s in corpus.speakers] + [s.title for s in corpus.sources]
    rng = random.Random(20261207)
    alphabet = [*"ab æøå:#-'\"\n !?%@&*{}[]|>,.~`\\/09", "\u00a0", "\u200b", "«", "–", "\u00ad", "\u0301",
                "\ue000", "\uff01", "  ", "\n\n", "---", "...", "yes", "null", "2024-01-01"]
    rare = ["\t", "\r", "\x85", "\u2028", "\ufeff", "😀", "\x7f", "\U0001d400"]
    for _ in range(3000):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 260))))
        texts.append("".join(rng.choice(alphabet + rare) for _ in range(rng.randint(0, 60))))
    return texts


def test_dump_writes_the_bytes_pyyaml_writes():
    differ = []
    for text in _texts():
        data = {"source": "x", "excerpts": [{"id": "a", "text": text, "lines": [1, 2], "place": {"description": text}}]}
        if yamlio.dump_yaml(data) != _pyyaml(data):
            differ.append(text)
    assert differ == []


def test_plain_texts_go_to_libyaml_and_the_rest_to_pyyaml():
    assert yamlio._plain_texts({"text": "Vi har flyttet nok – «her er det trygt»: 2018\n- ja", "n": [1, None]})
    for text in ("tab\there", "emoji 😀", "space at the end ", "space \nbefore a break", "line\n indented",
                 "bom\ufeff", "nel\x85", "ls\u2028"):
        assert not yamlio._plain_texts({"excerpts": [{"text": text}]}), text


@pytest.mark.parametrize(("text", "message"), [
    ("a:\n\t- b\n", "line 2, column 1: not valid YAML: found character '\\t' that cannot start any token"),
    ("a: [1, 2\n", "line 2, column 1: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ("a: &x 1\nb: *x\n", "line 2, column 4: not valid YAML: YAML aliases (*name) are not allowed in Bolyst files"),
    ("a: 1\na: 2\n", "line 2, column 1: not valid YAML: the key 'a' is given twice in one mapping (first on line 1)"),
    ("[" * 50 + "]" * 50, "line 1, column 41: not valid YAML: nested deeper than 40 levels"),
])
def test_refusals_say_what_pyyaml_says(text, message):
    with pytest.raises(CorpusFormatError) as refused:
        yamlio.safe_load(text)
    assert str(refused.value).startswith(message)


def test_load_keeps_lines_and_values(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("source: s\nexcerpts:\n- id: a\n  text: |-\n    to\n    linjer\n  lines: [3, 4]\n", encoding="utf-8")
    assert yamlio.load_yaml(path) == {"source": "s", "__line__": 1, "excerpts": [
        {"id": "a", "text": "to\nlinjer", "lines": [3, 4], "__line__": 3}]}
