"""Synthetic catalogs of any size, for the benchmarks (valid data, made-up names).

``write_catalog(folder, n_entries)`` writes abilities/, models/, curves/ and
references.bib with families, references and curves in proportion to the entries.
"""

from __future__ import annotations

import random
from pathlib import Path

SIZES = [("1B", 1e9), ("10B", 1e10), ("100B", 1e11)]


def write_catalog(folder: Path, n_entries: int, *, seed: int = 0, entries_per_curve: int = 10) -> Path:
    """Write a valid synthetic catalog with ``n_entries`` entries; return its root.

    References, families and curves come in proportion: one reference per 20 entries,
    one family per 100, one curve per ``entries_per_curve``.
    """
    rng = random.Random(seed)
    root = Path(folder)
    (root / "abilities").mkdir(parents=True, exist_ok=True)
    (root / "models").mkdir(exist_ok=True)
    (root / "curves").mkdir(exist_ok=True)
    n_refs = max(2, n_entries // 20)
    n_families = max(1, n_entries // 100)
    refs = [f"author{i}2020work{i}" for i in range(n_refs)]
    with open(root / "references.bib", "w", encoding="utf-8") as bib:
        for i, key in enumerate(refs):
            bib.write(f"@article{{{key},\n  title = {{Synthetic Work {i}}},\n  author = {{Author, A{i} and Writer, B}},\n"
                      f"  journal = {{Journal of Benchmarks}},\n  year = {{2020}}\n}}\n\n")
    for f in range(n_families):
        lines = [f"name: Family {f}", "sizes:"]
        for label, params in SIZES:
            lines += [f"  - size: {label}", "    params:", f"      value: {params:g}", "      basis: reported",
                      f"      source: {{key: {refs[f % n_refs]}, locator: Table 1}}",
                      "    train_flops:", f"      value: {6 * params * 3e11:g}", "      basis: estimated",
                      "      method: 6*N*D with D = 3e11", f"      source: {{key: {refs[f % n_refs]}, locator: Table 1}}"]
        (root / "models" / f"family-{f}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(n_entries):
        family = f"family-{i % n_families}"
        label = SIZES[i % 3][0]
        (root / "abilities" / f"ability-{i}-{family}.yaml").write_text(f"""\
ability: Synthetic ability {i % 500}
task:
  benchmark: Bench {i % 7}
  name: task {i}
  answer_format: multiple_choice
category: {"few_shot_prompting" if i % 3 else "augmented_prompting"}
description: A made-up task number {i}, used to time the pipeline.
prompting:
  strategy: {"few_shot" if i % 2 else "chain_of_thought"}
  shots: {i % 5}
model:
  family: {family}
  size: {label}
metric:
  name: accuracy
  random_baseline: 0.25
source:
  key: {refs[i % n_refs]}
  locator: Table {i % 9 + 1}
  evidence: full_text
status: reported
""", encoding="utf-8")
    for c in range(max(1, n_entries // entries_per_curve)):
        i = c * entries_per_curve
        family = f"family-{i % n_families}"
        points = "\n".join(f"      - {{size: {label}, score: {rng.random():.3f}}}" for label, _ in SIZES)
        (root / "curves" / f"curve-{c}.yaml").write_text(f"""\
task: {{benchmark: Bench {i % 7}, name: task {i}}}
metric: {{name: accuracy, random_baseline: 0.25}}
entries: [ability-{i}-{family}]
series:
  - family: {family}
    label: Family {i % n_families}
    prompting: {{strategy: few_shot}}
    source: {{key: {refs[i % n_refs]}, locator: Figure 1}}
    points:
{points}
""", encoding="utf-8")
    return root
