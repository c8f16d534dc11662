"""Catalog: the immutable collection of validated entries, model registry, references and curves.

The collection layer, above the schema and below everything that reads the
catalog (export, queries, thresholds, the site, the CLI). It holds records that
:mod:`emergence_atlas.build` has already loaded, validated and linted, with
indices and lookups, and it resolves an entry's scale: one canonical value per
model size (the model registry's, basis ``derived``, else the entry's own), with
what the entry's source printed kept beside it. Derived values are computed here
and never written back. It builds nothing itself: see :func:`emergence_atlas.build.build_catalog`.

A few convenience methods (``select``, ``filter``, ``group_by``, ``cite``,
``to_records``, ``to_json``, ``to_dataframe``, ``models_records``, ``curves_records``,
``thresholds``, ``evidence``) hand over to the layers above; each imports its layer
inside the method, the one documented exception to "no upward import" (a test of
the import graph lists them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .diagnostics import CatalogError, Diagnostic
from .references import Reference
from .schema.models import AbilityEntry, Curve, ModelFamily, ModelSize, SourceRef
from .schema.quantities import SCALE_KINDS, within_tolerance
from .schema.vocabularies import Basis, ScaleView
from .suggest import closest

if TYPE_CHECKING:
    from .query import Selection

__all__ = ["QUANTITY_KINDS", "REGISTRY_TOLERANCE", "Catalog", "CatalogError", "CatalogFiles", "ResolvedQuantity",
           "ResolvedScale", "disagreement", "find_size", "resolve_scale"]

#: Largest relative difference between an entry's value and the registry's that
#: still counts as agreement: printed values are rounded to two or three
#: significant figures and sizes are nominal names (13B for 12.85B).
REGISTRY_TOLERANCE = 0.05

#: The scale quantities an entry states or the registry supplies.
QUANTITY_KINDS = SCALE_KINDS


@dataclass(frozen=True)
class ResolvedQuantity:
    """A scale value as the catalog serves it, with where it came from.

    ``origin`` says whose value ``value`` is: ``"registry"`` (the model registry's
    record of the named size; its basis ``reported`` becomes ``derived``) or
    ``"entry"`` (the entry's own statement). ``as_printed``, ``source``, ``method``,
    ``note`` and ``disagreements`` belong to that value. ``printed`` is what the
    entry's own source printed, whenever the entry states a value (an
    ``origin="entry"`` quantity whose ``printed`` is None); None when the entry
    states none.
    """

    value: float
    basis: Basis
    source: SourceRef
    origin: str  # "entry" or "registry"
    as_printed: str | None = None
    method: str | None = None
    note: str | None = None
    disagreements: tuple[Any, ...] = ()
    printed: ResolvedQuantity | None = None

    @property
    def printed_differs(self) -> bool:
        """True when the entry's source printed another number than ``value``."""
        return self.printed is not None and self.printed.value != self.value


