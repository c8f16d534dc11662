"""Benchmark: import + load() in a fresh process, peak memory, and a typical filter call.

For the real catalog (from the YAML checkout, and from the compiled snapshot the
wheel ships) and for a synthetic 10,000-entry catalog. Prints figures, asserts nothing.

    python benchmarks/package_load.py [--repeat 5] [--synthetic 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(REPO / "src"))
from synthetic import write_catalog  # noqa: E402

_CHILD = r"""
import json, sys, time

def peak_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

mode, root = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
import emergence_atlas
t1 = time.perf_counter()
if mode == "packaged":  # what load() reads by default (the installed wheel's snapshot)
    catalog = emergence_atlas.load()
elif mode == "snapshot":
    from pathlib import Path
    from emergence_atlas.snapshot import from_snapshot
    catalog = from_snapshot(Path(sys.argv[3]).read_bytes(), Path(root))
else:
    catalog = emergence_atlas.load(root)
t2 = time.perf_counter()
n = 200
t3 = time.perf_counter()
for _ in range(n):
    catalog.filter(flops=(None, 1e23), category="few_shot_prompting")
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "filter_ms": 1000 * (t4 - t3) / n,
                  "entries": len(catalog), "peak_mib": peak_mib()}))
"""


def measure(mode: str, root: Path, snapshot: Path | None, repeat: int, python: str = sys.executable) -> dict:
    """The best of ``repeat`` fresh processes of ``python``: import and load times (s), filter time, memory.

    ``mode``: ``yaml`` loads ``root``; ``snapshot`` reads the ``snapshot`` file; ``packaged``
    calls ``load()`` with no argument (``root`` unused), as a user of an installed wheel does.
    """
    runs = []
    for _ in range(repeat):
        args = [python, "-c", _CHILD, mode, str(root)] + ([str(snapshot)] if snapshot else [])
        out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
        runs.append(json.loads(out.stdout))
    best = min(runs, key=lambda r: r["import"] + r["load"])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=10000)
    args = parser.parse_args()
    from emergence_atlas.build import load_catalog
    from emergence_atlas.snapshot import to_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        real_snapshot = tmp / "real.json"
        real_snapshot.write_bytes(to_snapshot(load_catalog(REPO / "catalog")))
        synthetic = write_catalog(tmp / "synthetic", args.synthetic)
        synthetic_snapshot = tmp / "synthetic.json"
        synthetic_snapshot.write_bytes(to_snapshot(load_catalog(synthetic)))
        rows = [
            ("real catalog, compiled snapshot (wheel)", measure("snapshot", REPO / "catalog", real_snapshot, args.repeat)),
            ("real catalog, YAML checkout", measure("yaml", REPO / "catalog", None, args.repeat)),
            (f"synthetic {args.synthetic}, compiled snapshot", measure("snapshot", synthetic, synthetic_snapshot, args.repeat)),
            (f"synthetic {args.synthetic}, YAML", measure("yaml", synthetic, None, max(1, args.repeat // 2))),
        ]
    print(f"{'case':<42} {'entries':>7} {'import s':>9} {'load s':>7} {'total s':>8} {'filter ms':>10} {'peak MiB':>9}")
    for name, r in rows:
        print(f"{name:<42} {r['entries']:>7} {r['import']:>9.3f} {r['load']:>7.3f} {r['import'] + r['load']:>8.3f} "
              f"{r['filter_ms']:>10.3f} {r['peak_mib']:>9.0f}")
    print("goals: real catalog loaded in < 0.150 s; a filter in < 1 ms; 10,000 entries in < 3 s")


if __name__ == "__main__":
    main()
