"""The API reference under mkdocstrings: its conversion cached like a generated page's.

Part of the builder step, used by the MkDocs plugin beside
:mod:`emergence_atlas.builder.htmlcache`. mkdocstrings renders a page's
``::: name`` directives by loading the package's sources (griffe) and rendering
its templates: about a second of every build, for a page that changes only when
the documented code does. Converting such a page also registers things outside
the page: anchors with mkdocs-autorefs (which resolve cross-references in every
page) and items of mkdocstrings' inventory (``objects.inv``), and it starts the
handlers whose styles the site then includes.

While such a page converts, :class:`Recording` notes those registrations (through
the public methods ``register_anchor`` of autorefs and ``inventory.register`` of
mkdocstrings' handlers) and the handlers used; the HTML cache stores them with the
page's HTML, under a key that adds the documented sources and the versions of
these libraries (:func:`api_key`). On a hit, :func:`replay` makes the same
registrations, so the built site is the same as a fresh one (a test compares the
two byte for byte). A page is cached this way only when the handler's ``paths``
are set in ``mkdocs.yml`` (the sources to hash are then known).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

#: The libraries whose versions decide what an API page converts to.
LIBRARIES = ("mkdocstrings", "mkdocstrings-python", "griffelib", "griffe", "mkdocs-autorefs")


@dataclass(frozen=True)
class Registrations:
    """What converting an API page registered outside the page."""

    anchors: tuple[tuple[str, str | None, str | None, bool], ...]  # identifier, anchor, title, primary
    inventory: tuple[tuple[tuple[Any, ...], tuple[tuple[str, Any], ...]], ...]  # args, keyword args
    handlers: tuple[str, ...]


def has_directives(markdown: str) -> bool:
    """True when the page has a mkdocstrings directive (a line starting with ``:::``)."""
    return any(line.startswith(":::") for line in markdown.splitlines())


def _plugins(config: Any) -> tuple[Any, Any] | None:
    plugins = config.plugins
    docstrings, autorefs = plugins.get("mkdocstrings"), plugins.get("autorefs")
    if docstrings is None or autorefs is None:
        return None
    return docstrings, autorefs


def _source_paths(config: Any, docstrings: Any) -> list[Path] | None:
    """The folders the Python handler reads sources from, when mkdocs.yml names them; else None."""
    try:
        paths = docstrings.config["handlers"]["python"]["paths"]
    except (KeyError, TypeError):
        return None
    if not isinstance(paths, list) or not paths:
        return None
    base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    folders = [(base / str(p)).resolve() for p in paths]
    # a folder that is not there: griffe finds the package elsewhere, in sources this cannot hash
    return folders if all(folder.is_dir() for folder in folders) else None


def api_key(config: Any) -> str | None:
    """What an API page's conversion depends on besides its Markdown and the site settings, or None.

    None (the page is then converted every build) when mkdocstrings or autorefs is not
    running or the handler's source folders are not named.
    """
    found = _plugins(config)
    if found is None:
        return None
    folders = _source_paths(config, found[0])
    if folders is None:
        return None
    sha = hashlib.sha256()
    for name in LIBRARIES:
        try:
            sha.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            sha.update(f"{name}=-\0".encode())
    for folder in folders:
        sha.update(f"{folder}\0".encode("utf-8", "surrogatepass"))
        for path in sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".pyi") and p.is_file()):
            sha.update(f"{path.relative_to(folder).as_posix()}\0".encode("utf-8", "surrogatepass"))
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


class Recording:
    """Notes the registrations of one page's conversion, from :meth:`start` to :meth:`stop`."""

    def __init__(self, config: Any):
        found = _plugins(config)
        assert found is not None, "only for a site running mkdocstrings and autorefs"
        self.docstrings, self.autorefs = found
        self.anchors: list[tuple[str, str | None, str | None, bool]] = []
        self.inventory: list[tuple[tuple[Any, ...], tuple[tuple[str, Any], ...]]] = []
        self._restore: list[tuple[Any, str]] = []

    def start(self) -> None:
        autorefs, inventory = self.autorefs, self.docstrings.handlers.inventory
        register_anchor, register = autorefs.register_anchor, inventory.register

        def noting_anchor(page: Any, identifier: str, anchor: str | None = None, *, title: str | None = None,
                          primary: bool = True) -> None:
            self.anchors.append((identifier, anchor, title, primary))
            register_anchor(page, identifier, anchor, title=title, primary=primary)

        def noting_item(*args: Any, **kwargs: Any) -> None:
            self.inventory.append((args, tuple(sorted(kwargs.items()))))
            register(*args, **kwargs)

        autorefs.register_anchor = noting_anchor  # instance attributes, removed by stop()
        inventory.register = noting_item
        self._restore = [(autorefs, "register_anchor"), (inventory, "register")]

    def stop(self) -> Registrations:
        for owner, name in self._restore:
            vars(owner).pop(name, None)
        self._restore = []
        handlers = tuple(sorted(h.name for h in self.docstrings.handlers.seen_handlers))
        return Registrations(tuple(self.anchors), tuple(self.inventory), handlers)


def replay(config: Any, page: Any, registrations: Registrations) -> None:
    """Make the registrations of a cached API page's conversion, for ``page`` in this build."""
    found = _plugins(config)
    if found is None:
        return
    docstrings, autorefs = found
    for name in registrations.handlers:
        docstrings.handlers.get_handler(name)
    for identifier, anchor, title, primary in registrations.anchors:
        autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
    for args, kwargs in registrations.inventory:
        docstrings.handlers.inventory.register(*args, **dict(kwargs))


__all__ = ["LIBRARIES", "Recording", "Registrations", "api_key", "has_directives", "replay"]
