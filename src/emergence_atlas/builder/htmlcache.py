"""HTML cache: a generated page's Markdown is converted to HTML once per content.

Part of the builder step, used by the MkDocs plugin
(:mod:`emergence_atlas.builder.plugin`). Our generated pages are mostly raw
HTML tables inside Markdown, which Python-Markdown converts slowly; MkDocs
converts every page on every build. This cache keeps, for each generated page,
what MkDocs 1.6's ``Page.render`` produces (the HTML, the table of contents,
the title, the anchors the page holds and the anchors it links to), keyed by a
hash of the page's Markdown, its path, the Markdown settings of ``mkdocs.yml``
and the list of files of the site (which decides how links resolve). On a hit
the plugin hands MkDocs an empty page to convert and puts the cached result
back in ``on_page_content``; the built site is the same. The entries that
Material's search plugin makes of a generated page are cached the same way
(:meth:`HtmlCache.index_search`).

A page whose conversion logged a warning (a broken link, say) is never cached,
so the warning comes back on every build (and ``--strict`` still fails). Values
are pickled to ``html/<site>.pickle`` in the plugin's cache folder (one file per
``mkdocs.yml``) (a local cache
written only by this package, keyed by content, see
:mod:`emergence_atlas.buildcache`); an unreadable file is ignored. The entries
also stay in this process, for ``mkdocs serve``'s rebuilds.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fileio import write_atomic

#: Bumped when what is stored changes.
FORMAT = "2"


@dataclass(frozen=True)
class Rendered:
    """What ``Page.render`` leaves on a page, in a form that outlives the build's objects."""

    content: str
    toc: Any
    title: str | None
    present_anchor_ids: frozenset[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    #: What converting the page registered outside it (an API page: see :mod:`.apicache`).
    registrations: Any = None


class _WarningCounter(logging.Handler):
    """Counts the warnings MkDocs logs, so that a page whose conversion warned is not cached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_COUNTER = _WarningCounter()
#: Converted pages (and search entries) kept in this process (``mkdocs serve`` rebuilds in one process).
_MEMORY: dict[str, Any] = {}


def _watch_warnings() -> None:
    logger = logging.getLogger("mkdocs")
    if _COUNTER not in logger.handlers:
        logger.addHandler(_COUNTER)


def _toc_text(toc: Any) -> str:
    """The table of contents as text: every item's level, id, URL and title, in order."""
    out: list[str] = []

    def walk(items: Any) -> None:
        for item in items or ():
            out.append(f"{item.level}\x1f{item.id}\x1f{item.url}\x1f{item.title}")
            walk(item.children)

    walk(toc)
    return "\x1e".join(out)


def settings_key(config: Any, files: Any) -> str:
    """A hash of what a page's conversion depends on besides its Markdown: settings and the site's files.

    Extensions added by other plugins are objects: they count by their type, and the
    bytes of ``mkdocs.yml`` stand for their options.
    """
    sha = hashlib.sha256(FORMAT.encode())
    extensions = [e if isinstance(e, str) else f"{type(e).__module__}.{type(e).__qualname__}"
                  for e in config.get("markdown_extensions") or ()]
    sha.update(f"{extensions!r}\0".encode())
    # MkDocs records the links to anchors only below DEBUG verbosity
    sha.update(f"level={logging.getLogger('mkdocs.structure.pages').getEffectiveLevel()}\0".encode())
    for name in ("mdx_configs", "use_directory_urls", "validation", "site_url", "docs_dir"):
        sha.update(f"{name}={config.get(name)!r}\0".encode())
    with contextlib.suppress(OSError, TypeError):
        sha.update(Path(config.config_file_path).read_bytes())
    for f in sorted(files, key=lambda f: f.src_uri):
        sha.update(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\0".encode())
    return sha.hexdigest()


class HtmlCache:
    """The converted pages of one build: looked up before conversion, filled after it."""

    def __init__(self, path: Path | None):
        self.path = path
        self.used: dict[str, Any] = {}
        self.hits = 0
        self.search_hits = 0
        self.added = 0
        self._stored: dict[str, Any] | None = None
        self._settings: str | None = None
        self._pending: dict[str, tuple[str, int]] = {}
        self._substituted: dict[str, Rendered] = {}
        _watch_warnings()

    def _disk(self) -> dict[str, Any]:
        if self._stored is None:
            self._stored = {}
            if self.path is not None:
                try:
                    loaded = pickle.loads(self.path.read_bytes())  # local cache, keyed by content (see docstring)
                    if isinstance(loaded, dict):
                        self._stored = loaded
                except Exception:  # a corrupt or unreadable cache only costs time
                    self._stored = {}
        return self._stored

    def _key(self, uri: str, markdown: str, config: Any, files: Any, extra: str = "") -> str:
        if self._settings is None:
            self._settings = settings_key(config, files)
        return hashlib.sha256(f"{self._settings}\0{uri}\0{extra}\0{markdown}".encode("utf-8", "surrogatepass")).hexdigest()

    def missing(self, pages: dict[str, str], config: Any, files: Any) -> list[str]:
        """The pages of ``{src_uri: Markdown}`` whose conversion is not cached (in this process or on disk)."""
        return [uri for uri, markdown in pages.items()
                if not isinstance(_MEMORY.get(key := self._key(uri, markdown, config, files))
                                  or self._disk().get(key), Rendered)]

    def prefill(self, entries: dict[str, Any]) -> None:
        """Conversions and search entries made elsewhere (worker processes), found here as cached ones."""
        _MEMORY.update(entries)
        self.added += len(entries)

    def before(self, markdown: str, page: Any, config: Any, files: Any, *, extra: str = "") -> str:
        """``on_page_markdown``: the Markdown to convert (empty when the result is cached).

        ``extra``: what else the conversion depends on (an API page: the documented sources).
        """
        uri = page.file.src_uri
        key = self._key(uri, markdown, config, files, extra)
        found = _MEMORY.get(key) or self._disk().get(key)
        if isinstance(found, Rendered):
            self._substituted[uri] = found
            self.used[key] = found
            self.hits += 1
            return ""
        self._pending[uri] = (key, _COUNTER.count)
        return markdown

    def cached(self, uri: str) -> Rendered | None:
        """The cached conversion :meth:`before` found for the page ``uri`` in this build, if any."""
        return self._substituted.get(uri)

    def after(self, html: str, page: Any, files: Any, *, registrations: Any = None) -> str:
        """``on_page_content``: the page's HTML, from the cache or as converted (and then stored).

        ``registrations``: what a page's conversion registered elsewhere, stored with its HTML.
        """
        uri = page.file.src_uri
        found = self._substituted.pop(uri, None)
        if found is not None:
            page.toc = copy.deepcopy(found.toc)  # a build's pages may be changed by later plugins
            page._title_from_render = found.title
            page.present_anchor_ids = set(found.present_anchor_ids) if found.present_anchor_ids is not None else None
            if found.links_to_anchors is not None:
                links = {}
                for target, anchors in found.links_to_anchors.items():
                    file = files.get_file_from_path(target)
                    if file is not None:
                        links[file] = dict(anchors)
                page.links_to_anchors = links
            return found.content
        pending = self._pending.pop(uri, None)
        if pending is not None and _COUNTER.count == pending[1]:
            to_anchors = getattr(page, "links_to_anchors", None)
            present = page.present_anchor_ids
            rendered = Rendered(
                html, page.toc, page._title_from_render, frozenset(present) if present is not None else None,
                {f.src_uri: dict(a) for f, a in to_anchors.items()} if to_anchors is not None else None,
                registrations)
            self.used[pending[0]] = rendered
            self.added += 1
        return html

    def index_search(self, search_index: Any, generated: Any) -> None:
        """Make Material's search index reuse the entries of an unchanged generated page.

        Material's search plugin parses the HTML of every page to index it; for our pages
        (large tables) that is most of a warm build. The entries of a page are a function of
        its HTML, URL, title, front matter and table of contents, and of the plugin's
        settings, so they are cached under a hash of those, like the HTML.
        """
        original = search_index.add_entry_from_context
        settings = repr(sorted((k, repr(v)) for k, v in getattr(search_index, "config", {}).items()))

        def add_entry_from_context(page: Any) -> None:
            if page.file.src_uri not in generated:
                original(page)
                return None
            parts = [settings, page.url, repr(page.title), repr(sorted(page.meta.items())), _toc_text(page.toc),
                     page.content or ""]
            key = "search:" + hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
            found = _MEMORY.get(key) or self._disk().get(key)
            if isinstance(found, list):
                search_index.entries.extend(copy.deepcopy(found))
                self.used[key] = found
                self.search_hits += 1
                return None
            start = len(search_index.entries)
            original(page)
            self.used[key] = copy.deepcopy(search_index.entries[start:])
            self.added += 1
            return None

        search_index.add_entry_from_context = add_entry_from_context

    def save(self) -> None:
        """Keep this build's entries (in this process, and on disk when there is a path)."""
        _MEMORY.clear()
        _MEMORY.update(self.used)
        stale = self._stored is not None and set(self._stored) != set(self.used)
        if self.path is not None and (self.added or stale):
            with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
                write_atomic(self.path, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL), durable=False)


__all__ = ["HtmlCache", "Rendered", "settings_key"]
