"""Benchmark: site builds against a plain Material site of the same shape, at several catalog sizes.

For the real catalog and for synthetic catalogs (``--sizes``, default 1,000 and
10,000 entries), each build in a fresh process:

- **cold**: empty cache folder (no build cache, no HTML cache, no plot or parse cache);
- **warm**: the same inputs again, with the cache the cold build left;
- **edit**: one entry's description changed, then built with that cache (a new
  process, so only the on-disk caches help: what a contributor's next `mkdocs build`
  costs);
- **plain**: a plain MkDocs Material site with the same number of Markdown pages, of
  the same sizes, in the same places, with the same nav (built twice, best kept).

Prints a table and writes it to benchmarks/results/site_build.md (the Performance
page includes it). Prints figures; asserts nothing.

With ``--zensical``, also the real site built by Zensical from the assembled docs
folder (``emergence-atlas docs``, then ``zensical build``), each step timed in a
fresh process with the plot cache a MkDocs build left, against a warm MkDocs
build; written to benchmarks/results/zensical.md. (``--no-real --sizes --zensical``
runs only that.)

    python benchmarks/site_build.py [--sizes 1000 10000] [--no-real] [--repeat 1] [--zensical]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

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


def mkdocs_build(config: Path, out: Path, cache: Path | None = None) -> dict:
    """``mkdocs build --strict`` in a fresh process (with ``cache`` as the plugin's cache folder)."""
    env = {"EMERGENCE_ATLAS_CACHE": str(cache)} if cache is not None else {}
    return timed(f"from mkdocs.__main__ import cli; cli(['build', '--strict', '-q', '-f', {str(config)!r}, "
                 f"'-d', {str(out)!r}])", env)


def plain_site(folder: Path, catalog_root: Path) -> tuple[Path, int]:
    """A plain Material site whose pages mirror the generated ones in number, place and size."""
    from emergence_atlas.build import load_catalog
    from emergence_atlas.builder.pages import generate_pages

    pages = {k: v for k, v in generate_pages(load_catalog(catalog_root)).items() if k.endswith(".md")}
    docs = folder / "docs"
    for src in (REPO / "site").rglob("*"):
        if src.is_file() and src.suffix == ".md":
            target = docs / src.relative_to(REPO / "site")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"# {src.stem}\n\n" + "Plain text. " * (len(src.read_bytes()) // 12), encoding="utf-8")
    for path, body in pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        words = max(1, len(body) // 12)
        target.write_text(f"# Page {path}\n\n" + "Plain text here. " * (words // 2) + "\n", encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: site", f"docs_dir: {docs}")
    config = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", config)
    lines, skip = [], False
    for line in config.splitlines():
        if line.startswith("  - mkdocstrings:") or line.startswith("  - emergence-atlas:"):
            skip = True
            continue
        if skip and line.startswith("      "):
            continue
        skip = False
        if "pymdownx.snippets" in line or "check_paths" in line:
            continue
        lines.append(line)
    path = folder / "mkdocs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(pages)


def real_config(folder: Path, catalog_root: Path) -> Path:
    """The real mkdocs.yml, reading the catalog at ``catalog_root`` (a copy the benchmark may edit)."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site", f"docs_dir: {REPO / 'site'}")
    text = text.replace("catalog: catalog", f"catalog: {catalog_root}")
    text = text.replace("paths: [src]", f"paths: [{REPO / 'src'}]")
    text = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", text)
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def synthetic_config(root: Path, folder: Path) -> Path:
    """A site of the generated pages of the catalog at ``root`` (the hand-written pages link to real entries)."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
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


def edit_one_entry(root: Path, marker: str) -> Path:
    """Append ``marker`` to the description of the first entry (by name): a one-line or a folded (``>-``) one."""
    patterns = (r"^(description: [^>|'\"\n].*)$", r"^(description: >-?\n  .*)$")
    for path in sorted((root / "abilities").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            text, n = re.subn(pattern, lambda m: f"{m.group(1)} {marker}", text, count=1, flags=re.MULTILINE)
            if n == 1:
                path.write_text(text, encoding="utf-8")
                return path
    raise SystemExit(f"{root}: no entry with a description to edit")


def measure(name: str, root: Path, config: Path, folder: Path, repeat: int) -> dict:
    """Cold, warm, one-entry edit and plain builds of one site; the best of ``repeat`` runs each."""
    plain_config, n_pages = plain_site(folder / "plain", root)
    runs: dict[str, list[dict]] = {"cold": [], "warm": [], "edit": [], "plain": []}
    for i in range(repeat):
        cache = folder / f"cache{i}"
        runs["cold"].append(mkdocs_build(config, folder / "out", cache))
        runs["warm"].append(mkdocs_build(config, folder / "out", cache))
        edit_one_entry(root, f"(edit {i})")
        runs["edit"].append(mkdocs_build(config, folder / "out", cache))
        for _ in range(2):
            runs["plain"].append(mkdocs_build(plain_config, folder / "plain-out"))
        shutil.rmtree(cache, ignore_errors=True)
    entries = len(list((root / "abilities").glob("*.yaml")))
    best = {k: min(r["seconds"] for r in v) for k, v in runs.items()}
    peak = max(r["peak_mib"] for k, v in runs.items() if k != "plain" for r in v)
    return {"site": name, "entries": entries, "pages": n_pages, **best, "peak": peak}


def table(rows: list[dict]) -> str:
    lines = ["| site | entries | generated pages | cold s | warm s | one-entry edit s | plain Material s | "
             "cold / plain | warm / plain | edit / plain | peak MiB |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['site']} | {r['entries']:,} | {r['pages']:,} | {r['cold']:.1f} | {r['warm']:.1f} | "
                     f"{r['edit']:.1f} | {r['plain']:.1f} | {r['cold'] / r['plain']:.2f} | "
                     f"{r['warm'] / r['plain']:.2f} | {r['edit'] / r['plain']:.2f} | {r['peak']:.0f} |")
    synthetic = [r for r in rows if r["site"] == "synthetic"]
    for a, b in itertools.pairwise(synthetic):
        factor = b["entries"] / a["entries"]
        lines.append("")
        lines.append(f"{a['entries']:,} -> {b['entries']:,} entries ({factor:.0f}x): cold x{b['cold'] / a['cold']:.1f}, "
                     f"warm x{b['warm'] / a['warm']:.1f}, edit x{b['edit'] / a['edit']:.1f}, "
                     f"plain x{b['plain'] / a['plain']:.1f}")
    lines.append("")
    lines.append("Goals: cold / plain <= 2.0, warm / plain <= 1.2.")
    return "\n".join(lines) + "\n"


def zensical_table(tmp: Path, repeat: int) -> str:
    """The real site through Zensical: assemble the docs folder, then build it (best of ``repeat``)."""
    cache = tmp / "zensical-cache"
    mkdocs_build(REPO / "mkdocs.yml", tmp / "zensical-mkdocs", cache)  # fills the plot cache
    docs = tmp / "zensical" / "docs"
    env = {"EMERGENCE_ATLAS_CACHE": str(cache)}
    assemble, engine, plain = [], [], []
    for _ in range(repeat):
        assemble.append(timed("from emergence_atlas.cli import main; "
                              f"main(['docs', {str(docs)!r}, '--cache', {str(cache / 'plots')!r}])", env)["seconds"])
        engine.append(timed("import sys; from zensical.main import cli; "
                            f"sys.argv = ['zensical', 'build', '--strict', '-f', {str(docs.with_name('docs.yml'))!r}]; cli()",
                            env)["seconds"])
        plain.append(mkdocs_build(REPO / "mkdocs.yml", tmp / "zensical-mkdocs", cache)["seconds"])
    rows = [("emergence-atlas docs (warm plot cache)", min(assemble)), ("zensical build --strict", min(engine)),
            ("Zensical, both steps", min(assemble) + min(engine)), ("mkdocs build --strict (warm)", min(plain))]
    return ("| real site through | best s |\n| --- | ---: |\n"
            + "".join(f"| {name} | {value:.1f} |\n" for name, value in rows))


def main() -> None:
    from synthetic import write_catalog

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--no-real", action="store_true", help="leave out the real catalog")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--entries-per-curve", type=int, default=100)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "site_build.md")
    parser.add_argument("--zensical", action="store_true", help="also time the real site built by Zensical")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_real:
            folder = Path(tmp) / "real"
            root = folder / "catalog"
            shutil.copytree(REPO / "catalog", root)
            rows.append(measure("real catalog", root, real_config(folder, root), folder, args.repeat))
            print(table(rows[-1:]), flush=True)
        for n in args.sizes:
            folder = Path(tmp) / f"n{n}"
            root = write_catalog(folder / "catalog", n, entries_per_curve=args.entries_per_curve)
            rows.append(measure("synthetic", root, synthetic_config(root, folder), folder, args.repeat))
            print(table(rows[-1:]), flush=True)
        zensical = zensical_table(Path(tmp), args.repeat) if args.zensical else ""
    text = table(rows)
    print(text)
    if zensical:
        print(zensical)
        stamp = time.strftime("%Y-%m-%d", time.gmtime())
        (HERE / "results" / "zensical.md").write_text(
            f"Measured on {stamp} with `python benchmarks/site_build.py --zensical --repeat {args.repeat}` on a shared "
            f"2-core machine; each step is one fresh process.\n\n{zensical}", encoding="utf-8")
    if not rows:
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    sizes = " ".join(map(str, args.sizes))
    args.out.write_text(f"Measured on {stamp} with `python benchmarks/site_build.py --sizes {sizes}"
                        f"{' --no-real' if args.no_real else ''} --repeat {args.repeat}` on a shared 2-core "
                        f"machine; each build is one fresh process.\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
