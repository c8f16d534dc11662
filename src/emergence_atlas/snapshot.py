"""Compiled catalog: a validated catalog saved as one JSON file, and read back fast.

A side path of the flow, for the installed package: building the wheel runs the
full loader and linter once, then writes this snapshot into the wheel, so that
``emergence_atlas.load()`` after ``pip install`` reads one JSON file instead of
hundreds of YAML files and the BibTeX parser. The snapshot holds the validated
records; reading it re-validates them with pydantic (cheap) and re-derives the
scales, so a snapshot can never hold a value the schema would reject.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ._version import __version__
from .catalog import Catalog, CatalogFiles, find_size, resolve_scale
from .references import Reference
from .schema.models import AbilityEntry, Curve, ModelFamily

#: Bumped when the snapshot layout changes.
SNAPSHOT_FORMAT = 1
#: File name of the snapshot inside the installed package.
SNAPSHOT_NAME = "_catalog.snapshot.json"


def to_snapshot(catalog: Catalog) -> bytes:
    """The catalog as snapshot JSON bytes (deterministic)."""
    root = catalog.root

    def rel(path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()

    data = {
        "format": SNAPSHOT_FORMAT,
        "version": __version__,
        "entries": [e.model_dump(mode="json", exclude_defaults=True) for e in catalog],
        "families": [f.model_dump(mode="json", exclude_defaults=True) for f in catalog.families.values()],
        # curves are the bulk of the data: kept as an embedded JSON text, parsed on first use
        "curves": json.dumps([c.model_dump(mode="json", exclude_defaults=True) for c in catalog.curves.values()],
                             ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        "references": [asdict(r) for r in catalog.references.values()],
        "files": {
            "entries": {k: rel(v) for k, v in sorted(catalog.files.entries.items())},
            "families": {k: rel(v) for k, v in sorted(catalog.files.families.items())},
            "curves": {k: rel(v) for k, v in sorted(catalog.files.curves.items())},
            "bibliography": rel(catalog.files.bibliography) if catalog.files.bibliography else None,
        },
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def from_snapshot(raw: bytes, root: Path) -> Catalog:
    """Rebuild a :class:`Catalog` from snapshot bytes; ``root`` anchors the recorded file paths."""
    data: dict[str, Any] = json.loads(raw)
    if data.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"unsupported catalog snapshot format {data.get('format')!r}")
    entries = [AbilityEntry.model_validate(e) for e in data["entries"]]
    families = {f["id"]: ModelFamily.model_validate(f) for f in data["families"]}
    curves_text: str = data["curves"]

    def read_curves() -> dict[str, Curve]:
        return {c["id"]: Curve.model_validate(c) for c in json.loads(curves_text)}
    references = {r["key"]: Reference(**r) for r in data["references"]}
    scales = {}
    for entry in entries:
        family = families.get(entry.model.family)
        scales[entry.id] = resolve_scale(entry, find_size(family, entry.model.size) if family else None)
    files = data["files"]
    catalog_files = CatalogFiles(
        entries={k: root / v for k, v in files["entries"].items()},
        families={k: root / v for k, v in files["families"].items()},
        curves={k: root / v for k, v in files["curves"].items()},
        bibliography=root / files["bibliography"] if files["bibliography"] else None,
    )
    return Catalog(root, entries, families, references, read_curves, scales, catalog_files, [])


def snapshot_path() -> Path:
    """Where the installed package keeps its snapshot."""
    return Path(__file__).resolve().parent / SNAPSHOT_NAME
