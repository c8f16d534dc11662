"""Suggestions: the one "did you mean ...?" of every message that names an unknown value.

A helper at the bottom of the flow, used by schema validation (unknown fields),
the lint rules (unknown BibTeX keys and model families) and the catalog's lookups.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How alike a candidate must be (difflib ratio) to be suggested.
CUTOFF = 0.6


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, when one is alike enough; else None."""
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    found = closest(word, candidates)
    return f" (did you mean '{found}'?)" if found is not None else ""
