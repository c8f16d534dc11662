"""Links: the form of the catalog's external links (pure checks, no network).

A helper at the bottom of the flow. The form checks (an http(s) URL, a DOI
``10.NNNN/...``, an arXiv id) are pure functions used by
:mod:`emergence_atlas.bibliography` (E307 for ``url``, ``doi`` and ``eprint`` fields
of references.bib) and by the curve lint rules (E210 for ``url`` fields of catalog
YAML), so ``lint`` catches a malformed link offline. Whether a link is alive is
asked, on demand only, by :mod:`emergence_atlas.linkcheck`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

#: A DOI: directory indicator 10, a registrant code, a slash and a suffix without spaces.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
#: arXiv identifiers: YYMM.NNNN(N) since 2007 (optional version), archive/YYMMNNN before.
ARXIV_PATTERN = re.compile(
    r"^(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})(?:v\d+)?$")
_BAD_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f\\<>\"{}|^`]")


def url_problem(text: str) -> str | None:
    """Why ``text`` is not a well-formed http(s) URL, or None when it is one."""
    if _BAD_URL_CHARS.search(text):
        return "contains a space, a control character or a character URLs must escape"
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "cannot be parsed as a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an http(s) URL"
    if not host:
        return "has no host name"
    return None


def doi_problem(text: str) -> str | None:
    """Why ``text`` is not a bare DOI (``10.NNNN/suffix``), or None when it is one."""
    if DOI_PATTERN.match(text):
        return None
    if re.match(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", text, re.IGNORECASE):
        return "is a DOI link; write the bare DOI (10.NNNN/suffix)"
    return "is not a DOI (10.NNNN/suffix)"


def arxiv_problem(text: str) -> str | None:
    """Why ``text`` is not an arXiv id (``2201.11903``, ``hep-th/9901001``), or None when it is one."""
    if ARXIV_PATTERN.match(text):
        return None
    if re.match(r"^(?:https?://arxiv\.org/|arxiv:)", text, re.IGNORECASE):
        return "is an arXiv link; write the bare id (e.g. 2201.11903)"
    return "is not an arXiv id (e.g. 2201.11903 or hep-th/9901001)"


def link_checks(fields: dict[str, str]) -> dict[str, Callable[[str], str | None]]:
    """The form check of each link field an entry may have (an eprint only when it is on arXiv)."""
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").strip().lower()
    checks: dict[str, Callable[[str], str | None]] = {"url": url_problem, "doi": doi_problem}
    if archive == "arxiv":
        checks["eprint"] = arxiv_problem
    return checks


def bibtex_link_problems(fields: dict[str, str]) -> Iterator[tuple[str, str]]:
    """``(field, reason)`` for each malformed ``url``, ``doi`` or arXiv ``eprint`` among an entry's fields.

    ``fields`` maps lower-case field names to their raw values. An ``eprint`` is
    checked as an arXiv id unless ``archiveprefix``/``eprinttype`` names another archive.
    """
    for name, check in link_checks(fields).items():
        if name in fields:
            reason = check(fields[name].strip())
            if reason is not None:
                yield name, reason