@dataclass(frozen=True)
class ResolvedScale:
    """Params, training tokens and training FLOPs of an entry (each may be unknown)."""

    params: ResolvedQuantity | None = None
    train_tokens: ResolvedQuantity | None = None
    train_flops: ResolvedQuantity | None = None

    def value(self, kind: str) -> float | None:
        """The plain number of `kind` (`params`, `train_tokens` or `train_flops`), or None when unknown."""
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

    Iterating yields entries in id order; `len()` counts entries; `catalog[id]`
    returns one entry (a `KeyError` suggests the closest id). Get one with
    [`emergence_atlas.load`][emergence_atlas.load].

    Examples:
        ```python
        catalog = emergence_atlas.load()
        entry = catalog["arithmetic-3-digit-gpt-3-13b"]
        palm = catalog.filter(family="palm", flops=(None, 1e24))
        ```
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
        found = self._by_id.get(entry_id)
        if found is None and isinstance(entry_id, str):
            found = self._by_id.get(self._folded_ids().get(entry_id.casefold(), ""))
        if found is not None:
            return found
        close = closest(entry_id.casefold(), self._folded_ids()) if isinstance(entry_id, str) else None
        hint = f"; did you mean {self._folded_ids()[close]!r}?" if close else ""
        raise KeyError(f"no entry {entry_id!r}{hint}") from None

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def _folded_ids(self) -> dict[str, str]:
        """Case-folded id -> id, for lookups that ignore case (exact ids win)."""
        folded = self.__dict__.get("_folded")
        if folded is None:
            folded = {i.casefold(): i for i in self._by_id}
            self.__dict__["_folded"] = folded
        return cast("dict[str, str]", folded)

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

    def scale(self, entry: AbilityEntry | str, view: ScaleView | str = ScaleView.CANONICAL) -> ResolvedScale:
        """The entry's params, training tokens and training FLOPs.

        Args:
            entry: An entry or its id.
            view: `"canonical"` (default): the model registry's value of the named
                size when it has one (origin `"registry"`, basis `derived`), else the
                entry's own (origin `"entry"`), so that every entry of one model size
                carries the same numbers; each quantity's `printed` holds what the
                entry's source printed. `"as_printed"`: the entry's own stated values
                (the numbers of the source's table), else the registry's (origin says
                which).

        Raises:
            KeyError: An unknown entry id.
            ValueError: An unknown view.
        """
        entry = self[entry] if isinstance(entry, str) else entry
        if view == ScaleView.CANONICAL:
            return self._scales[entry.id]
        if view != ScaleView.AS_PRINTED:
            views = [v.value for v in ScaleView]
            raise ValueError(f"unknown scale view {view!r}; allowed: {', '.join(views)}")
        cache = self.__dict__.setdefault("_printed_scales", {})
        if entry.id not in cache:
            family = self.families.get(entry.model.family)
            cache[entry.id] = resolve_scale(entry, find_size(family, entry.model.size) if family else None,
                                            view=ScaleView.AS_PRINTED)
        return cast("ResolvedScale", cache[entry.id])

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
        """Each series of a curve under the ``chance-margin`` rule, with shape measures (computed once)."""
        from .evidence import curve_thresholds  # lazy: the evidence rules read the catalog, above it

        cache = self.__dict__.setdefault("_thresholds", {})
        if curve_id not in cache:
            cache[curve_id] = curve_thresholds(self, self.curves[curve_id])
        return cast("list[dict[str, Any]]", cache[curve_id])

    def evidence(self, entry: AbilityEntry | str) -> Any:
        """The entry's `EntryEvidence` (from `emergence_atlas.evidence`): interval, replications, later evidence."""
        from .evidence import entry_evidence  # lazy: the evidence rules read the catalog, above it

        entry = self[entry] if isinstance(entry, str) else entry
        cache = self.__dict__.setdefault("_evidence", {})
        if entry.id not in cache:
            cache[entry.id] = entry_evidence(self, entry)
        return cache[entry.id]

    def preset_evidence(self, evidence: Mapping[str, Any]) -> None:
        """Take each entry's `EntryEvidence` from ``evidence`` (id -> result) instead of computing it.

        For results computed from records of the same content (the site build's memo,
        `emergence_atlas.builder.derived`); ids that are not entries are ignored.
        """
        cache = self.__dict__.setdefault("_evidence", {})
        cache.update((entry_id, value) for entry_id, value in evidence.items() if entry_id in self._by_id)

    # -- conveniences over the layers above (each imports its layer here, lazily) ----
    def select(self, entries: Iterable[AbilityEntry | str] | None = None) -> Selection:
        """A [`Selection`][emergence_atlas.query.Selection] of the given entries (or ids), or of all."""
        from .query import Selection  # lazy: queries sit above the collection

        if entries is None:
            return Selection(self, self._entries)
        return Selection(self, (self[e] if isinstance(e, str) else e for e in entries))

    def filter(self, **criteria: Any) -> Selection:
        """Entries matching the criteria; see [`Selection.filter`][emergence_atlas.query.Selection.filter]."""
        return self.select().filter(**criteria)

    def group_by(self, field: str) -> dict[str, Selection]:
        """All entries grouped by a field; see [`Selection.group_by`][emergence_atlas.query.Selection.group_by]."""
        return self.select().group_by(field)

    def cite(self, entries: Iterable[AbilityEntry | str] | None = None) -> str:
        """BibTeX of every source behind the given entries (default: all)."""
        return self.select(entries).cite()

    def to_records(self) -> list[dict[str, Any]]:
        """Every entry as a dict in the documented `catalog.json` shape."""
        return self.select().to_records()

    def to_json(self) -> str:
        """The entries, model registry and references as `catalog.json` text (the same bytes as the download).

        The curves are in their own download, `curves.json` (`emergence_atlas.export.to_curves_json`).
        """
        from .export import to_json  # lazy: exports sit above the collection

        return to_json(self)

    def to_dataframe(self) -> Any:
        """Every entry as a pandas DataFrame (needs the `pandas` extra)."""
        return self.select().to_dataframe()

    def models_records(self) -> list[dict[str, Any]]:
        """The model registry as rows: one dict per family size; see `emergence_atlas.tables`."""
        from .tables import model_rows  # lazy: tables sit above the collection

        return model_rows(self)

    def models_dataframe(self) -> Any:
        """The model registry as a pandas DataFrame, one row per family size (needs the `pandas` extra)."""
        from .tables import MODEL_COLUMNS, dataframe, model_rows

        return dataframe(model_rows(self), MODEL_COLUMNS)

    def curves_records(self) -> list[dict[str, Any]]:
        """Every curve point as a row: one dict per point; see `emergence_atlas.tables`."""
        from .tables import curve_rows

        return curve_rows(self)

    def curves_dataframe(self) -> Any:
        """Every curve point as a pandas DataFrame, one row per point (needs the `pandas` extra)."""
        from .tables import CURVE_COLUMNS, curve_rows, dataframe

        return dataframe(curve_rows(self), CURVE_COLUMNS)


