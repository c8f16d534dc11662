"""Watching folders for changes: what `emergence-atlas docs --watch` waits on between assemblies.

Part of the builder step, beside :mod:`emergence_atlas.builder.docsfolder`. An
engine without plugins (Zensical) previews the assembled docs folder with its own
``serve``; this keeps that folder current while the catalog and the hand-written
pages are edited. Events come from watchdog (inotify and its equivalents); a burst
of events (an editor's save is often several) is reported once, after a short quiet
spell.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

#: Seconds without a further event before a burst of events is reported.
QUIET = 0.05


def watch(folders: Iterable[Path], on_change: Callable[[set[Path]], None], *, ignore: Iterable[Path] = (),
          stop: threading.Event | None = None, ready: Callable[[], None] | None = None) -> None:
    """Call ``on_change(changed paths)`` after each burst of changes under ``folders``, until ``stop`` is set.

    Paths under ``ignore`` (e.g. the folder being written) do not count. Blocks; a
    KeyboardInterrupt ends it. ``ready`` is called once the watches are in place.
    """
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    ignored = [Path(p).resolve() for p in ignore]
    pending: set[Path] = set()
    events = [0]  # events seen so far (a burst may repeat one path)
    lock = threading.Condition()

    def counts(path: str) -> bool:
        resolved = Path(path).resolve()
        return not any(resolved.is_relative_to(i) for i in ignored)

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
            changed = {Path(str(p)) for p in paths if counts(str(p))}
            if changed:
                with lock:
                    pending.update(changed)
                    events[0] += 1
                    lock.notify()

    observer: Any = Observer()
    for folder in folders:
        if Path(folder).exists():
            observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    stop = stop or threading.Event()
    try:
        if ready is not None:
            ready()
        while not stop.is_set():
            with lock:
                if not pending:
                    lock.wait(timeout=0.2)
                    continue
                seen = -1
                while seen != events[0]:  # wait until the burst is over
                    seen = events[0]
                    lock.wait(timeout=QUIET)
                batch = set(pending)
                pending.clear()
            on_change(batch)
    finally:
        observer.stop()
        observer.join(timeout=5)


__all__ = ["QUIET", "watch"]
