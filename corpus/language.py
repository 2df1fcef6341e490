"""Which language an excerpt is in: Bokmål (nb), Nynorsk (nn), English (en), or another one recorded as such.

Short quotes are the hard case, so the decision is made on function words, which carry most of the
difference between Bokmål and Nynorsk («ikke»/«ikkje», «jeg»/«eg», «hva»/«kva», «fra»/«frå») and between
Norwegian and English. Only when those are silent or tied is simplemma's dictionary-based ``langdetect``
asked (no model download), which also recognises Swedish, Danish and German so that they are recorded as
such and not coded as Norwegian.

``detect(text)`` returns a code; ``CODED`` are the languages the coder has rules and lemmas for.
"""

from __future__ import annotations

import re
from functools import lru_cache

CODED = ("nb", "nn", "en")
#: Languages the dictionary detector may answer; the rest of the world is recorded as "und" (undetermined).
KNOWN = ("nb", "nn", "en", "sv", "da", "de")
UNDETERMINED = "und"

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

# Words that (almost) only one of the three languages uses. Shared words («og», «i», «han») carry nothing.
_MARKERS: dict[str, frozenset[str]] = {
    "nb": frozenset("""
        ikke jeg hva hvordan hvorfor hvem hvilke hvilken hvor hvis bare hjemme hjem mye noe noen nå fra være
        vært selv mer flere hun sammen sted steder gang dem deres også ble kommer går gikk synes tror skole hele
        ennå enda disse tilbake bodd bor bo vennene sier trives venner kjent ønsker fikk gjør hos skal vil
        etter mellom men
    """.split()),
    "nn": frozenset("""
        ikkje eg kva korleis kvifor kven kvar berre heime heim mykje noko nokon nokre no frå vere vore sjølv meir
        fleire ho saman stad stader gong dei deira dersom òg blei kjem gjekk synest trur skule heile endå desse
        attende budd bur bu borna venene vener kjend ønskjer eit ein medan kor sjå dykk dokker anna inga fekk gjer
        teke gjev hjå seier trivst millionar arbeidslause skal vil etter mellom men me
    """.split()),
    "en": frozenset("""
        the and of is was were are be been being that this these those they them their there we our us you
        your he she his it its my me have has had not but with from because would could should will can which
        who what when where why how about into than then very also only just more most some any many much
        do does did moved move living live stay stayed work job people town city here never always been
        on am an in
    """.split()),
}
# The words that tell nb and nn apart (the markers above minus the words both use).
_NB_ONLY = _MARKERS["nb"] - _MARKERS["nn"]
_NN_ONLY = _MARKERS["nn"] - _MARKERS["nb"]
# Endings that tell the two standards apart: plural of nouns in -ing («flyktningar» / «flyktninger»),
# adjectives in -leg / -lig, -laus / -løs, -sam / -som («vanskeleg», «arbeidslaus», «hjelpsame»).
_NN_SUFFIX = re.compile(r"(?:ingar|ningane|rarar|rarane|ingane|leg|lege|laus|lause|sam|same)$")
_NB_SUFFIX = re.compile(r"(?:inger|ingene|rerne|rere|lig|lige|løs|løse|somme)$")
_SUFFIX_MIN = 6  # shorter words («som», «leg») are not judged by their ending


def _counts(words: list[str]) -> dict[str, int]:
    nb = sum(w in _NB_ONLY or (len(w) >= _SUFFIX_MIN and bool(_NB_SUFFIX.search(w))) for w in words)
    nn = sum(w in _NN_ONLY or (len(w) >= _SUFFIX_MIN and bool(_NN_SUFFIX.search(w))) for w in words)
    en = sum(w in _MARKERS["en"] for w in words)
    return {"nb": nb, "nn": nn, "en": en}


@lru_cache(maxsize=65_536)
def detect(text: str) -> str:
    """The language of ``text``: "nb", "nn", "en", "sv", "da", "de", or "und" when there is nothing to go on."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    if not words:
        return UNDETERMINED
    counts = _counts(words)
    norwegian = counts["nb"] + counts["nn"]
    if (counts["en"] >= 2 and counts["en"] >= 2 * norwegian) or (counts["en"] and not norwegian and len(words) < 6):
        return "en"
    family = _dictionary_guess(text) if norwegian < 2 or counts["en"] >= norwegian else "no"
    if family == "en" and counts["en"] == 0 and norwegian:
        family = "no"
    if family in ("sv", "da", "de", "en", UNDETERMINED):
        return family
    if counts["nn"] > counts["nb"]:
        return "nn"
    if counts["nb"] > counts["nn"]:
        return "nb"
    return family if family in ("nb", "nn") else "nb"


def _dictionary_guess(text: str) -> str:
    """simplemma's guess among KNOWN; "und" when no language knows a good share of the words."""
    from simplemma import langdetect

    ranked = langdetect(text, lang=KNOWN)
    best, share = ranked[0]
    if best == "unk" or share < 0.5:
        return UNDETERMINED
    tied = {lang for lang, s in ranked if s == share}
    if tied & {"nb", "nn"}:  # Danish and Swedish words are often Norwegian too: Norwegian wins a tie
        return "nb" if "nb" in tied else "nn"
    return best
