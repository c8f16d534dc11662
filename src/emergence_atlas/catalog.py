"""Catalog: every file loaded, validated and cross-linked into one immutable collection.

The step after loading, schema validation and the bibliography. It resolves
every cross-link (entry -> reference, model family and size, related entries;
curve -> entries, families and sizes), checks an entry's stated scale against the
model registry, and derives the scale an entry leaves out from the registry
(basis ``derived``). Derived values are computed here and never written back.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .diagnostics import CatalogError, Diagnostic, display_path, sort_diagnostics
from .links import url_problem
from .schema.models import AbilityEntry, Curve, ModelFamily, ModelSize, SourceRef
from .schema.quantities import within_tolerance
from .schema.vocabularies import Basis, RelationType

if TYPE_CHECKING:
    from .loading import LoadedDocument
    from .query import Selection
    from .references import Reference

#: Largest relative difference between an entry's value and the registry's that
#: still counts as agreement: printed values are rounded to two or three
#: significant figures and sizes are nominal names (13B for 12.85B).
REGISTRY_TOLERANCE = 0.05

#: Most entry files one catalog may hold (E503); beyond it nothing is loaded, which bounds time and memory.
MAX_ENTRIES = 50_000

QUANTITY_KINDS = ("params", "train_tokens", "train_flops")

_STATUS_NEEDS = {
    "contested": RelationType.CONTESTS,
    "refuted": RelationType.REFUTES,
    "reproduced": RelationType.REPRODUCES,
}


@dataclass(frozen=True)
class ResolvedQuantity:
    """A scale value as the catalog serves it, with where it came from."""

    value: float
    basis: Basis
    source: SourceRef
    origin: str  # "entry" or "registry"
    as_printed: str | None = None
    method: str | None = None
    note: str | None = None
    disagreements: tuple[Any, ...] = ()


@dataclass(frozen=True)
class ResolvedScale:
    """Params, training tokens and training FLOPs of an entry (each may be unknown)."""

    params: ResolvedQuantity | None = None
    train_tokens: ResolvedQuantity | None = None
    train_flops: ResolvedQuantity | None = None

    def value(self, kind: str) -> float | None:
        q = getattr(self, kind)
        return q.value if q is not None else None


@dataclass(frozen=True)
class CatalogFiles:
    """Where each record came from, for diagnostics and "edit this page" links."""

    entries: dict[str, Path] = field(default_factory=dict)
    families: dict[str, Path] = field(default_factory=dict)
    curves: dict[str, Path] = field(default_factory=dict)
    bibliography: Path | None = None


class Catalog:
    """The validated catalog: entries, model registry, references and curves.

    Iterating yields entries in id order; ``len()`` counts entries; ``catalog[id]``
    returns one entry. Build one with :func:`emergence_atlas.load` or
    :func:`build_catalog`.
    """

    def __init__(
        self,
        root: Path,
        entries: list[AbilityEntry],
        families: dict[str, ModelFamily],
        references: dict[str, Reference],
        curves: dict[str, Curve] | Callable[[], dict[str, Curve]],
        scales: dict[str, ResolvedScale],
        files: CatalogFiles,
        warnings: list[Diagnostic],
    ):
        self.root = root
        self._entries: tuple[AbilityEntry, ...] = tuple(sorted(entries, key=lambda e: e.id))
        self._by_id = {e.id: e for e in self._entries}
        self.families: dict[str, ModelFamily] = dict(sorted(families.items()))
        self.references: dict[str, Reference] = dict(sorted(references.items()))
        self._curves: dict[str, Curve] | None = dict(sorted(curves.items())) if isinstance(curves, dict) else None
        self._curve_loader = None if isinstance(curves, dict) else curves
        self._scales = scales
        self.files = files
        self.warnings: tuple[Diagnostic, ...] = tuple(warnings)

    # -- collection protocol -------------------------------------------------
    def __iter__(self) -> Iterator[AbilityEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, entry_id: str) -> AbilityEntry:
        try:
            return self._by_id[entry_id]
        except KeyError:
            close = difflib.get_close_matches(entry_id, list(self._by_id), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KeyError(f"no entry {entry_id!r}{hint}") from None

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def __repr__(self) -> str:
        curves = f"{len(self._curves)} curves" if self._curves is not None else "curves not yet read"
        return (f"<Catalog {len(self)} entries, {len(self.families)} model families, "
                f"{len(self.references)} references, {curves}>")

    @property
    def curves(self) -> dict[str, Curve]:
        """Scaling curves by id (read on first use when the catalog was compiled)."""
        if self._curves is None:
            assert self._curve_loader is not None
            self._curves = dict(sorted(self._curve_loader().items()))
            self._curve_loader = None
        return self._curves

    @property
    def entries(self) -> tuple[AbilityEntry, ...]:
        """All entries, in id order."""
        return self._entries

    def scale(self, entry: AbilityEntry | str) -> ResolvedScale:
        """The entry's scale: its own stated values, else the registry's (basis derived)."""
        entry_id = entry if isinstance(entry, str) else entry.id
        return self._scales[entry_id]

    def family(self, family_id: str) -> ModelFamily:
        """A model family of the registry by id."""
        return self.families[family_id]

    def model_size(self, entry: AbilityEntry) -> ModelSize:
        """The registry record of the size an entry names."""
        return find_size(self.families[entry.model.family], entry.model.size)  # type: ignore[return-value]

    def reference(self, key: str) -> Reference:
        """A reference by BibTeX key."""
        return self.references[key]

    def point_scale(self, series: Any, point: Any) -> dict[str, float | None]:
        """Params, tokens and FLOPs of one curve point (its own values win over the registry's)."""
        out: dict[str, float | None] = {"params": point.params, "train_tokens": point.train_tokens,
                                        "train_flops": point.train_flops}
        if series.family is not None and point.size is not None and series.family in self.families:
            size = find_size(self.families[series.family], point.size)
            for kind in out:
                q = getattr(size, kind, None) if size is not None else None
                if out[kind] is None and q is not None:
                    out[kind] = q.value
        return out

    def curves_of(self, entry: AbilityEntry | str) -> list[Curve]:
        """The curves that name an entry as their evidence, in curve-id order (indexed once)."""
        index = self.__dict__.get("_curves_by_entry")
        if index is None:
            index = {}
            for curve in self.curves.values():
                for entry_id in curve.entries:
                    index.setdefault(entry_id, []).append(curve)
            self.__dict__["_curves_by_entry"] = index
        return cast("list[Curve]", index.get(entry if isinstance(entry, str) else entry.id, []))

    def thresholds(self, curve_id: str) -> list[dict[str, Any]]:
        """Recomputed thresholds of a curve (every rule, series and axis), computed once."""
        from .thresholds import curve_thresholds

        cache = self.__dict__.setdefault("_thresholds", {})
        if curve_id not in cache:
            cache[curve_id] = curve_thresholds(self, self.curves[curve_id])
        return cast("list[dict[str, Any]]", cache[curve_id])

    # -- queries (see emergence_atlas.query) -----------------------------------
    def select(self, entries: Iterable[AbilityEntry | str] | None = None) -> Selection:
        """A :class:`~emergence_atlas.query.Selection` of the given entries (or ids), or of all."""
        from .query import Selection

        if entries is None:
            return Selection(self, self._entries)
        return Selection(self, (self[e] if isinstance(e, str) else e for e in entries))

    def filter(self, **criteria: Any) -> Selection:
        """Entries matching the criteria; see :meth:`emergence_atlas.query.Selection.filter`."""
        return self.select().filter(**criteria)

    def group_by(self, field: str) -> dict[str, Selection]:
        """All entries grouped by a field; see :meth:`emergence_atlas.query.Selection.group_by`."""
        return self.select().group_by(field)

    def cite(self, entries: Iterable[AbilityEntry | str] | None = None) -> str:
        """BibTeX of every source behind the given entries (default: all)."""
        return self.select(entries).cite()

    def to_records(self) -> list[dict[str, Any]]:
        """Every entry as a dict in the documented ``catalog.json`` shape."""
        return self.select().to_records()

    def to_json(self) -> str:
        """The whole catalog as ``catalog.json`` text."""
        from .export import to_json

        return to_json(self)

    def to_dataframe(self) -> Any:
        """Every entry as a pandas DataFrame (needs the ``pandas`` extra)."""
        return self.select().to_dataframe()


def find_size(family: ModelFamily, label: str) -> ModelSize | None:
    """The size of ``family`` whose label or alias is ``label``."""
    for size in family.sizes:
        if size.size == label or label in size.aliases:
            return size
    return None


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    files = [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink())]
    return sorted(p for p in files if not p.name.startswith("_") and not any(
        part.startswith((".", "_")) for part in p.relative_to(folder).parts[:-1]))


