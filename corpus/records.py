"""Plain records for the corpus: what readers return and writers store."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

ROLES = ("refugee", "labour_migrant", "family_migrant", "student_migrant", "immigrant", "returnee",
         "municipal_employee", "imdi_staff", "researcher", "volunteer", "employer", "politician", "journalist",
         "other")
KINDS = ("quote", "narrative")
GENDERS = ("female", "male")
#: Source groups: a source without one is a document of the knowledge base; "devset" sources hold quotes
#: collected from public pages to develop and measure the automatic coder.
GROUPS = ("devset",)
GENRES = ("report", "thesis", "news", "blog", "oped", "institutional")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    seed: str
    authors: tuple[str, ...] = ()
    subtitle: str | None = None
    publisher: str | None = None
    year: int | None = None
    series: str | None = None
    number: str | None = None
    isbn: str | None = None
    url: str | None = None
    language: str | None = None  # nb, nn, en …; excerpts without a language of their own take it
    licence: str = "not stated"
    interview_period: str | None = None
    cite_as: str | None = None  # short inline reference, where the document has no series number or author
    group: str | None = None  # "devset": quotes collected to develop and test the coder (see corpus/FORMAT.md)
    accessed: str | None = None  # when a web source was read (YYYY-MM-DD)
    genre: str | None = None  # report | thesis | news | blog | oped | institutional (devset pages)
    repairs: tuple[str, ...] = ()  # text-extraction artefacts repaired in the seed (bolyst.corpus.clean)

    @property
    def citation(self) -> str:
        """Full reference, APA-like: Authors (year). Title: subtitle. Series number. Publisher.

        Without authors the publisher leads; without either, the title does ("Title. (n.d.)."). Authors are
        written as the document gives them (some documents give surnames only).
        """
        title = self.title + (f": {self.subtitle}" if self.subtitle else "")
        year = f"({self.year or 'n.d.'})"
        if self.authors or self.publisher:
            who = _join_names(self.authors) if self.authors else self.publisher
            parts = [f"{who} {year}. {title}."]
        else:
            parts = [f"{title}. {year}."]
        if self.series or self.number:
            parts.append(" ".join(p for p in (self.series, self.number) if p) + ".")
        if self.publisher and self.authors:
            parts.append(f"{self.publisher}.")
        if self.isbn:
            parts.append(f"ISBN {self.isbn}.")
        return " ".join(parts)

    @property
    def short(self) -> str:
        """Short reference for inline citations: 'Fafo-rapport 2025:14', the source's cite_as, or 'Author year'."""
        if self.series and self.number:
            return f"{self.series} {self.number}"
        if self.cite_as:
            return self.cite_as
        lead = self.authors[0].split()[-1] if self.authors else (self.publisher or self.title)
        return f"{lead} {self.year or 'n.d.'}"


def _join_names(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]


#: The fields a source.yaml may carry: exactly the Source record's, so a new field is read, imported and exported.
SOURCE_FIELDS = tuple(f.name for f in fields(Source))


@dataclass(frozen=True)
class Speaker:
    id: str  # "<source>/<speaker>"
    source: str
    role: str
    description: str
    pseudonym: str | None = None
    origin: str | None = None
    gender: str | None = None
    age: str | None = None
    years_in_norway: str | None = None

    @property
    def label(self) -> str:
        if self.pseudonym:
            return self.pseudonym
        return self.description if len(self.description) <= 80 else self.description[:77] + "…"


@dataclass(frozen=True)
class Place:
    """Where the source places an excerpt: a named municipality and/or an anonymised profile."""

    municipality: str | None = None
    landsdel: str | None = None
    centrality: int | None = None
    population_min: int | None = None
    population_max: int | None = None
    description: str | None = None

    @property
    def id(self) -> str:
        if self.municipality:
            return "municipality:" + self.municipality
        bits = [self.landsdel or "any-landsdel",
                f"sentralitet {self.centrality}" if self.centrality else "any-centrality",
                _band(self.population_min, self.population_max)]
        return "profile:" + "|".join(bits)

    @property
    def label(self) -> str:
        if self.municipality:
            return self.municipality
        bits = [b for b in (self.landsdel, f"sentralitet {self.centrality}" if self.centrality else None,
                            _band(self.population_min, self.population_max, empty="")) if b]
        return ", ".join(bits) or "unspecified"

    @property
    def kind(self) -> str:
        return "municipality" if self.municipality else "profile"

    @property
    def is_empty(self) -> bool:
        return not any((self.municipality, self.landsdel, self.centrality, self.population_min,
                        self.population_max))


def _band(low: int | None, high: int | None, empty: str = "any-size") -> str:
    def fmt(n: int) -> str:
        return f"{n:,}".replace(",", " ")
    if low is None and high is None:
        return empty
    if high is None:
        return f"over {fmt(low)} innbyggere"
    if low is None:
        return f"under {fmt(high)} innbyggere"
    return f"{fmt(low)}–{fmt(high)} innbyggere"


@dataclass(frozen=True)
class Excerpt:
    id: str  # "<source>/<excerpt>"
    source: str
    kind: str
    lang: str
    text: str
    file: str  # corpus file it came from, relative to the corpus folder
    section: str | None = None
    page: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    speaker: str | None = None  # Speaker.id
    place: Place | None = None
    interview_period: str | None = None
    omits: tuple[str, ...] = ()
    lang_detected: bool = False  # True when no language was given and bolyst.corpus.language chose ``lang``


@dataclass(frozen=True)
class FindingValue:
    value: float
    unit: str
    label: str | None = None


@dataclass(frozen=True)
class Finding:
    id: str
    source: str
    statement: str
    file: str
    values: tuple[FindingValue, ...] = ()
    population: str | None = None
    period: str | None = None
    section: str | None = None
    table: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    omits: tuple[str, ...] = ()


@dataclass
class Corpus:
    """Everything read from the corpus folder, in a stable order."""

    sources: list[Source] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    excerpts: list[Excerpt] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
