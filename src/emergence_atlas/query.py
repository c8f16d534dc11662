"""Queries: filter, group and export a selection of catalog entries.

The package's query layer, on top of [`Catalog`][emergence_atlas.Catalog].
A `Selection` is an immutable, ordered set of entries of one catalog;
``catalog.filter(...)`` returns one, and selections filter further, group, cite
their sources and turn into records, JSON or a pandas DataFrame.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .catalog import QUANTITY_KINDS, Catalog
from .schema.models import AbilityEntry
from .schema.vocabularies import (
    AXIS_TERMS,
    CATEGORY_TERMS,
    CLAIM_FORM_TERMS,
    DIRECTION_TERMS,
    KIND_TERMS,
    PROMPTING_TERMS,
    STATUS_TERMS,
)

if TYPE_CHECKING:
    import pandas

    from .catalog import Catalog

#: Fields that `Selection.group_by` accepts, with how to read them off an entry.
GROUP_FIELDS: dict[str, Callable[[AbilityEntry], str]] = {
    "ability": lambda e: e.ability,
    "benchmark": lambda e: e.task.benchmark,
    "category": lambda e: e.category.value,
    "family": lambda e: e.model.family,
    "size": lambda e: f"{e.model.family} {e.model.size}",
    "strategy": lambda e: e.prompting.strategy.value,
    "status": lambda e: e.status.value,
    "source": lambda e: e.source.key,
    "kind": lambda e: e.kind.value,
    "direction": lambda e: e.direction.value,
}

FILTER_FIELDS = ("category", "family", "size", "strategy", "benchmark", "status", "ability", "form", "kind",
                 "direction", "axis", "params", "flops")


def _as_set(name: str, value: str | Iterable[str]) -> set[str]:
    if isinstance(value, str):
        return {value}
    try:
        values = set(value)
    except TypeError:
        raise ValueError(f"{name}: expected a string or a list of strings, got {value!r}") from None
    if not all(isinstance(v, str) for v in values):
        raise ValueError(f"{name}: expected strings, got {sorted(map(repr, values))}")
    return values


def _check_allowed(name: str, wanted: set[str], allowed: Iterable[str]) -> None:
    allowed = sorted(set(allowed))
    unknown = sorted(wanted - set(allowed))
    if unknown:
        raise ValueError(f"unknown {name} {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}")


def _range(name: str, value: Any) -> tuple[float | None, float | None]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{name}: expected a (low, high) pair, either may be None; got {value!r}")
    low, high = value
    for bound in (low, high):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            raise ValueError(f"{name}: bounds must be numbers or None, got {bound!r}")
    if low is not None and high is not None and low > high:
        raise ValueError(f"{name}: inverted range ({low:g} > {high:g}); give (low, high)")
    return low, high


def _size_labels(catalog: Catalog, entry: AbilityEntry) -> set[str]:
    """The entry's size label and every alias the registry knows for it."""
    record = catalog.model_size(entry)
    return {record.size, *record.aliases} if record is not None else {entry.model.size}


