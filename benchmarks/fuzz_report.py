"""Benchmark: run the fuzz targets of tests/test_fuzz.py for N examples each and print figures.

For each target (YAML text parse + schema validation, data-level schema validation,
YAML file load with the parse cache, BibTeX, whole catalog build) it prints examples
run, examples per second, how many distinct diagnostic codes came back, and how many
examples crashed (raised, or broke a property of the diagnostics; should be 0), with
the first input of each kind of crash. Prints figures; asserts nothing.

    python benchmarks/fuzz_report.py [N] [--target NAME ...] [--seed S]
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests import test_fuzz as fz  # noqa: E402


class Tally:
    """What one target produced: examples, codes seen, crashes by kind."""

    def __init__(self) -> None:
        self.examples = 0
        self.codes: collections.Counter[str] = collections.Counter()
        self.crashes: collections.Counter[str] = collections.Counter()
        self.first_input: dict[str, Any] = {}
        self.first_error: dict[str, str] = {}

    def run(self, call: Callable[[], list], shown_input: Any) -> None:
        self.examples += 1
        try:
            diags = call()
        except Exception as exc:  # a crash is a finding, not a stop
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            kind = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            self.crashes[kind] += 1
            self.first_input.setdefault(kind, shown_input)
            self.first_error.setdefault(kind, (str(exc).splitlines() or [""])[0][:200])
            return
        self.codes.update(d.code for d in diags)


def _targets(scratch: Path, root: Path) -> dict[str, tuple[st.SearchStrategy, Callable[..., list]]]:
    return {
        "parse_yaml_text+validate": (fz.yaml_inputs(), fz.target_parse_yaml),
        "schema_validation": (fz.mutated_data(), fz.target_validate_text),
        "load_yaml+cache": (fz.yaml_inputs(), lambda raw: fz.target_load_yaml(raw, scratch)),
        "bibliography": (fz.bib_inputs(), lambda raw: fz.target_bibliography(raw, scratch)),
        "build_catalog": (
            st.tuples(st.one_of(fz.yaml_inputs(), fz.bib_inputs()), st.sampled_from(fz.CATALOG_TARGETS)),
            lambda pair: fz.target_catalog(pair[0], pair[1], root),
        ),
    }


def run_target(strategy: st.SearchStrategy, call: Callable[..., list], examples: int, rng_seed: int) -> tuple[Tally, float]:
    """Run ``call`` on ``examples`` generated inputs; return the tally and the seconds taken."""
    tally = Tally()

    @seed(rng_seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(value=strategy)
    def body(value: Any) -> None:
        tally.run(lambda: call(value), value)

    start = time.perf_counter()
    body()
    return tally, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("examples", nargs="?", type=int, default=1000, help="examples per target (default 1000)")
    parser.add_argument("--target", action="append", help="run only this target (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="atlas-fuzz-report-"))
    root = fz.fresh_catalog_copy()
    try:
        targets = _targets(scratch, root)
        chosen = args.target or list(targets)
        print(f"{'target':<26} {'examples':>8} {'seconds':>8} {'ex/s':>8} {'codes':>6} {'crashes':>8}")
        all_codes: set[str] = set()
        for name in chosen:
            strategy, call = targets[name]
            tally, seconds = run_target(strategy, call, args.examples, args.seed)
            all_codes.update(tally.codes)
            rate = tally.examples / seconds if seconds else float("inf")
            print(f"{name:<26} {tally.examples:>8} {seconds:>8.1f} {rate:>8.0f} {len(tally.codes):>6} "
                  f"{sum(tally.crashes.values()):>8}")
            print(f"{'':<26} codes: {' '.join(sorted(tally.codes)) or '-'}")
            for kind, count in tally.crashes.most_common():
                shown = repr(tally.first_input[kind])
                print(f"{'':<26} CRASH x{count} {kind}: {tally.first_error[kind]}")
                print(f"{'':<26}   first input: {shown[:300]}{'...' if len(shown) > 300 else ''}")
        print(f"distinct codes over all targets: {len(all_codes)} of {len(fz.CODES)}: {' '.join(sorted(all_codes))}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