class _Builder:
    def __init__(self, root: Path, parse_cache: Path | None = None):
        self.root = root
        self.parse_cache = parse_cache
        self.diags: list[Diagnostic] = []
        self.files_checked = 0
        self.docs: dict[tuple[str, str], LoadedDocument] = {}

    def load_records(self, folder: str, model: type, kind: str) -> dict[str, Any]:
        from .loading import load_yaml
        from .schema.validation import validate_document

        records: dict[str, Any] = {}
        paths: dict[str, Path] = {}
        for path in _yaml_files(self.root / folder):
            self.files_checked += 1
            doc, problems = load_yaml(path, cache_dir=self.parse_cache)
            self.diags.extend(problems)
            if doc is None:
                continue
            stem = path.stem
            stated = doc.data.get("id")
            if stated is not None and stated != stem:
                self.diags.append(doc.diagnostic(("id",), "E207", f"id {stated!r} differs from the file name {stem!r}",
                                                 of_value=True))
                continue
            record, problems = validate_document(doc, model, {"id": stem})
            self.diags.extend(problems)
            if record is None:
                continue
            if stem in records:
                self.diags.append(Diagnostic(doc.shown_path, 1, 1, "E401",
                                             f"duplicate {kind} id '{stem}' (also in {display_path(paths[stem])})"))
                continue
            records[stem] = record
            paths[stem] = path
            self.docs[(kind, stem)] = doc
        self._paths = paths
        return records

    def at(self, kind: str, record_id: str, loc: tuple[Any, ...], code: str, message: str) -> None:
        self.diags.append(self.docs[(kind, record_id)].diagnostic(loc, code, message, of_value=True))