class Selection:
    """An ordered, immutable selection of entries from one catalog.

    Iterable, sized and indexable by position or id. Every method returns a new
    object; the [`Catalog`][emergence_atlas.Catalog] is never changed. Get one from
    [`Catalog.filter`][emergence_atlas.Catalog.filter] or
    [`Catalog.select`][emergence_atlas.Catalog.select].

    Examples:
        ```python
        gopher = catalog.filter(family="gopher")
        print(len(gopher), gopher.ids[:2])
        print(gopher.cite().splitlines()[0])  # @misc{rae2021scaling,
        ```
    """

    def __init__(self, catalog: Catalog, entries: Iterable[AbilityEntry], unknown_scale: Iterable[str] = ()):
        self._catalog = catalog
        self._entries: tuple[AbilityEntry, ...] = tuple(entries)
        self.unknown_scale: tuple[str, ...] = tuple(unknown_scale)
        """Ids of entries a ``params`` or ``flops`` filter left out because that scale is unknown."""

    def __iter__(self) -> Iterator[AbilityEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, key: int | str) -> AbilityEntry:
        if isinstance(key, int):
            return self._entries[key]
        for entry in self._entries:
            if entry.id == key:
                return entry
        raise KeyError(f"no entry {key!r} in this selection")

    def __repr__(self) -> str:
        shown = ", ".join(e.id for e in self._entries[:3])
        more = ", ..." if len(self._entries) > 3 else ""
        return f"<Selection of {len(self)} entries: {shown}{more}>"

    @property
    def ids(self) -> list[str]:
        """Entry ids, in order."""
        return [e.id for e in self._entries]

    def filter(
        self,
        *,
        category: str | Iterable[str] | None = None,
        family: str | Iterable[str] | None = None,
        size: str | Iterable[str] | None = None,
        strategy: str | Iterable[str] | None = None,
        benchmark: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        ability: str | Iterable[str] | None = None,
        form: str | Iterable[str] | None = None,
        kind: str | Iterable[str] | None = None,
        direction: str | Iterable[str] | None = None,
        axis: str | Iterable[str] | None = None,
        params: tuple[float | None, float | None] | None = None,
        flops: tuple[float | None, float | None] | None = None,
    ) -> Selection:
        """Entries matching every given criterion.

        Text criteria take one value or a list (any of them matches). Ranges are
        inclusive `(low, high)` pairs, either end `None`, matched against the claimed
        size (the upper end of the emergence interval, or the size of a bound).
        Entries whose scale is unknown never match a range; their ids are listed in
        the result's `unknown_scale`.

        Args:
            category: Category value(s), e.g. `"few_shot_prompted_task"`.
            family: Registry family id(s), e.g. `"palm"`.
            size: Size label(s) such as `"62B"` (aliases count).
            strategy: Prompting strategy value(s), e.g. `"chain_of_thought"`.
            benchmark: Benchmark name(s), e.g. `"BIG-Bench"`.
            status: Status value(s), e.g. `"contested"`.
            ability: Ability name(s), exactly as written in the entries.
            form: Claim form(s): `interval`, `upper_bound`, `loss_threshold` or `shape`;
                `form="interval"` leaves out bounds and placeholders.
            kind: What an entry is about: `ability`, `risk` or `mitigation`.
            direction: Direction(s) of change: `emergent`, `inverse`, `u_shaped`, ...
            axis: Axis (axes) of scale: `model_scale`, `training_steps`, `samples`, ...
            params: Range of parameters.
            flops: Range of training FLOPs.

        Returns:
            A new selection, in this selection's order.

        Raises:
            ValueError: An unknown value (naming the allowed ones) or a malformed range.

        Examples:
            ```python
            below = catalog.filter(flops=(None, 1e23))
            palm_cot = catalog.filter(family="palm", strategy="chain_of_thought")
            intervals = catalog.filter(form="interval")
            ```
        """
        catalog = self._catalog
        every = catalog.entries
        tests: list[Callable[[AbilityEntry], bool]] = []
        sizes = {label for f in catalog.families.values() for s in f.sizes for label in (s.size, *s.aliases)}
        # criterion -> (given value, allowed values, the entry's value(s) to match)
        text_criteria: dict[str, tuple[str | Iterable[str] | None, Iterable[str], Callable[[AbilityEntry], set[str]]]] = {
            "category": (category, CATEGORY_TERMS, lambda e: {e.category.value}),
            "family": (family, catalog.families, lambda e: {e.model.family}),
            "size": (size, sizes, lambda e: _size_labels(catalog, e)),
            "strategy": (strategy, PROMPTING_TERMS, lambda e: {e.prompting.strategy.value}),
            "benchmark": (benchmark, {e.task.benchmark for e in every}, lambda e: {e.task.benchmark}),
            "status": (status, STATUS_TERMS, lambda e: {e.status.value}),
            "ability": (ability, {e.ability for e in every}, lambda e: {e.ability}),
            "form": (form, CLAIM_FORM_TERMS, lambda e: {e.emergence.form.value}),
            "kind": (kind, KIND_TERMS, lambda e: {e.kind.value}),
            "direction": (direction, DIRECTION_TERMS, lambda e: {e.direction.value}),
            "axis": (axis, AXIS_TERMS, lambda e: {e.axis.name.value if e.axis else "model_scale"}),
        }
        for name, (given, allowed, values_of) in text_criteria.items():
            if given is None:
                continue
            wanted = _as_set(name, given)
            _check_allowed(name, wanted, allowed)
            def matches(e: AbilityEntry, w: set[str] = wanted, of: Callable[[AbilityEntry], set[str]] = values_of) -> bool:
                return bool(of(e) & w)

            tests.append(matches)
        scale_kinds: list[str] = []
        for name, value, kind in (("params", params, "params"), ("flops", flops, "train_flops")):
            if value is None:
                continue
            low, high = _range(name, value)
            scale_kinds.append(kind)

            def in_range(e: AbilityEntry, k: str = kind, lo: float | None = low, hi: float | None = high) -> bool:
                v = catalog.scale(e).value(k)
                return v is not None and (lo is None or v >= lo) and (hi is None or v <= hi)

            tests.append(in_range)
        text_tests = tests[: len(tests) - len(scale_kinds)]
        unknown = [e.id for e in self._entries if all(t(e) for t in text_tests)
                   and any(catalog.scale(e).value(k) is None for k in scale_kinds)]
        return Selection(catalog, (e for e in self._entries if all(t(e) for t in tests)), unknown)

    def group_by(self, field: str) -> dict[str, Selection]:
        """Entries grouped by `field`, groups in sorted order of their key.

        Args:
            field: One of `ability`, `benchmark`, `category`, `family`, `size`,
                `strategy`, `status` and `source`.

        Returns:
            Group key -> selection, keys sorted.

        Raises:
            ValueError: For any other field.
        """
        if field not in GROUP_FIELDS:
            raise ValueError(f"cannot group by {field!r}; allowed: {', '.join(sorted(GROUP_FIELDS))}")
        key = GROUP_FIELDS[field]
        groups: dict[str, list[AbilityEntry]] = {}
        for entry in self._entries:
            groups.setdefault(key(entry), []).append(entry)
        return {k: Selection(self._catalog, groups[k]) for k in sorted(groups)}

    def cited_keys(self) -> list[str]:
        """Every BibTeX key behind the selection (sources, other sources, relations, scale)."""
        keys: list[str] = []
        for entry in self._entries:
            keys.extend(entry.cited_keys())
            scale = self._catalog.scale(entry)
            for kind in QUANTITY_KINDS:
                q = getattr(scale, kind)
                if q is not None:
                    keys.append(q.source.key)
        return sorted(set(keys))

    def cite(self) -> str:
        """The BibTeX of every source behind the selection, in key order."""
        from .export import to_bibtex

        return to_bibtex(self._catalog, self.cited_keys())

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per entry, in the documented `catalog.json` entry shape."""
        from .export import entry_record

        return [entry_record(self._catalog, e) for e in self._entries]

    def to_json(self, *, indent: int | None = 2) -> str:
        """The records as JSON text."""
        return json.dumps(self.to_records(), indent=indent, ensure_ascii=False)

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame with the `catalog.csv` columns (numbers as floats).

        Needs pandas: `pip install 'emergence-atlas[pandas]'`.

        Raises:
            ImportError: When pandas is not installed, saying how to install it.
        """
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas; install it with: pip install 'emergence-atlas[pandas]'") from None
        from .export import CSV_COLUMNS, csv_row

        rows = [csv_row(self._catalog, e) for e in self._entries]
        frame = pandas.DataFrame(rows, columns=list(CSV_COLUMNS))
        for column in ("params", "train_flops", "train_tokens", "random_baseline", "shots"):
            frame[column] = pandas.to_numeric(frame[column].replace("", None), errors="coerce")
        return frame
