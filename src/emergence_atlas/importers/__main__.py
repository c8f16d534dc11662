"""``python -m emergence_atlas.importers <format> <input-path> [--out DIR]``: run one importer.

The runner of the import step: it calls the format's importer on the input path,
prints how each known artifact was handled, and writes the curves with :mod:`.writer`.
Exit status 0 on success, 2 for bad arguments or an input the importer cannot read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import FORMATS, importer
from .common import InputError
from .writer import write_curves


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emergence_atlas.importers",
                                     description="Import third-party scaling-curve data into catalog/curves.")
    parser.add_argument("format", choices=sorted(FORMATS), help="source format")
    parser.add_argument("input", type=Path, help="the source's data folder (or one of its files)")
    parser.add_argument("--out", type=Path, default=Path("catalog/curves"), help="folder of the curve files")
    parser.add_argument("--dry-run", action="store_true", help="import and report, write nothing")
    args = parser.parse_args(argv)
    module = importer(args.format)
    try:
        result = module.import_path(args.input)
    except (InputError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in result.log:
        print(line)
    series = sum(len(c["series"]) for c in result.curves)
    points = sum(len(s["points"]) for c in result.curves for s in c["series"])
    if not args.dry_run:
        write_curves(result.curves, args.out, importer=module.__name__, inputs=result.inputs)
    print(f"{args.format}: {len(result.curves)} curves, {series} series, {points} points"
          + ("" if args.dry_run else f" written to {args.out}"))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
