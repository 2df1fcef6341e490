"""A municipality's quotes: one view that its page, its evidence export and ``bolyst compare`` all read, so the
three give one answer to «what did people say about this municipality?»."""

from __future__ import annotations

from bolyst.corpus.shape import View

#: Named (the source names the municipality) or a documented profile match: the excerpt's anonymised place
#: gives both a centrality class and a size band, and the municipality has both. A profile by part of the
#: country alone («en stor kommune på Østlandet») matches a hundred municipalities and is not shown as theirs.
MUNICIPALITY_QUOTES = View(
    "municipality_quotes",
    "A municipality's excerpts: those whose source names it ('here'), and those whose anonymised place has the "
    "municipality's centrality class and size band ('similar', with the profile as the reason). Pages, exports "
    "and `bolyst compare` all read this view.",
    """select x.municipality, x.excerpt,
  case when x.link_type in ('exact', 'mention') then 'here' else 'similar' end as relation,
  x.link_type,
  case when x.link_type in ('exact', 'mention') then x.reason
       else 'samme profil / same profile: ' || pl.label || ' (' || pr.n_municipalities || ' kommuner / municipalities)'
  end as reason,
  x.profile
from excerpt_places x
left join profiles pr on pr.id = x.profile
left join places pl on pl.id = pr.place
where x.link_type in ('exact', 'mention')
   or (x.link_type = 'profile' and pl.centrality is not null
       and (pl.population_min is not null or pl.population_max is not null))""",
    {"municipality": "Municipality number (2024).", "excerpt": "The excerpt.",
     "relation": "here (the source names the municipality) or similar (a documented profile match).",
     "link_type": "exact, mention or profile (see excerpt_places).",
     "reason": "Why the excerpt belongs to the municipality, in words.",
     "profile": "For 'similar': the profile matched (profiles)."},
)
