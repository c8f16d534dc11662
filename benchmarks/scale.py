"""Benchmark: the library's steps on synthetic catalogs of 100, 1,000 and 10,000 entries.

For each size: `lint`, `load()` and `export` (json), with peak memory, each in a
fresh process. (Site builds at these sizes, cold, warm and after a one-entry edit,
against plain Material: benchmarks/site_build.py.) Prints a table and writes it to
benchmarks/results/scale.md, which the site's Performance page includes. Prints
figures; asserts nothing.

    python benchmarks/scale.py [--sizes 100 1000 10000] [--entries-per-curve 100]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from site_build import timed  # noqa: E402
from synthetic import write_catalog  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--entries-per-curve", type=int, default=100)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "scale.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"n{n}"
            root = write_catalog(folder / "catalog", n, entries_per_curve=args.entries_per_curve)
            lint = timed(f"from emergence_atlas.cli import main; main(['lint', {str(root)!r}])")
            load = timed(f"import emergence_atlas; emergence_atlas.load({str(root)!r})")
            export = timed(f"from emergence_atlas.cli import main; main(['export', '--format', 'json', '--root', "
                           f"{str(root)!r}, '-o', {str(folder / 'catalog.json')!r}])")
            rows.append({"entries": n, "lint": lint, "load": load, "export": export})
            print(f"{n} entries done", flush=True)
    lines = ["| entries | lint s | load() s | export s | peak MiB (lint, load, export) |",
             "| ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        peak = max(r[k]["peak_mib"] for k in ("lint", "load", "export"))
        lines.append(f"| {r['entries']:,} | {r['lint']['seconds']:.2f} | {r['load']['seconds']:.2f} | "
                     f"{r['export']['seconds']:.2f} | {peak:.0f} |")
    for a, b in itertools.pairwise(rows):
        factor = b["entries"] / a["entries"]
        lines.append("")
        lines.append(f"{a['entries']:,} -> {b['entries']:,} entries ({factor:.0f}x): lint x"
                     f"{b['lint']['seconds'] / a['lint']['seconds']:.1f}, "
                     f"load x{b['load']['seconds'] / a['load']['seconds']:.1f}, "
                     f"export x{b['export']['seconds'] / a['export']['seconds']:.1f}")
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    args.out.write_text(f"Measured on {stamp} with `python benchmarks/scale.py --sizes "
                        f"{' '.join(map(str, args.sizes))} --entries-per-curve {args.entries_per_curve}` "
                        f"on a 2-core machine.\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
