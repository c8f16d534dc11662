"""The command line: ``emergence-atlas lint | schema | export | query | pages | docs | new`` (and more per issue).

The outermost layer of the flow: each command calls the same loader and catalog
as the library and the site. Exit status: 0 clean, 1 data errors, 2 usage errors.
Bad data never produces a traceback: it produces diagnostics. The YAML loader, the
exports and the site builder are imported by the commands that use them, so that
``query`` on an installed wheel (which reads the compiled catalog) starts fast and
every command but ``pages`` runs without the ``site`` extra.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._version import __version__
from .paths import bundled_root, default_root, working_catalog

if TYPE_CHECKING:
    from collections.abc import Callable

    from .catalog import Catalog
    from .diagnostics import Diagnostic
    from .query import Selection

EXIT_DATA_ERRORS = 1
EXIT_USAGE = 2

#: What page generation imports from the ``site`` extra (matplotlib only once it draws a plot).
SITE_MODULES = ("jinja2", "markupsafe", "markdown_it", "nh3", "matplotlib")

_ROOT = click.Path(exists=True, file_okay=False, path_type=Path)


def _require_site_extra(command: str) -> None:
    """Exit with one line naming the ``site`` extra when a module of it is not installed."""
    missing = _missing_modules(SITE_MODULES)
    if missing:
        click.echo(f"emergence-atlas {command} needs the site extra (missing: {', '.join(missing)}): "
                   "pip install 'emergence-atlas[site]', or pip install '.[site]' in a clone", err=True)
        sys.exit(EXIT_USAGE)


def _missing_modules(names: tuple[str, ...]) -> list[str]:
    """Those of ``names`` that cannot be imported."""
    import importlib

    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def _print_diagnostics(diags: list[Diagnostic], fmt: str, *, err: bool = False) -> None:
    for d in diags:
        click.echo(d.format_github() if fmt == "github" else d.format(), err=err)


def _build(root: Path, *, parse_cache: Path | None = None,
           memo: bool = False) -> tuple[Catalog | None, list[Diagnostic], int]:
    """Load and lint the YAML catalog in ``root`` (imported here: the loader is the heavy part)."""
    from .build import build_catalog

    return build_catalog(root, parse_cache=parse_cache, memo=memo)


def _load_or_exit(root: Path | None, fmt: str = "text", *, compiled: bool = False, parse_cache: Path | None = None,
                  memo: bool = False) -> Catalog:
    """The validated catalog of ``root``, or its diagnostics and exit 1.

    With ``compiled``, no ``root`` and no ``./catalog`` folder (that is, outside a
    checkout), the catalog compiled into an installed wheel is read instead of its
    YAML files, as ``emergence_atlas.load()`` does; inside a checkout, or when the
    package carries no compiled catalog (an editable install), the YAML is validated.
    """
    from .diagnostics import summary_line

    if compiled and root is None and working_catalog() is None:
        from .snapshot import snapshot_path

        snapshot = snapshot_path()
        if snapshot.is_file():
            return _read_snapshot(snapshot)
    catalog, diags, files = _build(root or default_root(), parse_cache=parse_cache, memo=memo)
    if catalog is None:
        _print_diagnostics(diags, fmt, err=True)
        click.echo(summary_line(diags, files), err=True)
        sys.exit(EXIT_DATA_ERRORS)
    return catalog


def _read_snapshot(snapshot: Path) -> Catalog:
    """The compiled catalog of the installed package; one line and exit 1 if it cannot be read."""
    from .snapshot import from_snapshot

    try:
        return from_snapshot(snapshot.read_bytes(), bundled_root())
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        click.echo(f"{snapshot}:0:0: the compiled catalog cannot be read ({first}); reinstall the package", err=True)
        sys.exit(EXIT_DATA_ERRORS)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="emergence-atlas")
def main() -> None:
    """Emergence Atlas: check, export and query the catalog of emergent abilities."""


@main.command()
@click.argument("root", required=False, type=_ROOT)
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="text: 'path:line:col: CODE message' lines; github: workflow annotations for pull requests.")
def lint(root: Path | None, fmt: str) -> None:
    """Check every file of the catalog in ROOT (default: ./catalog).

    Loads every entry, model family, curve and references.bib through the same
    loader as the library and the site, reports every problem with its file, line,
    column and code, then a summary line. Exits 0 when there are no errors (warnings
    allowed), 1 when the data has errors.
    """
    from .diagnostics import summary_line

    catalog, diags, files = _build(root or default_root())
    _print_diagnostics(diags, fmt)
    click.echo(summary_line(diags, files))
    if catalog is None:
        sys.exit(EXIT_DATA_ERRORS)
    click.echo(f"checked {len(catalog)} entries, {len(catalog.families)} model families, "
               f"{len(catalog.references)} references, {len(catalog.curves)} curves")


def _catalog_root_of(path: Path) -> Path | None:
    """The catalog folder (with abilities/ and models/) that contains ``path``, if any."""
    for parent in Path(path).resolve().parents:
        if (parent / "abilities").is_dir() and (parent / "models").is_dir():
            return parent
    return None


@main.command("lint-changed")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="text: 'path:line:col: CODE message' lines; github: workflow annotations.")
def lint_changed(files: tuple[Path, ...], fmt: str) -> None:
    """Lint for a commit hook: every problem in FILES, and errors anywhere.

    Cross-links need every file, so the whole catalog that holds FILES is loaded;
    the report keeps the diagnostics of FILES and any error elsewhere (a changed
    file can break another one), and leaves out warnings about unchanged files.
    Exits 1 when an error is reported; files outside a catalog are ignored.
    """
    from .diagnostics import display_path, summary_line

    roots: dict[Path, set[str]] = {}
    for path in files:
        root = _catalog_root_of(path)
        if root is not None:
            roots.setdefault(root, set()).add(display_path(path))
    if not roots:
        click.echo("no catalog files among the changed files")
        return
    failed = False
    for root, changed in sorted(roots.items()):
        catalog, diags, checked = _build(root)
        shown = [d for d in diags if d.is_error or d.path in changed]
        _print_diagnostics(shown, fmt)
        click.echo(f"{summary_line(shown, checked)} ({len(changed)} changed)")
        failed = failed or catalog is None
    if failed:
        sys.exit(EXIT_DATA_ERRORS)


@main.command()
@click.option("--check", is_flag=True, help="Do not write; exit 1 if a committed schema is missing or stale.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"),
              show_default=True, help="Folder of the JSON Schema files.")
def schema(check: bool, out: Path) -> None:
    """Write (or --check) the JSON Schemas generated from the pydantic models.

    Writes ability.schema.json, model-family.schema.json and curve.schema.json,
    which editors use through the modeline at the top of each catalog file.
    """
    from .fileio import write_atomic
    from .jsonschema import rendered_schemas, stale_schemas

    if check:
        stale = stale_schemas(out)
        for name in stale:
            click.echo(f"{out / name}:0:0: schema is missing or stale; run 'emergence-atlas schema'", err=True)
        if stale:
            sys.exit(EXIT_DATA_ERRORS)
        click.echo(f"{len(rendered_schemas())} schemas in {out} are up to date")
        return
    for name, text in rendered_schemas().items():
        write_atomic(out / name, text.encode("utf-8"))
        click.echo(f"wrote {out / name}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "curves-json", "curves-csv", "bibtex"]), required=True,
              help="json: catalog.json (entries, model registry, references); csv: catalog.csv, one row per entry; "
                   "curves-json: curves.json (every scaling curve); curves-csv: curves.csv, one row per curve point; "
                   "bibtex: every reference.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--root", type=_ROOT, help="Catalog folder (default: ./catalog, else the packaged catalog).")
def export(fmt: str, output: Path | None, root: Path | None) -> None:
    """Export the validated catalog as catalog.json, catalog.csv, curves.json, curves.csv or references.bib.

    These are the site's downloads, byte for byte.

    Nothing is written when the catalog has errors (they are printed instead, exit 1).
    Outside a checkout (no ./catalog, no --root) the catalog compiled into the
    installed package is exported.
    """
    from .export import render
    from .fileio import write_atomic

    catalog = _load_or_exit(root, compiled=True)
    text = render(catalog, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))
        what = f"{len(catalog.curves)} curves" if fmt.startswith("curves-") else f"{len(catalog)} entries"
        click.echo(f"wrote {output} ({what})", err=True)


def _range(text: str | None, example: str, parse: Callable[[str], float]) -> tuple[float | None, float | None] | None:
    """``LOW:HIGH`` (either may be empty) as two bounds read by ``parse``, which raises BadParameter."""
    if text is None:
        return None
    if ":" not in text:
        raise click.BadParameter(f"{text!r}: give LOW:HIGH (either may be empty), e.g. {example}")
    low, high = text.split(":", 1)
    return (parse(low) if low else None, parse(high) if high else None)


def _scale_range(text: str | None) -> tuple[float | None, float | None] | None:
    from .schema.quantities import parse_scale

    def bound(value: str) -> float:
        try:
            return parse_scale(value)
        except Exception as exc:  # pydantic's custom error carries the accepted forms
            raise click.BadParameter(str(exc)) from None

    return _range(text, "1e22:1e23 or :62B", bound)


def _loss_range(text: str | None) -> tuple[float | None, float | None] | None:
    def bound(value: str) -> float:
        try:
            return float(value)
        except ValueError:
            raise click.BadParameter(f"{text!r}: the bounds must be numbers, e.g. 2.1:2.5") from None

    return _range(text, ":2.5", bound)


@main.command()
@click.option("--category", multiple=True, help="Category (repeat for several).")
@click.option("--family", multiple=True, help="Model family id, e.g. palm (repeat for several).")
@click.option("--size", multiple=True, help="Size label, e.g. 62B (repeat for several).")
@click.option("--strategy", multiple=True, help="Prompting strategy, e.g. chain_of_thought.")
@click.option("--benchmark", multiple=True, help="Benchmark, e.g. BIG-Bench.")
@click.option("--status", multiple=True, help="Status: reported, reproduced, contested, refuted.")
@click.option("--cites", multiple=True, help="BibTeX key the entry cites anywhere, e.g. wei2022emergent.")
@click.option("--relation", multiple=True, help="Relation type: reproduces, supports, contests, refutes.")
@click.option("--relation-source", multiple=True, help="BibTeX key of the later work of a relation.")
@click.option("--contested-by", multiple=True, help="BibTeX key of a work that contests or refutes the entry.")
@click.option("--text", multiple=True, help="Words in the id, ability, description, task or benchmark (any case).")
@click.option("--params", "params_range", metavar="LOW:HIGH", help="Parameter range, e.g. 1e9:70B.")
@click.option("--flops", "flops_range", metavar="LOW:HIGH", help="Training FLOPs range, e.g. :1e23.")
@click.option("--tokens", "tokens_range", metavar="LOW:HIGH", help="Training tokens range, e.g. 1T:.")
@click.option("--loss", "loss_range", metavar="LOW:HIGH", help="Pre-training loss range, e.g. :2.5.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "bibtex"]), default="table",
              show_default=True, help="table for reading; json, csv or bibtex (sources) for pipes.")
@click.option("--root", type=_ROOT, help="Catalog folder (default: ./catalog, else the packaged catalog).")
def query(category: tuple[str, ...], family: tuple[str, ...], size: tuple[str, ...], strategy: tuple[str, ...],
          benchmark: tuple[str, ...], status: tuple[str, ...], cites: tuple[str, ...], relation: tuple[str, ...],
          relation_source: tuple[str, ...], contested_by: tuple[str, ...], text: tuple[str, ...],
          params_range: str | None, flops_range: str | None, tokens_range: str | None, loss_range: str | None,
          fmt: str, root: Path | None) -> None:
    """Select entries with the same filters as the Python API, and print them.

    Criteria combine with AND; repeating an option means any of its values; values
    ignore case. Unknown values are usage errors that list the allowed ones (exit 2). Outside a
    checkout (no ./catalog, no --root) the catalog compiled into the installed
    package is read, which is much faster than validating its YAML files.
    """
    catalog = _load_or_exit(root, compiled=True)
    criteria = {k: list(v) for k, v in (("category", category), ("family", family), ("size", size),
                                         ("strategy", strategy), ("benchmark", benchmark), ("status", status),
                                         ("cites", cites), ("relation", relation),
                                         ("relation_source", relation_source), ("contested_by", contested_by),
                                         ("text", text)) if v}
    try:
        selection = catalog.filter(**criteria, params=_scale_range(params_range), flops=_scale_range(flops_range),
                                   tokens=_scale_range(tokens_range), loss=_loss_range(loss_range))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if selection.unknown_scale:
        click.echo(f"{len(selection.unknown_scale)} entries left out because their value is unknown: "
                   f"{', '.join(selection.unknown_scale)}", err=True)
    if fmt == "json":
        click.echo(selection.to_json())
    elif fmt == "bibtex":
        click.echo(selection.cite(), nl=False)
    elif fmt == "csv":
        from .export import to_csv  # imported when used: it brings the evidence rules

        click.echo(to_csv(catalog, selection), nl=False)
    else:
        _print_table(catalog, selection)


def _print_table(catalog: Catalog, selection: Selection) -> None:
    from .formatting import format_quantity

    rows = [("id", "family", "size", "params", "train FLOPs", "prompting", "status")]
    for entry in selection:
        scale = catalog.scale(entry)
        rows.append((entry.id, entry.model.family, entry.model.size, format_quantity("params", scale.value("params")),
                     format_quantity("train_flops", scale.value("train_flops")), entry.prompting.strategy.value,
                     entry.status.value))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))
    click.echo(f"{len(selection)} of {len(catalog)} entries")


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--root", type=_ROOT, help="Catalog folder (default: ./catalog).")
@click.option("--site-url", default=None, help="Absolute URL of the published site, for permalinks.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Plot cache folder (default: no cache).")
def pages(out: Path, root: Path | None, site_url: str | None, cache: Path | None) -> None:
    """Write the generated site pages, plots and downloads into OUT.

    The same files the MkDocs plugin serves, for building the site with another
    engine. OUT is replaced as a whole, and only when generation succeeded. Needs
    the site extra: pip install 'emergence-atlas[site]'.
    """
    _require_site_extra("pages")
    from .builder.pages import generate_pages, terminal_progress
    from .fileio import write_folder

    catalog = _load_or_exit(root)
    generated = generate_pages(catalog, cache_dir=cache, progress=terminal_progress(), site_url=site_url)
    out = write_folder(out, generated)
    click.echo(f"wrote {len(generated)} files to {out}")


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/docs"))
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site config to derive from.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the engine writes the HTML (default: OUT-site, e.g. build/docs-site).")
@click.option("--root", type=_ROOT, help="Catalog folder (default: the 'catalog' option of the plugin in the config).")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Plot cache folder (default: the plugin's, .cache/emergence-atlas/plots, or the folder "
                   "EMERGENCE_ATLAS_CACHE names).")
@click.option("--watch", is_flag=True,
              help="Then keep OUT current: after each change to the catalog, the hand-written pages or the config, "
                   "rewrite only the files that changed (for the engine's live preview, e.g. 'zensical serve').")
def docs(out: Path, config_file: Path, site_dir: Path | None, root: Path | None, cache: Path | None,
         watch: bool) -> None:
    """Assemble a complete docs folder OUT (default build/docs) and its config OUT.yml, for engines without plugins.

    OUT holds the hand-written pages of the config's docs_dir plus the generated
    pages, plots and downloads; OUT.yml is the config with docs_dir OUT, without the
    plugins only MkDocs runs (emergence-atlas, mkdocstrings: the API reference page
    gets a summary of signatures and docstrings instead). Build it from the
    repository root, e.g. 'zensical build -f build/docs.yml'. OUT is replaced as a
    whole, and only when everything was generated. With --watch, the command then
    waits for changes and brings OUT up to date after each one, re-checking and
    re-rendering only what the change touched; a catalog with errors leaves OUT as it
    was and prints the diagnostics. Stop it with Ctrl-C.
    """
    import time

    from .diagnostics import display_path
    from .fileio import sync_folder, write_atomic, write_folder

    assembly = _DocsAssembly(config_file, out, site_dir, root, cache, incremental=watch)
    files, text = assembly.run()
    config_out = out.with_name(out.name + ".yml")
    if watch and out.is_dir():  # a preview may be watching OUT: change only what differs
        sync_folder(out, files)
        written = out.resolve()
    else:
        written = write_folder(out, files)
    write_atomic(config_out, text.encode("utf-8"))
    click.echo(f"wrote {len(files)} files to {written} ({assembly.generated} generated) and {config_out}")
    if not watch:
        return
    from .builder.watch import watch as watch_folders

    def update(changed: set[Path]) -> None:
        start = time.perf_counter()
        try:
            new_files, new_text = assembly.run()
        except SystemExit:  # the catalog has errors: they were printed; OUT stays as it was
            click.echo("waiting for the next change (the docs folder was left as it was)", err=True)
            return
        try:
            files_written, removed = sync_folder(out, new_files)
            if new_text != config_out.read_text(encoding="utf-8"):
                write_atomic(config_out, new_text.encode("utf-8"))
                files_written.append(config_out.name)
        except OSError as exc:  # a full disk, say: say so and keep watching
            click.echo(f"error: cannot update {out}: {exc}", err=True)
            return
        click.echo(f"updated: rewrote {len(files_written)} files, removed {len(removed)} "
                   f"in {time.perf_counter() - start:.2f} s")

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a watch ends
        watch_folders(assembly.watched(), update, ignore=[out, config_out, assembly.site_dir],
                      ready=lambda: click.echo(f"watching {', '.join(display_path(p) for p in assembly.watched())} "
                                               "(Ctrl-C to stop)"))


class _DocsAssembly:
    """What `docs` assembles, once or (with --watch) again after each change, in this process."""

    def __init__(self, config_file: Path, out: Path, site_dir: Path | None, root: Path | None, cache: Path | None,
                 *, incremental: bool):
        _require_site_extra("docs")
        self.config_file, self.out, self.incremental = config_file, out, incremental
        self.root_option, self.cache_option = root, cache
        self.site_dir = site_dir or out.with_name(out.name + "-site")
        self.generated = 0
        self._config: dict[str, Any] = {}

    def _read_config(self) -> dict[str, Any]:
        from .builder.docsfolder import DocsFolderError, load_config

        try:
            return load_config(self.config_file)
        except DocsFolderError as exc:
            if self.incremental and self._config:
                click.echo(f"error: {exc}", err=True)
                raise SystemExit(EXIT_DATA_ERRORS) from None
            raise click.UsageError(str(exc)) from None

    def _options(self) -> dict[str, Any]:
        from .builder.docsfolder import plugin_options

        return plugin_options(self._config, "emergence-atlas")

    def catalog_root(self) -> Path:
        return self.root_option or self.config_file.parent / str(self._options().get("catalog", "catalog"))

    def docs_dir(self) -> Path:
        return self.config_file.parent / str(self._config.get("docs_dir", "docs"))

    def watched(self) -> list[Path]:
        return [self.catalog_root(), self.docs_dir(), self.config_file]

    def run(self) -> tuple[dict[str, bytes], str]:
        """Every file of the docs folder and the derived config's text; exits with the diagnostics on errors."""
        from .builder.docsfolder import DocsFolderError, assemble, plain_config
        from .builder.pages import generate_pages, terminal_progress

        self._config = self._read_config()
        base = self.config_file.parent
        cache_root = Path(os.environ.get("EMERGENCE_ATLAS_CACHE")  # the plugin's cache folder
                          or base / str(self._options().get("cache_dir", ".cache/emergence-atlas")))
        catalog = _load_or_exit(self.catalog_root(), parse_cache=cache_root / "yaml", memo=self.incremental)
        generated = generate_pages(catalog, cache_dir=self.cache_option or cache_root / "plots",
                                   progress=terminal_progress(), site_url=self._config.get("site_url"),
                                   memo=self.incremental)
        self.generated = len(generated)
        config_out = self.out.with_name(self.out.name + ".yml")
        try:
            files = assemble(self.docs_dir(), generated)
            text = plain_config(self._config, self.config_file, docs_dir=self.out, site_dir=self.site_dir,
                                out=config_out)
        except DocsFolderError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(EXIT_DATA_ERRORS) from None
        return files, text


