"""The Python examples of a Markdown page and the output printed under each.

A ```python block may be followed by a ```text block (after a line ``Output:``):
the test suite runs the blocks in order, in one namespace, and checks that each
prints exactly that text. ``python tests/doc_examples.py site/python-api.md``
rewrites the output blocks from a fresh run (review the diff before committing).
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

_BLOCK = re.compile(r"```python\n(?P<code>.*?)```\n(?:\nOutput:\n\n```text\n(?P<out>.*?)```\n)?", re.S)


def examples(text: str) -> list[tuple[str, str | None]]:
    """``(code, expected output or None)`` for every python block, in page order."""
    return [(m["code"], m["out"]) for m in _BLOCK.finditer(text)]


def run(blocks: list[str]) -> list[str]:
    """What each block prints, running them in order in one namespace."""
    namespace: dict = {}
    outputs = []
    for code in blocks:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, "<example>", "exec"), namespace)
        outputs.append(buffer.getvalue())
    return outputs


def update(path: Path) -> None:
    """Rewrite the output blocks of a page from a fresh run."""
    text = path.read_text(encoding="utf-8")
    found = list(_BLOCK.finditer(text))
    outputs = run([m["code"] for m in found])
    pieces, last = [], 0
    for m, printed in zip(found, outputs, strict=True):
        pieces.append(text[last:m.start()])
        block = f"```python\n{m['code']}```\n"
        if printed:
            block += f"\nOutput:\n\n```text\n{printed}```\n"
        pieces.append(block)
        last = m.end()
    pieces.append(text[last:])
    path.write_text("".join(pieces), encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        update(Path(name))
