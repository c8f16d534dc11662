"""Benchmark: `emergence-atlas lint` on synthetic catalogs of 100, 1,000 and 10,000 entries.

Prints wall time and peak memory of a fresh `lint` process per size, and the time
per entry, so linear growth (or its absence) is visible. A benchmark, not a test:
it prints figures and asserts nothing.

    python benchmarks/lint_scale.py [--sizes 100 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_catalog

_CHILD = """
import resource, sys
from emergence_atlas.cli import main
try:
    main(["lint", sys.argv[1]])
except SystemExit as done:
    code = done.code
print("PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)
"""


def run_once(root: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one fresh process running `emergence-atlas lint ROOT`."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _CHILD, str(root)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    marker = [line for line in result.stderr.splitlines() if line.startswith("PEAK_KIB")]
    if not marker or marker[0].split()[2] != "0":
        raise SystemExit(f"lint failed on {root}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed, int(marker[0].split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'entries':>8} {'files':>7} {'best s':>8} {'median s':>9} {'ms/entry':>9} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            root = write_catalog(Path(tmp) / f"c{n}", n)
            files = sum(1 for _ in root.rglob("*.yaml")) + 1
            runs = [run_once(root) for _ in range(args.repeat)]
            times = sorted(t for t, _ in runs)
            peak = max(m for _, m in runs)
            print(f"{n:>8} {files:>7} {times[0]:>8.2f} {times[len(times) // 2]:>9.2f} "
                  f"{1000 * times[0] / n:>9.3f} {peak:>9.0f}")


if __name__ == "__main__":
    main()