def _citations(entry: AbilityEntry) -> Iterator[tuple[tuple[Any, ...], str]]:
    yield ("source", "key"), entry.source.key
    for i, s in enumerate(entry.additional_sources):
        yield ("additional_sources", i, "key"), s.key
    for i, r in enumerate(entry.relations):
        yield ("relations", i, "source", "key"), r.source.key
    for kind in (*QUANTITY_KINDS, "pretraining_loss"):
        q = getattr(entry.scale, kind)
        if q is not None:
            yield ("scale", kind, "source", "key"), q.source.key
            for j, d in enumerate(q.disagreements):
                yield ("scale", kind, "disagreements", j, "source", "key"), d.source.key


def _family_citations(family: ModelFamily) -> Iterator[tuple[tuple[Any, ...], str]]:
    for i, s in enumerate(family.sources):
        yield ("sources", i, "key"), s.key
    for i, size in enumerate(family.sizes):
        for kind in QUANTITY_KINDS:
            q = getattr(size, kind)
            if q is not None:
                yield ("sizes", i, kind, "source", "key"), q.source.key
                for j, d in enumerate(q.disagreements):
                    yield ("sizes", i, kind, "disagreements", j, "source", "key"), d.source.key


def dotted(loc: tuple[Any, ...]) -> str:
    """``('a', 0, 'b')`` -> ``a[0].b``: how diagnostics name a field."""
    from .schema.validation import dotted as _dotted

    return _dotted(loc)


