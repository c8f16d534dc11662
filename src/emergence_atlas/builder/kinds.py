"""Page kinds: the one definition of each kind of generated page.

Part of the builder step. A kind says where its pages go (``path``, with
``{key}`` for one page per record), which template renders them, where the
site's navigation lists them (``nav``: section and title, or ``None`` for pages
reached from index tables and kept out of the sidebar), and which catalog file
the page's "edit" button opens (``edit``). The page generator, the MkDocs
plugin's edit links, the navigation in ``mkdocs.yml`` (a test checks that they
agree) and the tests' site configurations all read this table.

To add a kind of page: add a :class:`PageKind` here and its template under
``templates/``, write the page in :func:`emergence_atlas.builder.pages.generate_pages`
with ``site.page(pages, "<name>", ...)``, and list it in ``mkdocs.yml``'s nav (or,
for a page per record, under ``not_in_nav``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Catalog

#: What an edit button can open: an entry's YAML, a model family's YAML, or references.bib.
EDIT_SOURCES = ("entry", "family", "bibliography")


@dataclass(frozen=True)
class PageKind:
    """One kind of generated page."""

    name: str
    path: str
    template: str
    nav: tuple[str, ...] | None = None
    edit: str | None = None

    def __post_init__(self) -> None:
        if self.edit is not None and self.edit not in EDIT_SOURCES:
            raise ValueError(f"page kind {self.name!r}: edit must be one of {EDIT_SOURCES}, not {self.edit!r}")
        if self.per_record and self.nav is not None:
            raise ValueError(f"page kind {self.name!r}: pages per record stay out of the navigation")

    @property
    def per_record(self) -> bool:
        """True when the kind has one page per record (its path holds ``{key}``)."""
        return "{key}" in self.path

    def path_for(self, key: str | None = None) -> str:
        """The page path of record ``key`` (or the kind's one page)."""
        if self.per_record:
            if key is None:
                raise ValueError(f"page kind {self.name!r} needs a record key")
            return self.path.replace("{key}", key)
        return self.path


#: Every kind of generated page, in the order of the navigation.
PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "index.md", "home.md.j2", nav=("Home",)),
    PageKind("abilities", "abilities/index.md", "abilities_index.md.j2", nav=("Abilities",)),
    PageKind("entry", "abilities/{key}.md", "entry.md.j2", edit="entry"),
    PageKind("families", "models/index.md", "families_index.md.j2", nav=("Model families",)),
    PageKind("family", "models/{key}.md", "family.md.j2", edit="family"),
    PageKind("strategies", "strategies/index.md", "strategies_index.md.j2", nav=("Prompting strategies",)),
    PageKind("strategy", "strategies/{key}.md", "strategy.md.j2"),
    PageKind("references", "references/index.md", "references_index.md.j2", nav=("References",)),
    PageKind("reference", "references/{key}.md", "reference.md.j2", edit="bibliography"),
    PageKind("later-work", "later-work.md", "later_work.md.j2", nav=("Debates", "Later work, entry by entry")),
    PageKind("beyond-scaling", "beyond-scaling.md", "beyond_scaling.md.j2", nav=("Debates", "Beyond scaling")),
    PageKind("risks", "risks.md", "risks.md.j2", nav=("Debates", "Emergent risks")),
    PageKind("axes", "axes.md", "axes.md.j2", nav=("Debates", "Other axes of emergence")),
    PageKind("thresholds", "thresholds.md", "thresholds.md.j2", nav=("Debates", "Replications and later evidence")),
    PageKind("vocabularies", "vocabularies.md", "vocabularies.md.j2", nav=("About the data", "Vocabularies")),
    PageKind("diagnostics", "diagnostics.md", "diagnostics.md.j2", nav=("About the data", "Diagnostics")),
)

#: The kinds by name.
KINDS: Mapping[str, PageKind] = {kind.name: kind for kind in PAGE_KINDS}


def edit_sources(catalog: Catalog, reference_slugs: Mapping[str, str]) -> dict[str, Path]:
    """``{page path: catalog file}`` for every generated page whose edit button opens a catalog file."""
    out: dict[str, Path] = {}
    for kind in PAGE_KINDS:
        if kind.edit == "entry":
            out.update({kind.path_for(eid): path for eid, path in catalog.files.entries.items()})
        elif kind.edit == "family":
            out.update({kind.path_for(fid): path for fid, path in catalog.files.families.items()})
        elif kind.edit == "bibliography" and catalog.files.bibliography is not None:
            out.update({kind.path_for(slug): catalog.files.bibliography for slug in reference_slugs.values()})
    return out
