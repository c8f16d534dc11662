"""File I/O: bounded UTF-8 reads, atomic file writes and atomic folder swaps.

The lowest layer of the flow, beside :mod:`emergence_atlas.diagnostics`. Every
step that reads a catalog file reads it here (bounded size, UTF-8 only, problems
as diagnostics), and every writer (exports, schemas, new entries, generated
pages, the MkDocs site, the parse cache) writes through here, so that a reader
never sees a half-written file or folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .diagnostics import Diagnostic, display_path


def read_bounded(path: Path, max_bytes: int) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of ``path``, or a diagnostic: E109 (larger than ``max_bytes``), E111 (unreadable)."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, Diagnostic(shown, 1, 1, "E109", f"file is {size} bytes; the limit is {max_bytes}")
        return path.read_bytes(), None
    except OSError as exc:
        return None, Diagnostic(shown, 0, 0, "E111", f"cannot read file: {exc.strerror or exc}")


def decode_utf8(raw: bytes, path: Path) -> tuple[str | None, Diagnostic | None]:
    """``raw`` decoded as UTF-8, or an E103 diagnostic at the line and column of the first bad byte."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = err.start - (before.rfind(b"\n") + 1) + 1
        return None, Diagnostic(display_path(path), line, col, "E103",
                                f"byte 0x{raw[err.start]:02x} is not valid UTF-8; save the file as UTF-8")


def read_utf8(path: Path, max_bytes: int) -> tuple[str | None, Diagnostic | None]:
    """The text of ``path`` (bounded size, UTF-8), or the diagnostic saying why it cannot be read."""
    raw, problem = read_bounded(path, max_bytes)
    if raw is None:
        return None, problem
    return decode_utf8(raw, path)


def _umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    ``durable`` flushes the file to disk before the rename (off for caches, where a
    lost file only costs time). The file gets the usual mode under the process's
    umask (0644 under 022), not the private mode of a temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # a temporary file is private (0600); the result is not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def swap_folder(staging: Path, final: Path, *, old_suffix: str = ".old") -> None:
    """Move the finished folder ``staging`` to ``final``, replacing what was there.

    The previous ``final`` is first renamed aside (``.<name><old_suffix>``) and removed
    only after the swap, so ``final`` is always either the old or the new folder.
    """
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}{old_suffix}")
        if old.exists():
            shutil.rmtree(old)
        final.rename(old)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_folder(out: Path, files: Mapping[str, bytes]) -> Path:
    """Write ``{relative path: bytes}`` as the folder ``out``, replacing it as a whole.

    The files are written into a sibling staging folder that replaces ``out`` only
    when every file was written; on any failure ``out`` is left as it was. Files and
    folders get the usual modes under the process's umask (0644 and 0755 under 022).
    Returns the resolved ``out``.
    """
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # a temporary folder is private (0700); the result is not
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        swap_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def sync_folder(out: Path, files: Mapping[str, bytes]) -> tuple[list[str], list[str]]:
    """Make the folder ``out`` hold exactly ``files``, touching only what differs.

    Each file whose bytes differ (or that is new) is written atomically; each file
    under ``out`` not in ``files`` is removed, with any folder left empty. Unchanged
    files keep their bytes and times, so a tool watching ``out`` (a live preview)
    sees only the files that changed. Returns ``(written, removed)``, as relative paths.
    """
    out = Path(out)
    written, removed = [], []
    for rel, data in files.items():
        target = out / rel
        try:
            same = target.stat().st_size == len(data) and target.read_bytes() == data
        except OSError:
            same = False
        if not same:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data, durable=False)
            written.append(rel)
    if out.is_dir():
        for path in sorted(out.rglob("*"), reverse=True):  # files before the folders that hold them
            rel = path.relative_to(out).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                removed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, sorted(removed)
