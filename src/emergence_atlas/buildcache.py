"""Build cache: the site build's results, kept on disk and keyed by content.

Sits between the catalog files and the MkDocs plugin
(:mod:`emergence_atlas.builder.plugin`): before the plugin builds the catalog
(:func:`emergence_atlas.build.build_catalog`) and generates the pages, plots and
downloads (:func:`emergence_atlas.builder.pages.generate_pages`), it asks this
cache for the result of the same inputs. The key is a SHA-256 over

- every file under the catalog folder (its relative path and its bytes),
- the package version and a fingerprint of the package's code (the bytes of
  every ``.py`` file and template under ``emergence_atlas``), so that an edit
  to the code invalidates the cache,
- the versions of the libraries whose output lands in the pages (matplotlib,
  jinja2), and the build options (site URL, catalog location).

So an unchanged input costs a hash of the catalog's files and one read, not a
recomputation, and any change of input or code misses the cache: the cache
never changes what a build produces, it only saves time.

The values are stored with :mod:`pickle`. That is acceptable here because the
cache is a local folder that only this package writes (``.cache/emergence-atlas``
by default), and because every entry is named by the hash of its inputs. A
cache entry that cannot be read or unpickled is ignored (the build recomputes
it); writes are atomic (:func:`emergence_atlas.fileio.write_atomic`), so a
reader never sees half an entry. Only the newest few entries are kept.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from ._version import __version__
from .fileio import write_atomic

#: Bumped when the layout of what is stored changes.
CACHE_FORMAT = "1"

#: How many entries one cache folder keeps (the newest); older ones are removed on store.
KEEP = 2

_PACKAGE = Path(__file__).resolve().parent
#: Libraries whose versions change the bytes of generated pages or plots.
_LIBRARIES = ("matplotlib", "jinja2")


def _digest_files(root: Path, paths: Iterable[Path], into: Any) -> None:
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        into.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        into.update(len(data).to_bytes(8, "big") + data)


@functools.cache
def code_fingerprint() -> str:
    """A hash of the package's code and templates, its version, and the libraries that draw and render.

    Computed once per process: the code of a running process does not change.
    """
    sha = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}\0".encode())
    for name in _LIBRARIES:
        try:
            sha.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            sha.update(f"{name}=?\0".encode())
    files = [p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    _digest_files(_PACKAGE, files, sha)
    return sha.hexdigest()


def tree_digest(root: Path) -> str:
    """A hash of every file under ``root``: relative paths and bytes (hidden files and folders too)."""
    sha = hashlib.sha256()
    root = Path(root)
    if root.is_dir():
        _digest_files(root, (p for p in root.rglob("*") if p.is_file()), sha)
    return sha.hexdigest()


def build_key(catalog_root: Path, **options: Any) -> str:
    """The cache key of one site build: catalog files + code + ``options`` (e.g. the site URL)."""
    sha = hashlib.sha256()
    sha.update(code_fingerprint().encode() + b"\0")
    sha.update(str(Path(catalog_root).resolve()).encode("utf-8") + b"\0")
    sha.update(tree_digest(catalog_root).encode() + b"\0")
    sha.update(repr(sorted(options.items())).encode("utf-8"))
    return sha.hexdigest()


class ContentCache:
    """A folder of pickled values named by their key; unreadable entries count as missing."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def load(self, key: str) -> Any | None:
        """The value stored under ``key``, or None when absent, unreadable or corrupt."""
        try:
            return pickle.loads(self._path(key).read_bytes())  # local cache, keyed by content (see module docstring)
        except Exception:  # a corrupt or unreadable entry only costs time
            return None

    def store(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` atomically, keeping only the newest :data:`KEEP` entries."""
        with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
            write_atomic(self._path(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
            self._prune()

    def _prune(self) -> None:
        entries = []
        for path in self.folder.glob("*.pickle"):
            with contextlib.suppress(OSError):
                entries.append((path.stat().st_mtime_ns, path))
        for _, path in sorted(entries, reverse=True)[KEEP:]:
            with contextlib.suppress(OSError):
                path.unlink()


__all__ = ["CACHE_FORMAT", "ContentCache", "build_key", "code_fingerprint", "tree_digest"]
