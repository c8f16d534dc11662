"""Benchmark: the real site's build time against a plain Material site of the same shape.

Builds the real catalog's site (`mkdocs build --strict`) cold (empty plot cache)
and warm (cache filled), and a plain MkDocs Material site with the same number of
hand-written Markdown pages of the same sizes, the same nav and the same pages
kept out of the nav; prints both times and their ratios. Prints figures, asserts
nothing. With ``--zensical``, also times the same site with Zensical: assembling
the docs folder (``emergence-atlas docs``, warm plot cache) and ``zensical build``.

    python benchmarks/site_build.py [--repeat 3] [--catalog catalog] [--zensical]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def build(config: Path, out: Path, cache: Path | None = None) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache is not None:
        env["EMERGENCE_ATLAS_PLOT_CACHE"] = str(cache)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(out)],
                            capture_output=True, text=True, env=env, cwd=REPO, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return elapsed


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


def zensical_times(tmp: Path, cache: Path, repeat: int) -> None:
    """Print the time to assemble the docs folder and to build it with Zensical (warm plot cache)."""
    docs = tmp / "zensical" / "docs"
    assemble, engine = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "emergence_atlas", "docs", str(docs), "--cache", str(cache)],
                                capture_output=True, text=True, cwd=REPO, check=False)
        assemble.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(result.stderr[-3000:])
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(docs.with_name("docs.yml"))],
                                capture_output=True, text=True, cwd=REPO, check=False)
        engine.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(result.stdout[-3000:] + result.stderr[-3000:])
    for name, values in (("emergence-atlas docs (warm)", assemble), ("zensical build", engine)):
        print(f"{name:<28} {min(values):>7.2f} {'  '.join(f'{v:.2f}' for v in values):>24}")
    print(f"{'Zensical, both steps':<28} {min(assemble) + min(engine):>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--catalog", type=Path, default=REPO / "catalog")
    parser.add_argument("--zensical", action="store_true", help="also time the Zensical build of the docs folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain_config, n_generated = plain_site(tmp / "plain", args.catalog)
        real_config = REPO / "mkdocs.yml"
        cold, warm, plain = [], [], []
        for i in range(args.repeat):
            cache = tmp / f"cache{i}"
            cold.append(build(real_config, tmp / "out-cold", cache))
            warm.append(build(real_config, tmp / "out-warm", cache))
            plain.append(build(plain_config, tmp / "out-plain"))
            shutil.rmtree(cache, ignore_errors=True)
        html_pages = sum(1 for _ in (tmp / "out-warm").rglob("*.html"))
    best = {name: min(values) for name, values in (("cold", cold), ("warm", warm), ("plain", plain))}
    print(f"generated Markdown pages: {n_generated}; HTML pages in the built site: {html_pages}")
    print(f"{'build':<28} {'best s':>7} {'all runs (s)':>24}")
    for name, values in (("real site, cold plot cache", cold), ("real site, warm plot cache", warm),
                         ("plain Material, same pages", plain)):
        print(f"{name:<28} {min(values):>7.2f} {'  '.join(f'{v:.2f}' for v in values):>24}")
    print(f"ratio cold / plain: {best['cold'] / best['plain']:.2f}  (goal <= 2.0)")
    print(f"ratio warm / plain: {best['warm'] / best['plain']:.2f}  (goal <= 1.2)")
    if args.zensical:
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "cache"
            build(REPO / "mkdocs.yml", Path(tmp) / "out", cache)  # fills the plot cache
            zensical_times(Path(tmp), cache, args.repeat)


if __name__ == "__main__":
    main()
