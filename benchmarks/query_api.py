"""Benchmark: the query API's typical calls on the real catalog (filters, groups, scale views, tables).

Loads the catalog once, then times each call over many repeats and prints the
mean per call. Prints figures, asserts nothing.

    python benchmarks/query_api.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def per_call_ms(call: Callable[[], Any], repeat: int) -> float:
    call()  # warm the catalog's caches first
    start = time.perf_counter()
    for _ in range(repeat):
        call()
    return 1000 * (time.perf_counter() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    import emergence_atlas

    catalog = emergence_atlas.load(REPO / "catalog")
    entry = catalog["arithmetic-3-digit-gpt-3-13b"]
    calls: list[tuple[str, Callable[[], Any], int]] = [
        ("filter(flops=..., category=...)", lambda: catalog.filter(flops=(None, 1e23), category="few_shot_prompting"),
         args.repeat),
        ("filter(family='PaLM', size='540b')", lambda: catalog.filter(family="PaLM", size="540b"), args.repeat),
        ("filter(text='arithmetic')", lambda: catalog.filter(text="arithmetic"), args.repeat),
        ("filter(contested_by=...)", lambda: catalog.filter(contested_by="schaeffer2023are"), args.repeat),
        ("filter(loss=(None, 2.5))", lambda: catalog.filter(loss=(None, 2.5)), args.repeat),
        ("filter(family='palm').group_by('size')", lambda: catalog.filter(family="palm").group_by("size"), args.repeat),
        ("scale(entry)", lambda: catalog.scale(entry), args.repeat * 10),
        ("scale(entry, view='as_printed')", lambda: catalog.scale(entry, view="as_printed"), args.repeat * 10),
        ("models_records()", catalog.models_records, max(1, args.repeat // 10)),
        ("curves_records()", catalog.curves_records, max(1, args.repeat // 50)),
    ]
    print(f"{len(catalog)} entries, {len(catalog.families)} families, {len(catalog.curves)} curves")
    print(f"{'call':<42} {'ms per call':>12}")
    for name, call, repeat in calls:
        print(f"{name:<42} {per_call_ms(call, repeat):>12.3f}")


if __name__ == "__main__":
    main()
