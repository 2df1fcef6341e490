"""Language detection on short quotes (bolyst.corpus.language): Bokmål, Nynorsk, English, and others recorded."""

from __future__ import annotations

import pytest
from bolyst.corpus.language import detect


@pytest.mark.parametrize(("text", "lang"), [
    ("Vi trives godt her.", "nb"),
    ("Jeg liker meg her.", "nb"),
    ("Barna har venner her, og vi vil ikke flytte.", "nb"),
    ("Hvorfor flyttet dere hit?", "nb"),
    ("Vi trivst godt her.", "nn"),
    ("Eg vil bu her.", "nn"),
    ("Barna har vener her.", "nn"),
    ("Kvifor flytta de hit? Det var ikkje lett.", "nn"),
    ("Dei flytta frå bygda fordi det ikkje fanst arbeid.", "nn"),
    ("We like it here.", "en"),
    ("I never fit in.", "en"),
    ("The winters were long, but the people were kind.", "en"),
    ("Jag trivs bra här i byn.", "sv"),
    ("Ich wohne hier gern.", "de"),
    ("", "und"),
    ("123 456", "und"),
])
def test_detects_the_language_of_short_quotes(text, lang):
    assert detect(text) == lang


def test_norwegian_loanwords_do_not_make_a_quote_english():
    # «like» is Norwegian too (equal), «her» is «here»: neither is evidence of English
    assert detect("Både nykommerne og folk i nærmiljøet beskriver frustrasjon når alle blir behandlet like dårlig.") == "nb"
    assert detect("Her er det fint.") == "nb"
