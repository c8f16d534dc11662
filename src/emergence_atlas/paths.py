"""Where the catalog lives: a checkout's ``catalog/`` or the copy packaged in the wheel.

A helper at the bottom of the flow, used by the public API, the CLI and the build
of the wheel to find the catalog folder to load.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: The copy of ``catalog/`` that the wheel carries.
PACKAGED_CATALOG = _PACKAGE / "_catalog"
#: ``catalog/`` of the source checkout this module was imported from (editable installs).
CHECKOUT_CATALOG = _PACKAGE.parent.parent / "catalog"


def working_catalog() -> Path | None:
    """``./catalog`` when the current folder is a checkout (it has ``catalog/abilities/``), else None."""
    here = Path.cwd() / "catalog"
    return here if (here / "abilities").is_dir() else None


def default_root() -> Path:
    """The catalog to use when none is named: ``./catalog`` if present, else the packaged one."""
    return working_catalog() or bundled_root()


def bundled_root() -> Path:
    """The catalog shipped with the package (or the checkout's, in an editable install)."""
    if (PACKAGED_CATALOG / "abilities").is_dir():
        return PACKAGED_CATALOG
    return CHECKOUT_CATALOG