@main.command()
@click.argument("entry_id")
@click.option("--root", type=_ROOT, help="Catalog folder (default: ./catalog).")
def new(entry_id: str, root: Path | None) -> None:
    """Create catalog/abilities/ENTRY_ID.yaml from the commented template.

    ENTRY_ID is lower-case words of a-z and 0-9 joined by hyphens, e.g.
    bigbench-hindu-knowledge-gpt-3-13b. Fill the file, cite its sources in
    references.bib, then run 'emergence-atlas lint'.
    """
    from .fileio import write_atomic
    from .schema.models import ID_PATTERN

    root = root or Path("catalog")
    if not re.match(ID_PATTERN, entry_id) or len(entry_id) > 80:
        raise click.UsageError(f"{entry_id!r} is not a valid id: use lower-case words of a-z and 0-9 joined by single hyphens")
    template = root / "_template.yaml"
    if not template.is_file():
        raise click.UsageError(f"no template at {template}; run this in a checkout or pass --root")
    target = root / "abilities" / f"{entry_id}.yaml"
    if target.exists():
        raise click.UsageError(f"{target} already exists")
    write_atomic(target, template.read_bytes())
    click.echo(f"created {target}: fill it in, then run 'emergence-atlas lint'")


@main.command("check-links")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds to wait for each URL.")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=8, show_default=True,
              help="URLs requested at once.")
@click.option("--root", type=_ROOT, help="Catalog folder (default: ./catalog).")
def check_links(timeout: float, workers: int, root: Path | None) -> None:
    """Request every external link of the catalog and report the dead ones (needs the network).

    Links are the url, doi and arXiv eprint fields of references.bib and the url
    fields of the YAML files. Each distinct URL is requested once (HEAD, then GET
    if HEAD gets an error status). Dead links print as 'path:line:col: LINK <status>
    <url>' (status: an HTTP code, timeout or error). Exits 1 if any link is dead.
    Opt-in: lint and the site build never go online.
    """
    from .linkcheck import collect_links, dead_links, format_dead

    catalog = _load_or_exit(root)
    links = collect_links(catalog)
    dead = dead_links(links, timeout=timeout, workers=workers)
    for link, status in dead:
        click.echo(format_dead(link, status))
    urls = len({link.url for link in links})
    click.echo(f"{len(dead)} dead of {len(links)} links ({urls} distinct URLs)", err=bool(dead))
    if dead:
        sys.exit(EXIT_DATA_ERRORS)


if __name__ == "__main__":  # pragma: no cover
    main()
