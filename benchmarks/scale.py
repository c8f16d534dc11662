"""Benchmark: the whole pipeline on synthetic catalogs of 100, 1,000 and 10,000 entries.

For each size: `lint`, `load()`, `export` (json), cold and warm site builds, a plain
MkDocs Material site with the same pages, and peak memory, each in a fresh process.
Prints a table and writes it to benchmarks/results/scale.md, which the site's
Performance page includes. Prints figures; asserts nothing.

    python benchmarks/scale.py [--sizes 100 1000 10000] [--entries-per-curve 100]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from site_build import plain_site  # noqa: E402
from synthetic import write_catalog  # noqa: E402

_PEAK = """
import json, runpy, sys, time
start = time.perf_counter()
code = 0
try:
    {body}
except SystemExit as done:
    code = done.code or 0
elapsed = time.perf_counter() - start
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({{"seconds": elapsed, "peak_mib": peak, "code": code}}), file=sys.stderr)
"""


def timed(body: str, env: dict | None = None, cwd: Path = REPO) -> dict:
    """Run a Python snippet in a fresh process; return its time and peak memory."""
    result = subprocess.run([sys.executable, "-c", _PEAK.format(body=body)], capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, cwd=cwd, check=False)
    line = [x for x in result.stderr.splitlines() if x.startswith("{")]
    if not line:
        raise SystemExit(result.stderr[-3000:])
    data = json.loads(line[-1])
    if data["code"] not in (0, None):
        raise SystemExit(f"failed: {body}\n{result.stderr[-3000:]}")
    return data


def site_config(root: Path, folder: Path) -> Path:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    import shutil

    shutil.copytree(REPO / "site" / "assets", docs / "assets", dirs_exist_ok=True)
    for page in ("methodology", "contributing", "downloads", "debates"):
        (docs / f"{page}.md").write_text(f"# {page}\n", encoding="utf-8")
    head = text[: text.index("\nnav:")].replace("docs_dir: site", f"docs_dir: {docs}")
    head = head.replace("catalog: catalog", f"catalog: {root}")
    head = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", head)
    head = head.replace("\n  - mkdocstrings:\n      default_handler: python\n      handlers:\n        python:\n"
                        "          paths: [src]\n          options:\n            docstring_style: google\n"
                        "            show_signature_annotations: true\n            separate_signature: true", "")
    nav = ["index.md", "abilities/index.md", "models/index.md", "strategies/index.md", "references/index.md",
           "methodology.md", "contributing.md", "downloads.md", "debates.md"]
    config = folder / "mkdocs.yml"
    config.write_text(head + "\nnav:\n" + "".join(f"  - {p}\n" for p in nav), encoding="utf-8")
    return config


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
            config = site_config(root, folder)
            cache = folder / "cache"
            build = (f"from mkdocs.__main__ import cli; cli(['build', '--strict', '-q', '-f', {str(config)!r}, "
                     f"'-d', {str(folder / 'site')!r}])")
            env = {"EMERGENCE_ATLAS_CACHE": str(cache), "EMERGENCE_ATLAS_PLOT_CACHE": str(cache / "plots")}
            cold = timed(build, env)
            warm = timed(build, env)
            plain_config, _ = plain_site(folder / "plain", root)
            plain = timed(f"from mkdocs.__main__ import cli; cli(['build', '--strict', '-q', '-f', "
                          f"{str(plain_config)!r}, '-d', {str(folder / 'plain-site')!r}])")
            rows.append({"entries": n, "lint": lint, "load": load, "export": export, "cold": cold, "warm": warm,
                         "plain": plain})
            print(f"{n} entries done", flush=True)
    lines = ["| entries | lint s | load() s | export s | site cold s | site warm s | plain Material s | "
             "warm / plain | peak MiB (build) |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['entries']:,} | {r['lint']['seconds']:.2f} | {r['load']['seconds']:.2f} | "
                     f"{r['export']['seconds']:.2f} | {r['cold']['seconds']:.1f} | {r['warm']['seconds']:.1f} | "
                     f"{r['plain']['seconds']:.1f} | {r['warm']['seconds'] / r['plain']['seconds']:.2f} | "
                     f"{max(r['cold']['peak_mib'], r['warm']['peak_mib']):.0f} |")
    for a, b in itertools.pairwise(rows):
        factor = b["entries"] / a["entries"]
        lines.append("")
        lines.append(f"{a['entries']:,} -> {b['entries']:,} entries ({factor:.0f}x): lint x"
                     f"{b['lint']['seconds'] / a['lint']['seconds']:.1f}, "
                     f"load x{b['load']['seconds'] / a['load']['seconds']:.1f}, "
                     f"export x{b['export']['seconds'] / a['export']['seconds']:.1f}, warm build x"
                     f"{b['warm']['seconds'] / a['warm']['seconds']:.1f}")
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    args.out.write_text(f"Measured on {stamp} with `python benchmarks/scale.py --sizes "
                        f"{' '.join(map(str, args.sizes))} --entries-per-curve {args.entries_per_curve}` "
                        f"on a 2-core machine.\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