def find_size(family: ModelFamily, label: str) -> ModelSize | None:
    """The size of ``family`` whose label or alias is ``label``."""
    for size in family.sizes:
        if size.size == label or label in size.aliases:
            return size
    return None


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


def resolve_scale(entry: AbilityEntry, size: ModelSize | None,
                  view: ScaleView = ScaleView.CANONICAL) -> ResolvedScale:
    """The scale of ``entry`` whose registry record is ``size``, in one of two views.

    Canonical: the registry size's value (basis ``derived`` for a reported one),
    else the entry's own. As printed: the entry's own value, else the registry's.
    Either way each quantity's ``printed`` is the entry's own statement, when it makes one.
    """
    resolved: dict[str, ResolvedQuantity] = {}
    for kind in QUANTITY_KINDS:
        mine = getattr(entry.scale, kind)
        theirs = getattr(size, kind) if size is not None else None
        printed = None if mine is None else ResolvedQuantity(
            value=mine.value, basis=mine.basis, source=mine.source, origin="entry", as_printed=mine.as_printed,
            method=mine.method, note=mine.note, disagreements=mine.disagreements)
        if theirs is not None and (mine is None or view == ScaleView.CANONICAL):
            basis = Basis.DERIVED if theirs.basis is Basis.REPORTED else theirs.basis
            resolved[kind] = ResolvedQuantity(
                value=theirs.value, basis=basis, source=theirs.source, origin="registry",
                as_printed=theirs.as_printed, method=theirs.method, note=theirs.note,
                disagreements=theirs.disagreements, printed=printed)
        elif printed is not None:
            resolved[kind] = replace(printed, printed=printed)
    return ResolvedScale(**resolved)


def __getattr__(name: str) -> Any:
    """``build_catalog``, ``load_catalog`` and ``MAX_ENTRIES`` moved to :mod:`emergence_atlas.build`;
    the old names still work (a lazy import, so that this layer imports nothing above it)."""
    if name in ("build_catalog", "load_catalog", "MAX_ENTRIES"):
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
