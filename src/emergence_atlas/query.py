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

from .catalog import QUANTITY_KINDS, Catalog, find_size
from .schema.models import AbilityEntry
from .schema.vocabularies import (
    AXIS_TERMS,
    CATEGORY_TERMS,
    CLAIM_FORM_TERMS,
    DIRECTION_TERMS,
    KIND_TERMS,
    PROMPTING_TERMS,
    RELATION_TERMS,
    STATUS_TERMS,
)
from .suggest import closest

if TYPE_CHECKING:
    import pandas

    from .catalog import Catalog

#: Fields that `Selection.group_by` accepts, with how to read them off an entry (``size`` is keyed
#: by the selection: see `Selection.group_by`).
GROUP_FIELDS: dict[str, Callable[[AbilityEntry], str]] = {
    "ability": lambda e: e.ability,
    "benchmark": lambda e: e.task.benchmark,
    "category": lambda e: e.category.value,
    "family": lambda e: e.model.family,
    "size": lambda e: e.model.size,
    "strategy": lambda e: e.prompting.strategy.value,
    "status": lambda e: e.status.value,
    "source": lambda e: e.source.key,
    "kind": lambda e: e.kind.value,
    "direction": lambda e: e.direction.value,
}

FILTER_FIELDS = ("category", "family", "size", "strategy", "benchmark", "status", "ability", "form", "kind",
                 "direction", "axis", "cites", "relation", "relation_source", "contested_by", "text", "params",
                 "flops", "tokens", "loss")

#: Range criteria: name -> the scale quantity it reads (``pretraining_loss`` is the entry's own).
RANGE_FIELDS = {"params": "params", "flops": "train_flops", "tokens": "train_tokens", "loss": "pretraining_loss"}

#: Relation types that dispute a claim (what ``contested_by`` looks for).
AGAINST = frozenset({"contests", "refutes"})

#: How many allowed values an error message lists before it says how many there are.
LISTED = 25


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


def _resolve(name: str, given: str | Iterable[str], allowed: Iterable[str], scope: str = "") -> set[str]:
    """The allowed values ``given`` names: exact matches first, then ignoring case.

    An unknown value is a ValueError with a did-you-mean and the allowed values
    (in the order given; ``scope`` says what they are limited to, e.g. one family).
    """
    wanted = _as_set(name, given)
    choices = list(dict.fromkeys(allowed))
    folded: dict[str, list[str]] = {}
    for value in choices:
        folded.setdefault(value.casefold(), []).append(value)
    found: set[str] = set()
    unknown: list[str] = []
    for value in sorted(wanted):
        if value in choices:
            found.add(value)
        elif value.casefold() in folded:
            found.update(folded[value.casefold()])
        else:
            unknown.append(value)
    if unknown:
        close = closest(unknown[0].casefold(), folded)
        hint = f" (did you mean {folded[close][0]!r}?)" if close is not None else ""
        listed = ", ".join(choices[:LISTED]) + (f", ... ({len(choices)} in all)" if len(choices) > LISTED else "")
        raise ValueError(f"unknown {name} {', '.join(map(repr, unknown))}{scope}{hint}; allowed: {listed}")
    return found


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


def _size_label(catalog: Catalog, entry: AbilityEntry) -> str:
    """The registry's label of the entry's size (an alias the entry uses maps to it)."""
    family = catalog.families.get(entry.model.family)
    record = find_size(family, entry.model.size) if family is not None else None
    return record.size if record is not None else entry.model.size


def _scale_order(catalog: Catalog, family_ids: Iterable[str]) -> list[str]:
    """Size labels and aliases of the given families, smallest first (params, then FLOPs; unknown last)."""
    labelled: list[tuple[tuple[bool, float, bool, float], str]] = []
    for family_id in family_ids:
        for size in catalog.families[family_id].sizes:
            key = _order_key(size.params.value if size.params else None,
                             size.train_flops.value if size.train_flops else None)
            labelled.extend((key, label) for label in (size.size, *size.aliases))
    return [label for _, label in sorted(labelled)]


def _order_key(params: float | None, flops: float | None) -> tuple[bool, float, bool, float]:
    """Sort key of a scale: by params, then FLOPs, each unknown after every known one."""
    return (params is None, params or 0.0, flops is None, flops or 0.0)


