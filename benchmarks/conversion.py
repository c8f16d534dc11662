"""Benchmark: converting the generated pages' Markdown, whole and with their raw HTML blocks set aside.

What a first site build spends per generated page in Python-Markdown (with the
extensions of mkdocs.yml, MkDocs' defaults included) and in MkDocs' own anchor pass
over the page's HTML, once as MkDocs does it and once with the blocks set aside by
:mod:`emergence_atlas.builder.rawblocks` (then put back and their anchors read).
The real catalog by default, or a synthetic one (``--synthetic N``, every ``--every``
page). Checks that both ways give the same HTML and anchors; prints figures, asserts
no timing.

    python benchmarks/conversion.py [--synthetic 10000 --every 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(REPO / "src"))


def main() -> None:
    import markdown
    from mkdocs.config import load_config
    from mkdocs.structure.pages import _HTMLHandler
    from mkdocs.utils import meta
    from synthetic import write_catalog

    from emergence_atlas.build import load_catalog
    from emergence_atlas.builder.pages import generate_pages_deferred
    from emergence_atlas.builder.rawblocks import anchor_ids, put_back, set_aside

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=0, help="entries of a synthetic catalog (0: the real one)")
    parser.add_argument("--every", type=int, default=1, help="convert every N-th page")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = write_catalog(Path(tmp) / "catalog", args.synthetic) if args.synthetic else REPO / "catalog"
        pages, _plots = generate_pages_deferred(load_catalog(root), start_plots=False)
    texts = [meta.get_data(data.decode("utf-8"))[0] for uri, data in sorted(pages.items()) if uri.endswith(".md")]
    texts = texts[::args.every]
    config = load_config(str(REPO / "mkdocs.yml"))
    options = {name: dict(value) for name, value in (config["mdx_configs"] or {}).items()}
    options.setdefault("pymdownx.snippets", {})["base_path"] = [str(REPO)]

    def anchors(text: str) -> set[str]:
        parser = _HTMLHandler()
        parser.feed(text)
        parser.close()
        return set(parser.present_anchor_ids)

    def whole(text: str) -> tuple[str, set[str]]:
        converter = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=options)
        return converter.convert(text), anchors(text)

    def aside_way(text: str) -> tuple[str, set[str]]:
        aside = set_aside(text)
        if aside is None:
            return whole(text)
        converter = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=options)
        restored = put_back(converter.convert(aside.markdown), aside)
        return (restored if restored is not None else whole(text)[0]), anchor_ids(aside) | anchors(aside.markdown)

    for text in texts:
        if whole(text) != aside_way(text):
            raise SystemExit("the two ways differ: see tests/test_rawblocks.py")
    best = {}
    for name, way in (("whole", whole), ("set aside", aside_way)):
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for text in texts:
                way(text)
            runs.append(time.perf_counter() - start)
        best[name] = min(runs)
    size = sum(len(t) for t in texts) / 1e6
    label = f"synthetic {args.synthetic:,} entries, every {args.every}. page" if args.synthetic else "real catalog"
    print(f"{label}: {len(texts)} pages, {size:.1f} MB of Markdown, best of {args.repeat}, one process")
    print(f"  converted whole      {best['whole']:6.2f} s")
    print(f"  blocks set aside     {best['set aside']:6.2f} s  ({best['whole'] / best['set aside']:.1f}x faster)")


if __name__ == "__main__":
    main()
