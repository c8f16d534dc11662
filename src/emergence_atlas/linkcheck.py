"""Link check: whether the catalog's external links are alive (opt-in, needs the network).

Beside the export step: it runs on a catalog that loaded cleanly, for the command
``emergence-atlas check-links`` only. It collects every link with its
``file:line:col`` (the url, doi and arXiv eprint fields of references.bib, read by
:mod:`emergence_atlas.bibliography`, and the url fields of the YAML files),
requests each distinct URL once (HEAD, then GET when HEAD is refused) with a
timeout per URL and a bounded thread pool, and reports dead ones as
``path:line:col: LINK <status> <url>``. Neither lint, the site build nor the test
suite ever runs it against the internet. The form checks it relies on are the
pure ones of :mod:`emergence_atlas.links`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._version import __version__
from .bibliography import field_position, read_link_fields
from .catalog import Catalog
from .diagnostics import display_path
from .links import link_checks, url_problem
from .loading import load_yaml

#: Seconds to wait for one URL, and how many URLs are requested at once.
DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = 8
USER_AGENT = f"emergence-atlas-check-links/{__version__}"


@dataclass(frozen=True)
class Link:
    """One external link at one place of the catalog."""

    path: str
    line: int
    col: int
    url: str


def _bib_links(path: Path) -> Iterator[Link]:
    shown = display_path(path)
    lines, entries = read_link_fields(path)
    for fields in entries:
        values = {k: str(f.value) for k, f in fields.items()}
        checks = link_checks(values)
        for name, prefix in (("url", ""), ("doi", "https://doi.org/"), ("eprint", "https://arxiv.org/abs/")):
            field = fields.get(name)
            if field is None or name not in checks or checks[name](values[name].strip()) is not None:
                continue  # absent, not a web link, or malformed (lint reports that)
            line, col = field_position(field, lines)
            target = values[name].strip()
            yield Link(shown, line, col, prefix + (quote(target, safe="/()") if prefix else target))


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
