"""Importers: third-party scaling-curve data files -> ``catalog/curves/<id>.yaml``.

The import step sits beside the catalog's own flow (YAML -> loading -> schema ->
catalog -> lint/site): it *produces* curve YAML that the rest of the flow then loads
like any hand-written file. Each module reads one source format with the standard
library and returns plain curve dicts (:class:`~.common.ImportResult`), after the shared
:mod:`.corrections` step has applied the sourced table of scale corrections
(``scale_corrections.yaml``); the shared :mod:`.writer` dumps them deterministically. Run one
with::

    python -m emergence_atlas.importers <format> <input-path> [--out catalog/curves]

``<input-path>`` is the source's data folder (or one of its files); nothing here knows
where the data lives on a given machine. Input files are never copied into the
repository, only the curves derived from them.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

#: format name -> module (each has ``FORMAT``, ``import_path(path) -> ImportResult``).
FORMATS: dict[str, str] = {
    "cot-wei2022": "cot_wei2022",
    "obsscaling": "obsscaling",
    "expemergence": "expemergence",
    "mlfoundations-scaling": "mlfoundations_scaling",
    "pythia": "pythia",
    "lm-eval-harness-2023": "lm_eval_harness_2023",
}


def importer(fmt: str) -> ModuleType:
    """The importer module of a format name (``KeyError`` for an unknown one)."""
    return import_module(f"{__name__}.{FORMATS[fmt]}")
