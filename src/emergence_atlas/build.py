"""Build: catalog files -> loading -> schema -> lint rules -> :class:`Catalog`.

The step that runs the flow for one catalog folder, and the only one that knows
the folder layout (``abilities/``, ``models/``, ``curves/``, ``references.bib``).
Each YAML file is read by :mod:`emergence_atlas.loading` and validated by
:mod:`emergence_atlas.schema`; references.bib by :mod:`emergence_atlas.bibliography`;
the cross-file rules of :mod:`emergence_atlas.lint` run over every record that
validated (and over the rest of a file with schema errors, with its faulty fields
left out, so that one error does not hide the others); the scales entries leave out are derived from the registry; and when
no error was found, the records become an immutable
:class:`~emergence_atlas.catalog.Catalog`. Every problem comes back as a
diagnostic; nothing here raises for bad data.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .bibliography import load_bibliography
from .catalog import Catalog, CatalogFiles, ResolvedScale, find_size, resolve_scale
from .diagnostics import CatalogError, Diagnostic, display_path, sort_diagnostics
from .lint import LintContext, run_rules
from .lint.entry_rules import unknown_key
from .lint.file_rules import one_per_placeholder, run_file_rules
from .loading import LoadedDocument, load_yaml
from .references import Reference
from .schema.models import AbilityEntry, CitedElsewhere, Curve, ModelFamily
from .schema.validation import validate_document

#: Most entry files one catalog may hold (E503); beyond it nothing is loaded, which bounds time and memory.
MAX_ENTRIES = 50_000

M = TypeVar("M", bound=BaseModel)


def yaml_files(folder: Path) -> list[Path]:
    """The catalog files of a folder: ``*.yaml``/``*.yml`` below it, without ``_``-prefixed (or hidden) ones."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink())]
    return sorted(p for p in files if not p.name.startswith("_") and not any(
        part.startswith((".", "_")) for part in p.relative_to(folder).parts[:-1]))


@dataclass
class _Records:
    """The validated records of one folder, with their files.

    ``partial`` holds the records of files with schema errors that validate once the
    faulty fields are left out (``pruned`` names those top-level fields): the lint rules
    check them too, so a schema error does not hide the file's other problems, but they
    never reach the catalog.
    """

    records: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    partial: dict[str, Any] = field(default_factory=dict)
    pruned: dict[str, frozenset[str]] = field(default_factory=dict)

    def readable(self) -> dict[str, Any]:
        """Every record the lint rules check: the valid ones and the partial ones."""
        return {**self.partial, **self.records}


#: Rounds of leaving out faulty fields before a file is given up for the cross-file rules.
_PRUNE_ROUNDS = 3


