"""The MkDocs plugin: serves :func:`generate_pages` as virtual files, and caches the work of builds.

The last step of the flow before MkDocs Material renders HTML. Loads the catalog
once per build through the same loader as the linter, stops the build with every
diagnostic when the data has errors, adds the generated pages and
downloads as virtual files (the plots, drawn by worker processes meanwhile, are
written into the site at the end of the build) whose "edit this page" link opens the YAML file they
came from (as :mod:`emergence_atlas.builder.kinds` says for each kind of page), and makes ``mkdocs serve`` rebuild when a file under the catalog changes.

A build whose inputs (catalog files, code, options) are unchanged reuses the
previous result from the content-keyed cache in ``cache_dir``
(:mod:`emergence_atlas.buildcache`). ``mkdocs serve`` makes a new plugin
instance on every rebuild in the same process; there the catalog loader and
the page generator reuse, per file and per page, what did not change since the
previous rebuild (module-level memos in :mod:`emergence_atlas.build`,
:mod:`emergence_atlas.builder.memo` and :mod:`emergence_atlas.builder.derived`),
so an edit to one entry re-renders only the pages that show it and recomputes
only its own evidence and download records. The HTML of generated pages and of
the API reference page (mkdocstrings) is reused while unchanged
(:mod:`emergence_atlas.builder.htmlcache`, :mod:`emergence_atlas.builder.apicache`); a
generated page that is converted has its raw HTML blocks set aside meanwhile
(:mod:`emergence_atlas.builder.rawblocks`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..build import build_catalog
from ..buildcache import ContentCache, build_key
from ..diagnostics import display_path, summary_line
from ..fileio import swap_folder
from . import prerender, rawblocks
from .apicache import Recording, Registrations, api_key, has_directives, replay
from .htmlcache import HtmlCache
from .kinds import edit_sources
from .pages import generate_pages, generate_pages_deferred, plot_files, reference_slugs, terminal_progress
from .plots import THEMES, PlotJob, pack_themes, unpack_themes, worker_count

log = logging.getLogger("mkdocs.plugins.emergence_atlas")


class EmergenceAtlasConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves Config.__init_subclass__ untyped
    """Options under ``plugins: - emergence-atlas:`` in mkdocs.yml."""

    catalog = config_options.Type(str, default="catalog")
    cache_dir = config_options.Type(str, default=".cache/emergence-atlas")
    edit_base = config_options.Optional(config_options.Type(str))


class EmergenceAtlasPlugin(BasePlugin[EmergenceAtlasConfig]):  # type: ignore[no-untyped-call]  # same
    """Adds the catalog's generated pages to a MkDocs build."""

    def __init__(self) -> None:
        self._final: Path | None = None
        self._staging: Path | None = None
        self.pages: dict[str, bytes] = {}
        self.sources: dict[str, Path] = {}
        self.root: Path | None = None
        self.base: Path | None = None
        self.html: HtmlCache | None = None
        #: True when this build's pages came from the build cache (the tests read it).
        self.from_cache = False
        self._cache_root: Path | None = None
        self._site_url: str | None = None
        self._api_key: str | None = None
        #: The plots (``{path: SVG}``), written to the site at the end of the build.
        self.plots: dict[str, bytes] = {}
        self._plot_job: PlotJob | None = None
        self._store: tuple[ContentCache, str, dict[str, Path]] | None = None
        self._recording: dict[str, Recording] = {}
        #: Generated pages being converted with their raw HTML blocks set aside, and their Markdown.
        self._aside: dict[str, tuple[rawblocks.SetAside, str]] = {}
        self._sets_aside: bool | None = None

    def on_config(self, config: Any) -> Any:
        self._stage(config)
        self.base = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        self.root = (self.base / self.config.catalog).resolve()
        cache_root = Path(os.environ.get("EMERGENCE_ATLAS_CACHE", self.base / self.config.cache_dir))
        self._cache_root, self._site_url = cache_root, config.site_url
        self.pages, self.sources = self._generate(cache_root, config.site_url)
        site = hashlib.sha256(str(config.config_file_path or self.base).encode("utf-8")).hexdigest()[:16]
        self.html = HtmlCache(cache_root / "html" / f"{site}.pickle")
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if getattr(search, "search_index", None) is not None:
            self.html.index_search(search.search_index, self.pages)
        # pages that only include a file from the repository root are edited there
        for page, root_file in (("contributing.md", "CONTRIBUTING.md"), ("changelog.md", "CHANGELOG.md")):
            if (self.base / root_file).is_file():
                self.sources[page] = self.base / root_file
        return config

    def _generate(self, cache_root: Path, site_url: str | None) -> tuple[dict[str, bytes], dict[str, Path]]:
        """The generated pages and the edit sources: from the build cache, or generated (plots still drawing).

        On a miss, the plots are drawn by worker processes while MkDocs converts the
        pages; they are collected, written and stored with the pages in the build cache
        at the end of the build (:meth:`on_post_build`).
        """
        assert self.root is not None
        store = ContentCache(cache_root / "builds")
        key = build_key(self.root, site_url=site_url)
        cached = store.load(key)
        if isinstance(cached, tuple) and len(cached) == 2 and all(isinstance(part, dict) for part in cached):
            self.from_cache = True
            files = unpack_themes(cached[0])
            self.plots = {path: data for path, data in files.items() if path.startswith("plots/")}
            return {path: data for path, data in files.items() if not path.startswith("plots/")}, cached[1]
        pages, sources, job = self._generate_here(cache_root, site_url, defer=True)
        self._plot_job = job
        self._store = (store, key, dict(sources))
        return pages, sources

    def _generate_here(self, cache_root: Path, site_url: str | None, *,
                       defer: bool = False) -> tuple[dict[str, bytes], dict[str, Path], PlotJob | None]:
        """Load the catalog and generate the pages in this process (filling its memos for ``serve``).

        With ``defer``, the plots are left drawing (the returned job); else they are among the pages.
        """
        assert self.root is not None
        catalog, diags, files = build_catalog(self.root, parse_cache=cache_root / "yaml", memo=True)
        if catalog is None:
            lines = "\n".join(d.format() for d in diags)
            raise PluginError(f"the catalog has errors:\n{lines}\n{summary_line(diags, files)}")
        plots = Path(os.environ["EMERGENCE_ATLAS_PLOT_CACHE"]) if "EMERGENCE_ATLAS_PLOT_CACHE" in os.environ \
            else cache_root / "plots"
        sources = edit_sources(catalog, reference_slugs(catalog))
        if defer:  # the plots start drawing at on_nav, with the workers that convert pages
            pages, job = generate_pages_deferred(catalog, cache_dir=plots, progress=terminal_progress(),
                                                 site_url=site_url, memo=True, start_plots=False)
            return pages, sources, job
        pages = generate_pages(catalog, cache_dir=plots, progress=terminal_progress(), site_url=site_url, memo=True)
        return pages, sources, None

    def _plot_paths(self) -> list[str]:
        if self._plot_job is not None:
            return [f"plots/{name}-{theme}.svg" for name in self._plot_job.keys for theme in THEMES]
        return list(self.plots)

    def on_files(self, files: Files, config: Any) -> Files:
        for path in [*self.pages, *self._plot_paths()]:
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"site/{path} clashes with a generated page; remove or rename it")
        for path, content in self.pages.items():
            files.append(File.generated(config, path, content=content))
        return files

    @event_priority(-100)  # last: the navigation and every page object are final
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Start the workers: they convert the generated pages the HTML cache lacks, then draw the plots.

        Waits for the conversions (MkDocs' page loop comes next and finds them cached);
        the plots are collected at the end of the build.
        """
        pool: Any = None
        futures: list[Any] = []
        if self.html is not None and not self.from_cache:  # pages from the build cache: their HTML is cached too
            pool, futures = prerender.start(self.html, self.pages, config, files, worker_count())
        taken = self._plot_job.start(pool) if self._plot_job is not None else False
        if pool is not None:
            converted = prerender.collect(self.html, futures) if self.html is not None else 0
            log.debug("emergence-atlas: %d generated pages converted by worker processes", converted)
            if not taken:
                pool.shutdown(wait=False)
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.html is None:
            return markdown
        uri = page.file.src_uri
        if uri in self.pages:
            converted = self.html.before(markdown, page, config, files)
            aside = rawblocks.set_aside(converted) if converted and self._may_set_aside(config) else None
            if aside is not None:  # not cached: Markdown converts it with its raw HTML blocks set aside
                self._aside[uri] = (aside, converted)
                return aside.markdown
            return converted
        if has_directives(markdown):  # an API page: cached while the documented code is unchanged
            if self._api_key is None:
                self._api_key = api_key(config) or ""
            if self._api_key:
                converted = self.html.before(markdown, page, config, files, extra=self._api_key)
                if converted:  # not cached: note what its conversion registers
                    self._recording[uri] = Recording(config)
                    self._recording[uri].start()
                return converted
        return markdown

    @event_priority(100)  # first: later plugins (autorefs' breadcrumbs) see a cached page's table of contents
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.html is None:
            return html
        uri = page.file.src_uri
        if uri in self.pages:
            if uri in self._aside:
                html = self._put_back(html, page, config, files)
            return self.html.after(html, page, files)
        recording = self._recording.pop(uri, None)
        if recording is not None:
            return self.html.after(html, page, files, registrations=recording.stop())
        cached = self.html.cached(uri)
        if cached is not None and isinstance(cached.registrations, Registrations):
            replay(config, page, cached.registrations)
            return self.html.after(html, page, files)
        return html

    def _may_set_aside(self, config: MkDocsConfig) -> bool:
        """True when the site's Markdown extensions let a page be converted with its blocks set aside."""
        if self._sets_aside is None:
            import markdown

            converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
            self._sets_aside = rawblocks.fits(converter)
        return self._sets_aside

    def _put_back(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page's HTML with its raw blocks back (converted as it was when they do not fit back)."""
        aside, markdown = self._aside.pop(page.file.src_uri)
        restored = rawblocks.put_back(html, aside)
        if restored is None:
            page.markdown = markdown
            page.render(config, files)
            return page.content or ""
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= rawblocks.anchor_ids(aside)
        return restored

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        source = self.sources.get(page.file.src_uri)
        if source is not None and self.base is not None:
            base = self.config.edit_base
            if base:
                try:
                    relative = source.resolve().relative_to(self.base).as_posix()
                except ValueError:
                    relative = display_path(source)
                page.edit_url = base + relative
        return context

    # -- atomic output: build into a sibling folder, swap it in only on success --------
    def _stage(self, config: Any) -> None:
        final = Path(config.site_dir).resolve()
        staging = final.with_name(f".{final.name}.building-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        self._final, self._staging = final, staging
        config.site_dir = str(staging)

    def on_post_build(self, config: Any) -> None:
        """Write the plots (collected from the workers, then stored with the pages), keep the caches, swap the output in."""
        if self._plot_job is not None:
            self.plots = plot_files(self._plot_job.result())
            self._plot_job = None
            if self._store is not None:
                store, key, sources = self._store
                store.store(key, (pack_themes({**self.pages, **self.plots}), sources))
                self._store = None
        # plots are not MkDocs files (pages show them with raw <img> tags): written beside the pages
        site_dir = Path(config.site_dir)
        for path, data in self.plots.items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if self.html is not None:
            self.html.save()
        if self._final is None or self._staging is None or not self._staging.is_dir():
            return
        swap_folder(self._staging, self._final, old_suffix=f".old-{os.getpid()}")
        config.site_dir = str(self._final)

    def on_build_error(self, error: Exception) -> None:
        if self._plot_job is not None:
            self._plot_job.cancel()
            self._plot_job = None
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """Watch the catalog; when the first build came from the build cache, fill this process's memos.

        ``serve`` rebuilds in this process, and its memos let an edit re-render only the
        pages it changes; a first build read from the cache leaves them empty, so the
        first edit would regenerate everything. Generating once here, before the server
        starts, moves that cost to startup.
        """
        if self.root is not None:
            server.watch(str(self.root))
            if self.from_cache and self._cache_root is not None:
                self._generate_here(self._cache_root, self._site_url)
        return server
