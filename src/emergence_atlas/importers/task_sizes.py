"""Task sizes: the number of test items of BIG-bench tasks, written into the entries that use them.

Part of the import step, for entries rather than curves. Reads BIG-bench's task
table (a CSV with one row per task and its ``n_examples``, built from the task
files of the ``bigbench`` package; the path is an argument) and gives every
BIG-Bench entry without ``task.items`` that count, with its provenance. The
margin that decides "clearly above chance" is sized from it (see
:mod:`emergence_atlas.thresholds`). Entries that already state ``items`` are left
alone; running twice changes nothing.

Usage: ``python -m emergence_atlas.importers.task_sizes TASKS_CSV ABILITIES_DIR``
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from ..fileio import write_atomic

SOURCE_KEY = "srivastava2023beyond"
_TASK_BLOCK = re.compile(r"^task:\n((?:  .*\n)+)", re.MULTILINE)


def read_sizes(tasks_csv: Path) -> dict[str, int]:
    """Task name -> number of examples, for rows that state one."""
    with tasks_csv.open(newline="", encoding="utf-8") as handle:
        return {row["task"]: int(row["n_examples"]) for row in csv.DictReader(handle) if row.get("n_examples")}


def with_items(text: str, sizes: dict[str, int]) -> str | None:
    """The entry text with ``task.items`` added, or None when nothing applies."""
    block = _TASK_BLOCK.search(text)
    if block is None:
        return None
    body = block.group(1)
    if "\n  items:" in "\n" + body or "  benchmark: BIG-Bench\n" not in body:
        return None
    name = re.search(r"^  name: (\S+)\n", body, re.MULTILINE)
    if name is None or name.group(1) not in sizes:
        return None
    task = name.group(1)
    lines = (f"  items:\n    value: {sizes[task]}\n"
             f"    source: {{key: {SOURCE_KEY}, locator: \"task data of {task}, all examples (bigbench 1.0.0 package)\", "
             f"evidence: full_text}}\n")
    anchor = re.search(r"^  answer_format: .*\n", body, re.MULTILINE) or name
    insert_at = block.start(1) + anchor.end()
    return text[:insert_at] + lines + text[insert_at:]


def main(argv: list[str] | None = None) -> int:
    """Add ``task.items`` to BIG-Bench entries; print how many files changed."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m emergence_atlas.importers.task_sizes TASKS_CSV ABILITIES_DIR", file=sys.stderr)
        return 2
    sizes = read_sizes(Path(args[0]))
    changed = 0
    for path in sorted(Path(args[1]).glob("*.yaml")):
        new = with_items(path.read_text(encoding="utf-8"), sizes)
        if new is not None:
            write_atomic(path, new.encode("utf-8"))
            changed += 1
    print(f"{changed} entries given task.items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