def _without(data: dict[str, Any], errors: list[Any]) -> tuple[dict[str, Any], set[str]] | None:
    """``data`` without the fields the errors are about, and the top-level fields touched; None
    when an error is about the whole file or a required top-level field.

    A field inside a list takes the whole list with it, so that the positions of what is
    left (and of the diagnostics the rules report there) do not move.
    """
    out = copy.deepcopy(data)
    touched: set[str] = set()
    for error in errors:
        loc = tuple(error["loc"])
        cut = next((loc[:i] for i, part in enumerate(loc) if isinstance(part, int)), loc)
        if error["type"] == "missing" and cut == loc:
            cut = loc[:-1]
        if not cut:
            return None
        parent: Any = out
        for part in cut[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(cut[-1], None)
        touched.add(str(cut[0]))
    return out, touched


def _partial(doc: LoadedDocument, model: type[M], stem: str) -> tuple[M, frozenset[str]] | None:
    """The record of a file with schema errors, with the faulty fields left out, if that validates."""
    data: dict[str, Any] = dict(doc.data)
    pruned: set[str] = set()
    for _ in range(_PRUNE_ROUNDS):
        try:
            return model.model_validate({**data, "id": stem}), frozenset(pruned)
        except ValidationError as exc:
            smaller = _without(data, list(exc.errors(include_url=False)))
            if smaller is None or "id" in smaller[1]:
                return None
            data, touched = smaller
            pruned |= touched
    return None


@dataclass(frozen=True)
class _Checked:
    """What one file yields on its own: its document, its diagnostics, and its record (or partial record)."""

    doc: LoadedDocument | None
    diags: tuple[Diagnostic, ...]
    record: Any = None
    partial: tuple[Any, frozenset[str]] | None = None


#: Per-file results kept between builds in one process (``mkdocs serve`` rebuilds in the same
#: process), keyed by kind, path and the hash of the file's bytes, so an unchanged file is not
#: parsed, checked or validated again. Used only when :func:`build_catalog` is asked to (``memo``).
_FILE_MEMO: dict[tuple[str, str, str], _Checked] = {}
_BIB_MEMO: dict[tuple[str, str], tuple[dict[str, Reference], list[Diagnostic]]] = {}
#: Files the memo holds at most; beyond it the memo starts afresh (memory stays bounded).
_MEMO_LIMIT = 2 * MAX_ENTRIES


def _file_key(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class _RecordLoader:
    """Reads and validates the YAML files of a catalog, collecting diagnostics."""

    def __init__(self, parse_cache: Path | None, memo: bool = False):
        self.parse_cache = parse_cache
        self.memo = memo
        self.diags: list[Diagnostic] = []
        self.files_checked = 0
        self.docs: dict[tuple[str, str], LoadedDocument] = {}

    def _check(self, path: Path, model: type[M], kind: str) -> _Checked:
        """Parse, check and validate one file on its own (no cross-file rule)."""
        diags: list[Diagnostic] = []
        doc, problems = load_yaml(path, cache_dir=self.parse_cache)
        diags.extend(problems)
        if doc is None:
            return _Checked(None, tuple(diags))
        diags.extend(run_file_rules(doc, kind))
        stem = path.stem
        stated = doc.data.get("id")
        if stated is not None and stated != stem:
            diags.append(doc.diagnostic(("id",), "E207", f"id {stated!r} differs from the file name {stem!r}",
                                        of_value=True))
            return _Checked(None, tuple(diags))
        record, problems = validate_document(doc, model, {"id": stem})
        diags.extend(problems)
        if record is None:
            return _Checked(doc, tuple(diags), None, _partial(doc, model, stem))
        return _Checked(doc, tuple(diags), record)

    def check(self, path: Path, model: type[M], kind: str) -> _Checked:
        """:meth:`_check`, from the per-process memo when the file's bytes were checked before."""
        if not self.memo:
            return self._check(path, model, kind)
        digest = _file_key(path)
        if digest is None:
            return self._check(path, model, kind)
        key = (f"{kind}:{model.__name__}", f"{Path.cwd()}\0{path}", digest)
        found = _FILE_MEMO.get(key)
        if found is None:
            found = self._check(path, model, kind)
            if len(_FILE_MEMO) >= _MEMO_LIMIT:
                _FILE_MEMO.clear()
            _FILE_MEMO[key] = found
        return found

    def bibliography(self, path: Path) -> tuple[dict[str, Reference], list[Diagnostic]]:
        """:func:`load_bibliography`, from the per-process memo when the file's bytes were read before."""
        digest = _file_key(path) if self.memo else None
        if digest is None:
            return load_bibliography(path)
        key = (str(path), digest)
        if key not in _BIB_MEMO:
            if len(_BIB_MEMO) >= 8:
                _BIB_MEMO.clear()
            _BIB_MEMO[key] = load_bibliography(path)
        references, problems = _BIB_MEMO[key]
        return dict(references), list(problems)

    def load(self, folder: Path, model: type[M], kind: str) -> _Records:
        out = _Records()
        for path in yaml_files(folder):
            self.files_checked += 1
            checked = self.check(path, model, kind)
            self.diags.extend(checked.diags)
            doc, stem = checked.doc, path.stem
            if doc is None:
                continue
            if checked.record is None:
                partial = checked.partial if stem not in out.records else None
                if partial is not None and stem not in out.partial:
                    out.partial[stem], out.pruned[stem] = partial
                    out.paths.setdefault(stem, path)
                    self.docs[(kind, stem)] = doc
                continue
            if stem in out.records:
                self.diags.append(Diagnostic(doc.shown_path, 1, 1, "E401",
                                             f"duplicate {kind} id '{stem}' (also in {display_path(out.paths[stem])})"))
                continue
            out.records[stem] = checked.record
            out.paths[stem] = path
            self.docs[(kind, stem)] = doc
        return out


CITED_ELSEWHERE = "cited-elsewhere.yaml"


def _cited_elsewhere(root: Path, loader: _RecordLoader, references: dict[str, Reference]) -> frozenset[str]:
    """Keys that ``cited-elsewhere.yaml`` lists (pages and data files that cite works); unknown keys are E302."""
    path = root / CITED_ELSEWHERE
    if not path.is_file():
        return frozenset()
    loader.files_checked += 1
    doc, problems = load_yaml(path, cache_dir=loader.parse_cache)
    loader.diags.extend(problems)
    if doc is None:
        return frozenset()
    record, problems = validate_document(doc, CitedElsewhere)
    loader.diags.extend(problems)
    if record is None:
        return frozenset()
    keys = set()
    for i, place in enumerate(record.places):
        for j, key in enumerate(place.keys):
            if key in references:
                keys.add(key)
            else:
                loader.diags.append(doc.diagnostic(("places", i, "keys", j), "E302",
                                                   f"places[{i}].keys[{j}]: {unknown_key(key, references)}",
                                                   of_value=True))
    return frozenset(keys)


def _scales(entries: dict[str, AbilityEntry], families: dict[str, ModelFamily]) -> dict[str, ResolvedScale]:
    scales = {}
    for entry in entries.values():
        family = families.get(entry.model.family)
        scales[entry.id] = resolve_scale(entry, find_size(family, entry.model.size) if family is not None else None)
    return scales


def build_catalog(root: Path | str, *, parse_cache: Path | None = None,
                  memo: bool = False) -> tuple[Catalog | None, list[Diagnostic], int]:
    """Load and check the catalog under ``root``.

    Returns ``(catalog, diagnostics, files_checked)``; ``catalog`` is ``None`` when
    any error was found. Never raises for bad data. ``parse_cache`` is an optional
    folder where clean YAML parses are kept between runs (the site build uses it).
    ``memo`` keeps each file's own checks in this process, keyed by its bytes, so the
    next call re-checks only the files that changed (the site's rebuilds under
    ``mkdocs serve`` use it); the cross-file rules always run over every record.
    """
    root = Path(root)
    loader = _RecordLoader(parse_cache, memo)
    if not (root / "abilities").is_dir() or not (root / "models").is_dir():
        missing = "abilities/" if not (root / "abilities").is_dir() else "models/"
        return None, [Diagnostic(display_path(root), 0, 0, "E502", f"no {missing} folder here; is this a catalog folder?")], 0
    entry_count = len(yaml_files(root / "abilities"))
    if entry_count > MAX_ENTRIES:
        return None, [Diagnostic(display_path(root / "abilities"), 0, 0, "E503",
                                 f"{entry_count} entry files; the limit is {MAX_ENTRIES}")], 0
    bib_path = root / "references.bib"
    references: dict[str, Reference] = {}
    if bib_path.is_file():
        loader.files_checked += 1
        references, problems = loader.bibliography(bib_path)
        loader.diags.extend(problems)
    else:
        loader.diags.append(Diagnostic(display_path(bib_path), 0, 0, "E502", "references.bib is missing"))
    families = loader.load(root / "models", ModelFamily, "family")
    entries = loader.load(root / "abilities", AbilityEntry, "entry")
    curves = loader.load(root / "curves", Curve, "curve")
    if entry_count == 0:
        loader.diags.append(Diagnostic(display_path(root / "abilities"), 0, 0, "E501", "the catalog has no entries"))

    files = CatalogFiles(entries=entries.paths, families=families.paths, curves=curves.paths, bibliography=bib_path)
    pruned = {("entry", k): v for k, v in entries.pruned.items()}
    pruned |= {("family", k): v for k, v in families.pruned.items()}
    pruned |= {("curve", k): v for k, v in curves.pruned.items()}
    context = LintContext(entries=entries.readable(), families=families.readable(), curves=curves.readable(),
                          references=references, files=files, docs=loader.docs, pruned=pruned,
                          cited_elsewhere=_cited_elsewhere(root, loader, references))
    diags = one_per_placeholder(sort_diagnostics([*loader.diags, *run_rules(context)]))
    if any(d.is_error for d in diags):
        return None, diags, loader.files_checked
    catalog = Catalog(root, list(entries.records.values()), families.records, references, curves.records,
                      _scales(entries.records, families.records), files, [d for d in diags if not d.is_error])
    return catalog, diags, loader.files_checked


def load_catalog(root: Path | str) -> Catalog:
    """Build the catalog under ``root`` or raise :class:`CatalogError` with every diagnostic."""
    catalog, diags, _ = build_catalog(root)
    if catalog is None:
        raise CatalogError(diags)
    return catalog
