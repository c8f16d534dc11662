"""Converting the generated pages in worker processes, before MkDocs' page loop (first builds).

Part of the builder step, used by the MkDocs plugin. A first build converts every
generated page's Markdown, one page after another in the build's process; most of
a generated page is raw HTML, which Python-Markdown parses slowly. When many pages
miss the HTML cache (:mod:`emergence_atlas.builder.htmlcache`) and the build
process runs no other thread, the plugin forks worker processes (one per CPU) at
``on_nav``: each runs, for its share of the pages, the same plugin events and
conversion MkDocs would run (``on_pre_page``, reading the source,
``on_page_markdown``, ``Page.render``, ``on_page_content``) and Material's search
indexing, and sends back what the HTML cache would have stored (the HTML and the
search entries). The build then finds those pages converted, as
a warm build finds them in the cache, so the site is the same (tested byte for
byte). A page whose conversion warns in a worker is not sent back: the build
converts it itself, and the warning is reported there (workers print nothing).
The same workers then draw the plots (:class:`emergence_atlas.builder.plots.PlotJob`).

Forked workers see the build's objects as they were at the fork, which is what
makes this possible and why it is not done under ``mkdocs serve`` (threads; and
an edit converts few pages anyway).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from .htmlcache import _COUNTER, HtmlCache, Rendered
from .plots import can_fork

#: Fewer pages than this to convert are converted by the build itself.
PRERENDER_MIN = 32

#: The build's config and files, set before the fork; the workers read them.
_STATE: dict[str, Any] = {}


def start(html: HtmlCache, generated: Mapping[str, bytes], config: Any, files: Any, jobs: int) -> tuple[Any, list[Any]]:
    """Fork ``jobs`` workers and hand them the generated pages the HTML cache lacks.

    Returns ``(pool, futures)``; ``(None, [])`` when too few pages miss the cache, a
    fork is not safe here, or fewer than two workers may run.
    """
    if jobs < 2 or not can_fork():  # (checked first: finding the missing pages hashes every page)
        return None, []
    from mkdocs.utils import meta

    markdown = {uri: meta.get_data(data.decode("utf-8"))[0] for uri, data in generated.items() if uri.endswith(".md")}
    todo = html.missing(markdown, config, files)
    if len(todo) < PRERENDER_MIN:
        return None, []
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _STATE.update(config=config, files=files, html=html)
    gc.freeze()  # the build's objects, shared with the forked workers, left alone by their collector
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
    size = max(1, len(todo) // (jobs * 4))
    futures = [pool.submit(_convert, todo[i:i + size]) for i in range(0, len(todo), size)]
    return pool, futures


def collect(html: HtmlCache, futures: list[Any]) -> int:
    """Wait for the workers' conversions and put them in the HTML cache; returns how many came back."""
    entries: dict[str, Any] = {}
    for future in futures:
        try:
            entries.update(future.result())
        except Exception:  # a worker that failed only costs time: the build converts those pages itself
            continue
    html.prefill(entries)
    _STATE.clear()
    import gc

    gc.unfreeze()
    return len(entries)


def _quiet() -> None:
    """In a worker: keep counting the build's warnings, print none (the build reports its own)."""
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        if handler is not _COUNTER:
            logger.removeHandler(handler)
    logger.propagate = False


def _convert(uris: list[str]) -> dict[str, Any]:
    """In a worker: run the page events, conversion and search indexing of ``uris``; what the HTML cache kept."""
    _quiet()
    config, files, html = _STATE["config"], _STATE["files"], _STATE["html"]
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    known = set(html.used)
    for uri in uris:
        page = files.get_file_from_path(uri).page
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        if index is not None:  # the page's search entries, cached by the HTML cache's wrapper (index_search)
            index.add_entry_from_context(page)
    return {key: value for key, value in html.used.items()
            if key not in known and (isinstance(value, Rendered) or key.startswith("search:"))}


__all__ = ["PRERENDER_MIN", "collect", "start"]