def _text_of(entry: AbilityEntry) -> str:
    """What ``text=`` searches, case-folded: id, ability, description, task name and benchmark."""
    return "\n".join((entry.id, entry.ability, entry.description, entry.task.name, entry.task.benchmark)).casefold()


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
        """Ids of entries a range filter (``params``, ``flops``, ``tokens``, ``loss``) left out because that
        value is unknown, though they met every other criterion; kept through further filters."""

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
        for entry in self._entries:
            if entry.id.casefold() == key.casefold():
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
        cites: str | Iterable[str] | None = None,
        relation: str | Iterable[str] | None = None,
        relation_source: str | Iterable[str] | None = None,
        contested_by: str | Iterable[str] | None = None,
        text: str | Iterable[str] | None = None,
        params: tuple[float | None, float | None] | None = None,
        flops: tuple[float | None, float | None] | None = None,
        tokens: tuple[float | None, float | None] | None = None,
        loss: tuple[float | None, float | None] | None = None,
    ) -> Selection:
        """Entries matching every given criterion.

        Text criteria take one value or a list (any of them matches) and ignore case
        (`"mmlu"` finds `"MMLU"`, `"540b"` finds `"540B"`). Ranges are inclusive
        `(low, high)` pairs, either end `None`, matched against the canonical scale of
        the claimed size (the upper end of the emergence interval, or the size of a
        bound). Entries whose value is unknown never match a range; the ids of those
        that met every other criterion are listed in the result's `unknown_scale`.

        Args:
            category: Category value(s), e.g. `"few_shot_prompting"`.
            family: Registry family id(s), e.g. `"palm"`.
            size: Size label(s) such as `"62B"` (aliases count); with `family`, that
                family's labels only.
            strategy: Prompting strategy value(s), e.g. `"chain_of_thought"`.
            benchmark: Benchmark name(s), e.g. `"BIG-Bench"`.
            status: Status value(s), e.g. `"contested"`.
            ability: Ability name(s), as written in the entries (case aside).
            form: Claim form(s): `interval`, `upper_bound`, `loss_threshold` or `shape`;
                `form="interval"` leaves out bounds and placeholders.
            kind: What an entry is about: `ability`, `risk` or `mitigation`.
            direction: Direction(s) of change: `emergent`, `inverse`, `u_shaped`, ...
            axis: Axis (axes) of scale: `model_scale`, `training_steps`, `samples`, ...
            cites: BibTeX key(s) the entry cites anywhere: its source, other sources,
                relations, scores and stated scale.
            relation: Relation type(s): `reproduces`, `supports`, `contests`, `refutes`.
            relation_source: BibTeX key(s) of the later work of a relation. With
                `relation`, one relation must match both.
            contested_by: BibTeX key(s) of a work that contests or refutes the entry.
            text: Substring(s) of the id, ability, description, task name or benchmark.
            params: Range of parameters.
            flops: Range of training FLOPs.
            tokens: Range of training tokens.
            loss: Range of the pre-training loss an entry states (`scale.pretraining_loss`).

        Returns:
            A new selection, in this selection's order.

        Raises:
            ValueError: An unknown value (with a did-you-mean and the allowed values) or
                a malformed range.

        Examples:
            ```python
            below = catalog.filter(flops=(None, 1e23))
            palm_cot = catalog.filter(family="palm", strategy="chain_of_thought")
            contested = catalog.filter(relation="contests", relation_source="schaeffer2023are")
            ```
        """
        catalog = self._catalog
        every = catalog.entries
        tests: list[Callable[[AbilityEntry], bool]] = []

        def keep(wanted: set[str], values_of: Callable[[AbilityEntry], Iterable[str]]) -> None:
            tests.append(lambda e: not wanted.isdisjoint(values_of(e)))

        families: list[str] = list(catalog.families)
        if family is not None:
            families = sorted(_resolve("family", family, catalog.families))
            keep(set(families), lambda e: (e.model.family,))
        if size is not None:
            scope = f" for family {', '.join(families)}" if family is not None else ""
            keep(_resolve("size", size, _scale_order(catalog, families), scope), lambda e: _size_labels(catalog, e))
        # criterion -> (given value, allowed values (computed only when given), the entry's value(s) to match)
        text_criteria: dict[str, tuple[str | Iterable[str] | None, Callable[[], Iterable[str]],
                                       Callable[[AbilityEntry], Iterable[str]]]] = {
            "category": (category, lambda: sorted(CATEGORY_TERMS), lambda e: (e.category.value,)),
            "strategy": (strategy, lambda: sorted(PROMPTING_TERMS), lambda e: (e.prompting.strategy.value,)),
            "benchmark": (benchmark, lambda: sorted({e.task.benchmark for e in every}, key=str.casefold),
                          lambda e: (e.task.benchmark,)),
            "status": (status, lambda: sorted(STATUS_TERMS), lambda e: (e.status.value,)),
            "ability": (ability, lambda: sorted({e.ability for e in every}, key=str.casefold), lambda e: (e.ability,)),
            "form": (form, lambda: sorted(CLAIM_FORM_TERMS), lambda e: (e.emergence.form.value,)),
            "kind": (kind, lambda: sorted(KIND_TERMS), lambda e: (e.kind.value,)),
            "direction": (direction, lambda: sorted(DIRECTION_TERMS), lambda e: (e.direction.value,)),
            "axis": (axis, lambda: sorted(AXIS_TERMS), lambda e: (e.axis.name.value if e.axis else "model_scale",)),
            "cites": (cites, lambda: catalog.references, lambda e: e.cited_keys()),
            "contested_by": (contested_by, lambda: sorted({r.source.key for e in every for r in e.relations
                                                           if r.type.value in AGAINST}),
                             lambda e: (r.source.key for r in e.relations if r.type.value in AGAINST)),
        }
        for name, (given, allowed, values_of) in text_criteria.items():
            if given is not None:
                keep(_resolve(name, given, allowed()), values_of)
        if relation is not None or relation_source is not None:
            types = None if relation is None else _resolve("relation", relation, sorted(RELATION_TERMS))
            later = None if relation_source is None else _resolve(
                "relation_source", relation_source, sorted({r.source.key for e in every for r in e.relations}))
            tests.append(lambda e: any((types is None or r.type.value in types)
                                       and (later is None or r.source.key in later) for r in e.relations))
        if text is not None:
            needles = {t.casefold() for t in _as_set("text", text)}
            if "" in needles:
                raise ValueError("text: give a non-empty string")
            tests.append(lambda e: any(n in _text_of(e) for n in needles))
        ranges = [(RANGE_FIELDS[name], *_range(name, value))
                  for name, value in (("params", params), ("flops", flops), ("tokens", tokens), ("loss", loss))
                  if value is not None]

        def value(e: AbilityEntry, kind: str) -> float | None:
            if kind == "pretraining_loss":
                return e.scale.pretraining_loss.value if e.scale.pretraining_loss is not None else None
            return catalog.scale(e).value(kind)

        def fits(e: AbilityEntry) -> tuple[bool, bool]:
            """(every known value in its range, some value unknown)."""
            values = [(value(e, kind), lo, hi) for kind, lo, hi in ranges]
            inside = all(v is None or ((lo is None or v >= lo) and (hi is None or v <= hi)) for v, lo, hi in values)
            return inside, any(v is None for v, _, _ in values)

        chosen: list[AbilityEntry] = []
        unknown: list[str] = []
        for e in self._entries:
            if all(t(e) for t in tests):
                inside, missing = fits(e)
                if inside and not missing:
                    chosen.append(e)
                elif inside:
                    unknown.append(e.id)
        for entry_id in self.unknown_scale:  # left out before: still out, and still named if it would match
            e = catalog[entry_id]
            if all(t(e) for t in tests) and fits(e)[0]:
                unknown.append(entry_id)
        return Selection(catalog, chosen, unknown)

    def group_by(self, field: str) -> dict[str, Selection]:
        """Entries grouped by `field`.

        Keys are the values a reader types. For `size`, the key is the registry's
        size label (`"540B"`; an alias an entry uses counts as its size) when the
        selection holds one family, and `"family label"` (`"palm 540B"`) when it
        spans several; size groups are ordered by scale (parameters, then training
        FLOPs, unknown last). Every other field's groups are ordered by key,
        ignoring case.

        Args:
            field: One of `ability`, `benchmark`, `category`, `direction`, `family`,
                `kind`, `size`, `source`, `status` and `strategy`.

        Returns:
            Group key -> selection (entries in this selection's order), in the order above.

        Raises:
            ValueError: For any other field.
        """
        if field not in GROUP_FIELDS:
            close = closest(field.casefold(), GROUP_FIELDS)
            hint = f" (did you mean {close!r}?)" if close is not None else ""
            raise ValueError(f"cannot group by {field!r}{hint}; allowed: {', '.join(sorted(GROUP_FIELDS))}")
        groups: dict[str, list[AbilityEntry]] = {}
        if field == "size":
            one_family = len({e.model.family for e in self._entries}) <= 1
            for entry in self._entries:
                label = _size_label(self._catalog, entry)
                groups.setdefault(label if one_family else f"{entry.model.family} {label}", []).append(entry)

            def order(key: str) -> tuple[tuple[bool, float, bool, float], str]:
                scale = self._catalog.scale(groups[key][0])
                return _order_key(scale.value("params"), scale.value("train_flops")), key.casefold()

            keys = sorted(groups, key=order)
        else:
            key_of = GROUP_FIELDS[field]
            for entry in self._entries:
                groups.setdefault(key_of(entry), []).append(entry)
            keys = sorted(groups, key=lambda k: (k.casefold(), k))
        return {k: Selection(self._catalog, groups[k]) for k in keys}

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
        for column in ("params", "train_flops", "train_tokens", "params_as_printed", "train_flops_as_printed",
                       "train_tokens_as_printed", "random_baseline", "shots"):
            frame[column] = pandas.to_numeric(frame[column].replace("", None), errors="coerce")
        return frame
