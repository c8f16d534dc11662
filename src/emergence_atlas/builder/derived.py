"""Derived memo: the downloads and each entry's evidence, reused between generations when their inputs did not change.

Part of the builder step, next to :mod:`emergence_atlas.builder.memo` (which does
the same for rendered pages), used by :func:`emergence_atlas.builder.pages.generate_pages`
when the MkDocs plugin asks for it (``mkdocs serve`` rebuilds in the same process).
The downloads are written record by record (:mod:`emergence_atlas.export` joins the
texts of the records into the same bytes as a whole-document dump), and each
record's text depends on known inputs only:

- a curve's ``curves.json`` object (with its thresholds under the ``chance-margin``
  rule) and its ``curves.csv`` rows: the curve and the model registry;
- an entry's ``catalog.json`` object and ``catalog.csv`` row, and its evidence
  (:meth:`emergence_atlas.catalog.Catalog.evidence`): the entry, the model registry
  and the curves that name the entry.

Each text is kept under a fingerprint of those inputs (:func:`emergence_atlas.builder.memo.fingerprint`
of the records' content), so an edit to one entry recomputes that entry's texts
and evidence and reuses every other. The records are frozen models; the
fingerprint of a record object is computed once and kept with the object (which
the memo holds, so its id cannot be reused) for as long as the generations use it.
Only the last generation's values are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..catalog import Catalog
from ..export import (
    DOWNLOADS,
    curve_csv_text,
    curve_json,
    entry_csv_text,
    entry_json,
    render,
    to_csv,
    to_curves_csv,
    to_curves_json,
    to_json,
)
from ..schema.models import AbilityEntry, Curve
from .memo import GenerationMemo, fingerprint

T = TypeVar("T")


class DerivedMemo(GenerationMemo):
    """Per-record texts and evidence by fingerprint of their inputs, kept from one generation to the next.

    ``computed`` names what the last generation computed (``"curves.json:<curve id>"``,
    ``"evidence:<entry id>"`` and so on), ``reused`` counts what it took from the
    previous one: the tests read both. Record fingerprints are kept across
    generations too, by record object.
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[int, tuple[object, str | None]] = {}
        self._next_keys: dict[int, tuple[object, str | None]] = {}

    def start(self) -> None:
        """Begin a generation."""
        super().start()
        self._next_keys = {}

    def finish(self) -> None:
        """End a generation: keep only what it used."""
        super().finish()
        self._keys, self._next_keys = self._next_keys, {}

    def key_of(self, record: object) -> str | None:
        """The content fingerprint of one frozen record, computed once per record object.

        Also for a value that is not changed once made, such as a figure many pages of one
        generation share (:meth:`emergence_atlas.builder.pages._Site.key_of`).
        """
        found = self._keys.get(id(record)) or self._next_keys.get(id(record))
        if found is None or found[0] is not record:
            found = (record, fingerprint(record))
        self._next_keys[id(record)] = found
        return found[1]

    def inputs(self, *parts: object) -> str | None:
        """A fingerprint of record fingerprints (and plain values); None when one record cannot be fingerprinted."""
        if any(part is None for part in parts):
            return None
        return fingerprint(parts)

    def derived(self, kind: str, name: str, key: str | None, compute: Callable[[], T]) -> T:
        """The ``kind`` value of record ``name`` with inputs ``key``: reused when computed before, else computed."""
        return self.get(f"{kind}:{name}", None if key is None else f"{kind}\0{key}", compute)

    # -- the catalog's derived values ------------------------------------------------
    def _registry(self, catalog: Catalog) -> str | None:
        keys = [self.key_of(family) for family in catalog.families.values()]
        return None if any(k is None for k in keys) else self.inputs("registry", *keys)

    def _entry_keys(self, catalog: Catalog, registry: str | None) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for entry in catalog:
            curves = [self.key_of(curve) for curve in catalog.curves_of(entry)]
            out[entry.id] = self.inputs("entry", self.key_of(entry), registry, *curves)
        return out

    def _curve_keys(self, catalog: Catalog, registry: str | None) -> dict[str, str | None]:
        return {cid: self.inputs("curve", self.key_of(curve), registry) for cid, curve in catalog.curves.items()}

    def evidence(self, catalog: Catalog) -> None:
        """Give ``catalog`` the evidence of every entry: reused for an entry whose inputs did not change."""
        keys = self._entry_keys(catalog, self._registry(catalog))

        def compute(entry: AbilityEntry) -> Callable[[], Any]:
            return lambda: catalog.evidence(entry)

        catalog.preset_evidence({e.id: self.derived("evidence", e.id, keys[e.id], compute(e)) for e in catalog})

    def downloads(self, catalog: Catalog) -> dict[str, bytes]:
        """The site's download files (:data:`emergence_atlas.export.DOWNLOADS`), record texts reused by inputs."""
        registry = self._registry(catalog)
        entries, curves = self._entry_keys(catalog, registry), self._curve_keys(catalog, registry)

        def entry_part(kind: str, text: Callable[[Catalog, AbilityEntry], str]) -> Callable[[Any], str]:
            return lambda e: self.derived(kind, e.id, entries[e.id], lambda: text(catalog, e))

        def curve_part(kind: str, text: Callable[[Catalog, Curve], str]) -> Callable[[Any], str]:
            return lambda c: self.derived(kind, c.id, curves[c.id], lambda: text(catalog, c))

        writers: dict[str, Callable[[], str]] = {
            "json": lambda: to_json(catalog, entry_part("catalog.json", entry_json)),
            "csv": lambda: to_csv(catalog, entry_part=entry_part("catalog.csv", entry_csv_text)),
            "curves-json": lambda: to_curves_json(catalog, curve_part("curves.json", curve_json)),
            "curves-csv": lambda: to_curves_csv(catalog, curve_part("curves.csv", curve_csv_text)),
        }
        return {f"downloads/{name}": (writers[fmt]() if fmt in writers else render(catalog, fmt)).encode("utf-8")
                for name, fmt in DOWNLOADS.items()}


#: The memo the site build uses (module level: it outlives ``mkdocs serve``'s plugin instances).
DERIVED = DerivedMemo()

__all__ = ["DERIVED", "DerivedMemo"]
