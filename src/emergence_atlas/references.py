"""Reference: one work of the bibliography, as the catalog serves it.

Built by :mod:`emergence_atlas.bibliography` from ``references.bib`` (or read back
from a compiled catalog); kept apart so that using the catalog does not import
the BibTeX parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reference:
    """One work of the bibliography, decoded for display, with its original BibTeX text."""

    key: str
    entry_type: str
    title: str
    authors: tuple[str, ...]
    year: str | None
    venue: str | None
    url: str | None
    doi: str | None
    eprint: str | None
    bibtex: str = field(repr=False)
    line: int = 0

    @property
    def short_citation(self) -> str:
        """``Wei et al. 2022`` style label."""
        if not self.authors:
            lead = self.title
        else:
            last = [a.split(" ")[-1] for a in self.authors]
            lead = last[0] if len(last) == 1 else f"{last[0]} & {last[1]}" if len(last) == 2 else f"{last[0]} et al."
        return f"{lead} {self.year}" if self.year else lead

    @property
    def link(self) -> str | None:
        """Best link to the work: its URL, else its DOI, else its arXiv page."""
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.eprint:
            return f"https://arxiv.org/abs/{self.eprint}"
        return None


def citation_labels(references: dict[str, Reference]) -> dict[str, str]:
    """Key -> short label, with a, b, ... appended where works share one (in BibTeX-key order).

    ``Wei et al. 2023`` for two different works becomes ``Wei et al. 2023a`` and
    ``Wei et al. 2023b``, so a page never gives two works the same name.
    """
    by_label: dict[str, list[str]] = {}
    for key in sorted(references):
        by_label.setdefault(references[key].short_citation, []).append(key)
    out: dict[str, str] = {}
    for label, keys in by_label.items():
        if len(keys) == 1:
            out[keys[0]] = label
        else:
            for i, key in enumerate(keys):
                out[key] = f"{label}{chr(ord('a') + i)}"
    return out
