"""Tables of the corpus stage: sources, speakers, places, excerpts, findings."""

from __future__ import annotations

from .shape import Column as C
from .shape import Table

SOURCES = Table(
    "sources", "The documents every excerpt and finding comes from, with full citations.",
    (
        C("id", str, "Stable source id (folder name under corpus/sources/)."),
        C("title", str, "Title of the document."),
        C("subtitle", str, "Subtitle, where the document has one."),
        C("authors", str, "Authors, separated by '; ', as the document lists them."),
        C("publisher", str, "Publishing institution(s)."),
        C("year", int, "Year of publication."),
        C("series", str, "Report series, e.g. 'Fafo-rapport'."),
        C("number", str, "Number in the series, e.g. '2025:14'."),
        C("isbn", str, "ISBN as printed in the document."),
        C("url", str, "Web address of the document (printed in it, or where a web source was read)."),
        C("language", str, "Language of the document (ISO 639-1: nb, nn, en)."),
        C("licence", str, "Licence as the document states it ('not stated' otherwise)."),
        C("interview_period", str, "When the interviews behind the document were done, as it says."),
        C("group", str, "'devset' for the coder's development material (quotes collected from public pages, "
                        "split by source into dev and test); empty for the knowledge base's documents."),
        C("accessed", str, "When a web source was read (YYYY-MM-DD)."),
        C("genre", str, "Kind of web source: report, thesis, news, blog, oped or institutional."),
        C("repairs", str, "Text-extraction artefacts repaired in the seed text, separated by '; ' (garbled "
                          "formulas replaced by a marked rendering «[formel: …]», mathematical letters folded)."),
        C("seed_file", str, "Text of the document shipped in corpus/seeds/, which every excerpt is checked against."),
        C("citation", str, "Full reference in Bolyst's citation style."),
        C("short", str, "Short reference for inline citations."),
    ),
    pk=("id",), label_column="title",
)

SPEAKERS = Table(
    "speakers", "People quoted or described in the sources, as the sources describe them (pseudonyms as given).",
    (
        C("id", str, "Speaker id: '<source>/<speaker>'."),
        C("source", str, "Source document that describes the speaker.", fk="sources"),
        C("label", str, "Pseudonym, or the source's description when there is none."),
        C("pseudonym", str, "Pseudonym used by the source (sources change names to anonymise)."),
        C("description", str, "The source's own words introducing the speaker."),
        C("role", str, "refugee, labour_migrant, family_migrant, student_migrant, immigrant, returnee, "
                       "municipal_employee, imdi_staff, researcher, volunteer, employer, politician, journalist "
                       "or other."),
        C("origin", str, "Country of origin, where the source states it."),
        C("gender", str, "female or male, where the source states it."),
        C("age", str, "Age as the source states it."),
        C("years_in_norway", str, "Time in Norway as the source states it."),
    ),
    pk=("id",), label_column="label", facets=("role", "origin", "source"),
)

PLACES = Table(
    "places", "Where sources place their excerpts: a named municipality, or the anonymised profile the source "
              "gives (landsdel × centrality class × population band).",
    (
        C("id", str, "Place id: 'municipality:<name>' or 'profile:<landsdel>|<centrality>|<population band>'."),
        C("kind", str, "municipality (named by the source) or profile (anonymised description)."),
        C("label", str, "Readable name of the place or profile."),
        C("municipality_name", str, "Municipality name as the source gives it (kind = municipality)."),
        C("landsdel", str, "Part of the country (landsdel) of the profile."),
        C("centrality", int, "SSB centrality class 1 (most central) to 6 (least central) of the profile."),
        C("population_min", int, "Lower bound of the profile's population band (inhabitants)."),
        C("population_max", int, "Upper bound of the profile's population band (inhabitants)."),
    ),
    pk=("id",), label_column="label", facets=("kind", "landsdel", "centrality"),
)

EXCERPTS = Table(
    "excerpts", "Interview excerpts, verbatim from their sources: direct quotes and researchers' narratives.",
    (
        C("id", str, "Excerpt id: '<source>/<excerpt>'."),
        C("text", str, "Verbatim text (only PDF line wrapping and line-end hyphenation repaired)."),
        C("kind", str, "quote (the informant's own words) or narrative (the researchers' retelling)."),
        C("lang", str, "Language of the text: nb (Bokmål), nn (Nynorsk), en (English); others as recorded (sv, da, "
                       "de; und = undetermined). Texts in a language without coding rules are not coded."),
        C("lang_detected", int, "1 when the source gave no language and Bolyst detected it from the text."),
        C("source", str, "Source document.", fk="sources"),
        C("source_group", str, "'devset' for the coder's development material; empty for the knowledge base's "
                               "documents (copied from sources for faceting)."),
        C("section", str, "Section heading(s) of the source where the excerpt stands."),
        C("page", str, "Printed page, where the source text shows it."),
        C("line_start", int, "First line of the excerpt in the shipped seed text."),
        C("line_end", int, "Last line of the excerpt in the shipped seed text."),
        C("speaker", str, "Who speaks or is described.", fk="speakers"),
        C("speaker_role", str, "The speaker's role (copied from speakers for faceting)."),
        C("place", str, "Where the source places the excerpt.", fk="places"),
        C("place_description", str, "The source's own words about the place."),
        C("landsdel", str, "Landsdel of the place, where known (for faceting)."),
        C("interview_period", str, "When the interview was done, as the source states it."),
        C("citation", str, "Citation for this excerpt: source, section, lines, speaker."),
        C("lemmas", str, "Lemmas of the text (simplemma), indexed for search so inflected forms match."),
        C("file", str, "Corpus file the excerpt is read from (relative to corpus/)."),
        C("content_hash", str, "SHA-256 prefix of the text, to notice edits."),
    ),
    pk=("id",), fts=("text", "lemmas"), label_column="id",
    facets=("kind", "lang", "source_group", "speaker_role", "landsdel", "source"), sort="id",
    indexes=(("source",), ("speaker",), ("place",)),
)

FINDINGS = Table(
    "findings", "Quantitative findings stated in the sources' text and tables, verbatim, with their numbers.",
    (
        C("id", str, "Finding id: '<source>/<finding>'."),
        C("statement", str, "The sentence or table row as the source states it (verbatim)."),
        C("source", str, "Source document.", fk="sources"),
        C("section", str, "Section of the source."),
        C("table_ref", str, "Table (number and title) the finding comes from, where it does."),
        C("population", str, "Who the numbers are about, in the source's words."),
        C("period", str, "Period the numbers refer to."),
        C("line_start", int, "First line in the shipped seed text."),
        C("line_end", int, "Last line in the shipped seed text."),
        C("citation", str, "Citation for this finding."),
        C("file", str, "Corpus file the finding is read from."),
    ),
    pk=("id",), fts=("statement",), label_column="statement", facets=("source", "section"),
)

FINDING_VALUES = Table(
    "finding_values", "The numbers of each finding, restated as numbers with units.",
    (
        C("finding", str, "The finding.", fk="findings"),
        C("position", int, "Order of the value within its finding (0-based)."),
        C("value", float, "The number."),
        C("unit", str, "Unit: percent, persons, count, years, NOK …"),
        C("label", str, "What the number is (row and column for table cells)."),
    ),
    pk=("finding", "position"), facets=("unit",),
)

TABLES = (SOURCES, SPEAKERS, PLACES, EXCERPTS, FINDINGS, FINDING_VALUES)
VIEWS = ()
#: Datasette canned queries of this stage (search_quotes lives in site/serve/metadata.yaml).
QUERIES: dict[str, dict] = {}
