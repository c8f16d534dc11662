"""Links: the catalog's external links, checked for form always and for life on demand.

Two places in the flow. The form checks (an http(s) URL, a DOI ``10.NNNN/...``, an
arXiv id) are pure functions used by :mod:`emergence_atlas.bibliography` (E307 for
``url``, ``doi`` and ``eprint`` fields of references.bib) and by
:mod:`emergence_atlas.catalog` (E210 for ``url`` fields of catalog YAML), so ``lint``
catches a malformed link offline. The life check is the opt-in command
``emergence-atlas check-links``: after the catalog has loaded cleanly, it collects
every link with its ``file:line:col``, requests each distinct URL once (HEAD, then
GET when HEAD is refused) with a timeout per URL and a bounded thread pool, and
reports dead ones as ``path:line:col: LINK <status> <url>``. It needs the network,
so neither lint, the site build nor the test suite ever runs it against the internet.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from ._version import __version__
from .diagnostics import display_path

if TYPE_CHECKING:
    from .catalog import Catalog

#: A DOI: directory indicator 10, a registrant code, a slash and a suffix without spaces.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
#: arXiv identifiers: YYMM.NNNN(N) since 2007 (optional version), archive/YYMMNNN before.
ARXIV_PATTERN = re.compile(
    r"^(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})(?:v\d+)?$")
_BAD_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f\\<>\"{}|^`]")

#: Seconds to wait for one URL, and how many URLs are requested at once.
DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = 8
USER_AGENT = f"emergence-atlas-check-links/{__version__}"


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


def _link_checks(fields: dict[str, str]) -> dict[str, Callable[[str], str | None]]:
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
    for name, check in _link_checks(fields).items():
        if name in fields:
            reason = check(fields[name].strip())
            if reason is not None:
                yield name, reason


# -- the opt-in life check ------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """One external link at one place of the catalog."""

    path: str
    line: int
    col: int
    url: str


def _bib_links(path: Path) -> Iterator[Link]:
    import bibtexparser

    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        text = path.read_text(encoding="utf-8")
        library = bibtexparser.parse_string(text)
    finally:
        logger.setLevel(previous)
    lines = text.split("\n")
    shown = display_path(path)
    for entry in library.entries:
        fields = {f.key.lower(): f for f in entry.fields}
        values = {k: str(f.value) for k, f in fields.items()}
        checks = _link_checks(values)
        for name, prefix in (("url", ""), ("doi", "https://doi.org/"), ("eprint", "https://arxiv.org/abs/")):
            field = fields.get(name)
            if field is None or name not in checks or checks[name](values[name].strip()) is not None:
                continue  # absent, not a web link, or malformed (lint reports that)
            line = field.start_line
            text_line = lines[line] if 0 <= line < len(lines) else ""
            col = text_line.lower().find(field.key.lower()) + 1 or 1
            target = values[name].strip()
            yield Link(shown, line + 1, col, prefix + (quote(target, safe="/()") if prefix else target))


def _yaml_urls(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                yield (*loc, key), item
            else:
                yield from _yaml_urls(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _yaml_urls(item, (*loc, i))


def collect_links(catalog: Catalog) -> list[Link]:
    """Every external link of a loaded catalog, with where it is written, in file order."""
    from .loading import load_yaml

    links: list[Link] = []
    if catalog.files.bibliography is not None and catalog.files.bibliography.is_file():
        links.extend(sorted(_bib_links(catalog.files.bibliography), key=lambda link: (link.line, link.col)))
    for group in (catalog.files.families, catalog.files.entries, catalog.files.curves):
        for path in sorted(group.values()):
            doc, _ = load_yaml(path)
            if doc is None:
                continue
            for loc, url in _yaml_urls(doc.data):
                line, col = doc.position(loc, of_value=True)
                links.append(Link(doc.shown_path, line, col, url.strip()))
    return links


def check_url(url: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[bool, str]:
    """``(alive, status)`` of one URL: HEAD first, GET when HEAD gets an error status.

    ``status`` is the final HTTP status code, ``timeout``, ``error`` (no answer:
    DNS, refused connection, TLS) or ``malformed`` (not an http(s) URL; never requested).
    """
    import http.client
    import socket
    import urllib.error
    import urllib.request

    if url_problem(url) is not None:
        return False, "malformed"

    class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            if url_problem(newurl) is not None:
                return None  # the 3xx itself is then reported
            follow = super().redirect_request(req, fp, code, msg, headers, newurl)
            if follow is not None and req.get_method() == "HEAD":
                follow.method = "HEAD"  # stay light: urllib would follow with a GET
            return follow

    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    status = "error"
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with opener.open(request, timeout=timeout) as response:
                code = response.status
            return code < 400, str(code)
        except urllib.error.HTTPError as exc:
            status = str(exc.code)  # HEAD may be refused (403, 405, 501): ask again with GET
        except TimeoutError:
            return False, "timeout"
        except urllib.error.URLError as exc:
            return False, "timeout" if isinstance(exc.reason, (TimeoutError, socket.timeout)) else "error"
        except (OSError, ValueError, http.client.HTTPException):
            return False, "error"
    return False, status


def dead_links(links: Iterable[Link], *, timeout: float = DEFAULT_TIMEOUT, workers: int = DEFAULT_WORKERS,
               check: Callable[[str, float], tuple[bool, str]] = check_url) -> list[tuple[Link, str]]:
    """``(link, status)`` of every link whose URL is dead; each distinct URL is requested once."""
    links = list(links)
    urls = sorted({link.url for link in links})
    if not urls:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        results = dict(zip(urls, pool.map(lambda u: check(u, timeout), urls), strict=True))
    return [(link, results[link.url][1]) for link in links if not results[link.url][0]]


def format_dead(link: Link, status: str) -> str:
    """``path:line:col: LINK <status> <url>``."""
    return f"{link.path}:{link.line}:{link.col}: LINK {status} {link.url}"