def _unknown_key(key: str, references: dict[str, Reference]) -> str:
    close = difflib.get_close_matches(key, list(references), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown BibTeX key '{key}'{hint}"


def disagreement(entry: AbilityEntry, size: ModelSize | None, kind: str) -> float | None:
    """Relative difference between the entry's and the registry's value of ``kind``, when it is
    larger than :data:`REGISTRY_TOLERANCE` and not recorded under ``disagreements``; else None."""
    mine = getattr(entry.scale, kind)
    theirs = getattr(size, kind) if size is not None else None
    if mine is None or theirs is None:
        return None
    agree = (
        within_tolerance(mine.value, theirs.value, REGISTRY_TOLERANCE)
        or any(within_tolerance(d.value, theirs.value, REGISTRY_TOLERANCE) for d in mine.disagreements)
        or any(within_tolerance(d.value, mine.value, REGISTRY_TOLERANCE) for d in theirs.disagreements)
    )
    return None if agree else abs(mine.value - theirs.value) / max(mine.value, theirs.value)


def resolve_scale(entry: AbilityEntry, size: ModelSize | None) -> ResolvedScale:
    """The entry's own values, else the registry size's (basis ``derived`` for reported ones)."""
    resolved: dict[str, ResolvedQuantity] = {}
    for kind in QUANTITY_KINDS:
        mine = getattr(entry.scale, kind)
        theirs = getattr(size, kind) if size is not None else None
        if mine is not None:
            resolved[kind] = ResolvedQuantity(
                value=mine.value, basis=mine.basis, source=mine.source, origin="entry", as_printed=mine.as_printed,
                method=mine.method, note=mine.note, disagreements=mine.disagreements)
        elif theirs is not None:
            basis = Basis.DERIVED if theirs.basis is Basis.REPORTED else theirs.basis
            resolved[kind] = ResolvedQuantity(
                value=theirs.value, basis=basis, source=theirs.source, origin="registry",
                as_printed=theirs.as_printed, method=theirs.method, note=theirs.note,
                disagreements=theirs.disagreements)
    return ResolvedScale(**resolved)


def _check_scale(entry: AbilityEntry, size: ModelSize | None, family_id: str, b: _Builder) -> None:
    for kind in QUANTITY_KINDS:
        diff = disagreement(entry, size, kind)
        if diff is None:
            continue
        mine, theirs = getattr(entry.scale, kind), getattr(size, kind)
        b.at("entry", entry.id, ("scale", kind, "value"), "E404",
             f"scale.{kind}: {mine.value:g} differs by {diff:.0%} from the registry's {theirs.value:g} "
             f"for {family_id} {size.size} ({theirs.source.key}, {theirs.source.locator}); "  # type: ignore[union-attr]
             f"correct it, or list the other value with its source under disagreements")


def _placeholders(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text value still holding a template TODO, with its location."""
    if isinstance(value, str):
        if "TODO" in value:
            yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*loc, key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _placeholders(item, (*loc, i))


def _check_entries(entries: dict[str, AbilityEntry], families: dict[str, ModelFamily],
                   references: dict[str, Reference], b: _Builder) -> dict[str, ResolvedScale]:
    scales: dict[str, ResolvedScale] = {}
    for entry in entries.values():
        for loc, text in _placeholders(b.docs[("entry", entry.id)].data):
            b.at("entry", entry.id, loc, "E212", f"{dotted(loc)}: still the template's placeholder {text.strip()!r}")
        for loc, key in _citations(entry):
            if key not in references:
                b.at("entry", entry.id, loc, "E302", f"{dotted(loc)}: {_unknown_key(key, references)}")
        family = families.get(entry.model.family)
        size = None
        if family is None:
            close = difflib.get_close_matches(entry.model.family, list(families), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            b.at("entry", entry.id, ("model", "family"), "E402",
                 f"model.family: unknown model family '{entry.model.family}'{hint}")
        else:
            size = find_size(family, entry.model.size)
            if size is None:
                labels = ", ".join(s.size for s in family.sizes)
                b.at("entry", entry.id, ("model", "size"), "E403",
                     f"model.size: '{entry.model.size}' is not a size of {family.id} (known: {labels})")
        _check_scale(entry, size, entry.model.family, b)
        scales[entry.id] = resolve_scale(entry, size)
        for i, other in enumerate(entry.related):
            if other not in entries:
                b.at("entry", entry.id, ("related", i), "E405", f"related[{i}]: unknown entry id '{other}'")
        needed = _STATUS_NEEDS.get(entry.status.value)
        if needed is not None and not any(r.type is needed for r in entry.relations):
            b.at("entry", entry.id, ("status",), "E406",
                 f"status: '{entry.status.value}' needs a relation of type '{needed.value}' naming the work")
    return scales


def _check_families(families: dict[str, ModelFamily], references: dict[str, Reference], b: _Builder) -> None:
    for family in families.values():
        for loc, key in _family_citations(family):
            if key not in references:
                b.at("family", family.id, loc, "E302", f"{dotted(loc)}: {_unknown_key(key, references)}")
        seen: dict[str, int] = {}
        for i, size in enumerate(family.sizes):
            for label in (size.size, *size.aliases):
                if label in seen:
                    b.at("family", family.id, ("sizes", i, "size"), "E407",
                         f"sizes[{i}]: label '{label}' is already used by sizes[{seen[label]}]")
                else:
                    seen[label] = i


def _check_curves(curves: dict[str, Curve], entries: dict[str, AbilityEntry], families: dict[str, ModelFamily],
                  references: dict[str, Reference], b: _Builder) -> None:
    for curve in curves.values():
        for i, entry_id in enumerate(curve.entries):
            if entry_id not in entries:
                b.at("curve", curve.id, ("entries", i), "E405", f"entries[{i}]: unknown entry id '{entry_id}'")
        for i, series in enumerate(curve.series):
            if series.source.key not in references:
                b.at("curve", curve.id, ("series", i, "source", "key"), "E302",
                     f"series[{i}].source.key: {_unknown_key(series.source.key, references)}")
            url = series.data.url if series.data is not None else None
            if url is not None and url_problem(url) is not None:
                b.at("curve", curve.id, ("series", i, "data", "url"), "E210",
                     f"series[{i}].data.url: {url!r} {url_problem(url)}")
            if series.family is None:
                continue  # explicit scale per point, checked by the schema
            family = families.get(series.family)
            if family is None:
                b.at("curve", curve.id, ("series", i, "family"), "E408",
                     f"series[{i}].family: unknown model family '{series.family}'")
                continue
            for j, point in enumerate(series.points):
                if point.size is not None and find_size(family, point.size) is None:
                    b.at("curve", curve.id, ("series", i, "points", j, "size"), "E408",
                         f"series[{i}].points[{j}].size: '{point.size}' is not a size of {family.id}")


def build_catalog(root: Path | str, *, parse_cache: Path | None = None) -> tuple[Catalog | None, list[Diagnostic], int]:
    """Load and check the catalog under ``root``.

    Returns ``(catalog, diagnostics, files_checked)``; ``catalog`` is ``None`` when
    any error was found. Never raises for bad data. ``parse_cache`` is an optional
    folder where clean YAML parses are kept between runs (the site build uses it).
    """
    from .bibliography import load_bibliography
    from .lint import run_rules  # the extra rules sit on top of the same loader

    root = Path(root)
    b = _Builder(root, parse_cache)
    if not (root / "abilities").is_dir() or not (root / "models").is_dir():
        missing = "abilities/" if not (root / "abilities").is_dir() else "models/"
        return None, [Diagnostic(display_path(root), 0, 0, "E502", f"no {missing} folder here; is this a catalog folder?")], 0
    entry_count = len(_yaml_files(root / "abilities"))
    if entry_count > MAX_ENTRIES:
        return None, [Diagnostic(display_path(root / "abilities"), 0, 0, "E503",
                                 f"{entry_count} entry files; the limit is {MAX_ENTRIES}")], 0
    bib_path = root / "references.bib"
    if bib_path.is_file():
        b.files_checked += 1
        references, problems = load_bibliography(bib_path)
        b.diags.extend(problems)
    else:
        references = {}
        b.diags.append(Diagnostic(display_path(bib_path), 0, 0, "E502", "references.bib is missing"))
    families = b.load_records("models", ModelFamily, "family")
    family_paths = b._paths
    entries = b.load_records("abilities", AbilityEntry, "entry")
    entry_paths = b._paths
    curves = b.load_records("curves", Curve, "curve")
    curve_paths = b._paths
    if entry_count == 0:
        b.diags.append(Diagnostic(display_path(root / "abilities"), 0, 0, "E501", "the catalog has no entries"))

    _check_families(families, references, b)
    scales = _check_entries(entries, families, references, b)
    _check_curves(curves, entries, families, references, b)
    files = CatalogFiles(entries=entry_paths, families=family_paths, curves=curve_paths, bibliography=bib_path)
    b.diags.extend(run_rules(entries, families, curves, references, files))
    diags = sort_diagnostics(b.diags)
    if any(d.is_error for d in diags):
        return None, diags, b.files_checked
    catalog = Catalog(root, list(entries.values()), families, references, curves, scales, files,
                      [d for d in diags if not d.is_error])
    return catalog, diags, b.files_checked


def load_catalog(root: Path | str) -> Catalog:
    """Build the catalog under ``root`` or raise :class:`CatalogError` with every diagnostic."""
    catalog, diags, _ = build_catalog(root)
    if catalog is None:
        raise CatalogError(diags)
    return catalog
