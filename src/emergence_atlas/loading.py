"""Loading: catalog YAML files -> inert raw mappings that remember where every key is.

First step of the flow. Reads bytes through :mod:`emergence_atlas.fileio` (bounded size, UTF-8 only), composes the YAML
node graph with PyYAML's C parser when available, and builds plain Python values
from it by hand, so that

* no tag can construct an object (only the plain YAML types are accepted),
* duplicate keys are errors (PyYAML keeps the last one silently),
* alias expansion and nesting depth are bounded ("billion laughs"),
* every key and value keeps its ``line:col`` for diagnostics.

Problems come back as :class:`~emergence_atlas.diagnostics.Diagnostic` records;
nothing here raises on bad data.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.constructor import SafeConstructor

from .diagnostics import Diagnostic, display_path
from .fileio import decode_utf8, read_bounded, write_atomic

try:  # the C parser is several times faster; fall back to pure Python
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Largest YAML file accepted, in bytes.
MAX_FILE_BYTES = 256 * 1024
#: Most YAML nodes one file may expand to (aliases counted each time they are used).
MAX_NODES = 20_000
#: Deepest nesting of mappings and sequences.
MAX_DEPTH = 24
#: Bumped whenever parsing changes, so that cached parses are not reused.
PARSE_CACHE_VERSION = b"2"

Loc = tuple[str | int, ...]
Pos = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_scalar_constructor = SafeConstructor()


@dataclass
class LoadedDocument:
    """One YAML file: its data and the position of every key and value in it."""

    path: Path
    data: Any
    key_positions: dict[Loc, Pos] = field(default_factory=dict)
    value_positions: dict[Loc, Pos] = field(default_factory=dict)

    @property
    def shown_path(self) -> str:
        return display_path(self.path)

    def position(self, loc: Loc, *, of_value: bool = False) -> Pos:
        """Best ``(line, col)`` for a location: the deepest known prefix of ``loc``."""
        table = self.value_positions if of_value else self.key_positions
        loc = tuple(loc)
        while loc:
            if loc in table:
                return table[loc]
            if not of_value and loc in self.value_positions:
                return self.value_positions[loc]
            loc = loc[:-1]
        return table.get((), (1, 1))

    def diagnostic(self, loc: Loc, code: str, message: str, *, of_value: bool = False) -> Diagnostic:
        line, col = self.position(loc, of_value=of_value)
        return Diagnostic(self.shown_path, line, col, code, message)


class _Abort(Exception):
    """Stops the walk of one file at its first structural problem."""

    def __init__(self, node: yaml.Node | None, code: str, message: str):
        self.node, self.code, self.message = node, code, message


_MAX_INT = 2**1024  # beyond the float range: no catalog number is that large
_MAX_INT_CHARS = 400


def _clip(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _pos(node: yaml.Node) -> Pos:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _ValueBuilder:
    """Turns a composed node graph into plain values, recording positions."""

    def __init__(self, doc: LoadedDocument):
        self.doc = doc
        self.nodes = 0
        self.duplicates: list[Diagnostic] = []

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Abort(node, "E108", f"more than {MAX_NODES} YAML nodes after expanding aliases")
        if depth > MAX_DEPTH:
            raise _Abort(node, "E110", f"nesting deeper than {MAX_DEPTH} levels")
        self.doc.value_positions.setdefault(loc, _pos(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_TAG}seq":
                raise _Abort(node, "E107", f"tag '{_short_tag(node.tag)}' is not allowed")
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        if node.tag != f"{_TAG}map":
            raise _Abort(node, "E107", f"tag '{_short_tag(node.tag)}' is not allowed")
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                raise _Abort(key_node, "E107", "merge keys ('<<') are not allowed; write the fields out")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != f"{_TAG}str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                raise _Abort(key_node, "E202", f"key {shown!r} is not text; quote it")
            key = key_node.value
            child = (*loc, key)
            if key in out:
                line, col = _pos(key_node)
                first = self.doc.key_positions[child]
                self.duplicates.append(
                    Diagnostic(self.doc.shown_path, line, col, "E106",
                               f"duplicate key '{key}' (first defined at line {first[0]})")
                )
                continue
            self.doc.key_positions[child] = _pos(key_node)
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise _Abort(node, "E107", f"tag '{_short_tag(tag)}' is not allowed (catalog files hold plain data only)")
        if tag == f"{_TAG}str" or tag == f"{_TAG}timestamp":
            return str(node.value)
        try:
            if tag == f"{_TAG}int":
                if len(node.value) > _MAX_INT_CHARS:  # also spares building huge sexagesimal (1:59:59:...) values
                    raise _Abort(node, "E205", f"the number {_clip(node.value)} has too many digits")
                value = _scalar_constructor.construct_yaml_int(cast(yaml.ScalarNode, node))
                if abs(value) > _MAX_INT:
                    raise _Abort(node, "E205", f"the number {_clip(node.value)} is too large (above 1e308)")
                return value
            if tag == f"{_TAG}float":
                return _scalar_constructor.construct_yaml_float(cast(yaml.ScalarNode, node))
            if tag == f"{_TAG}bool":
                return _scalar_constructor.construct_yaml_bool(cast(yaml.ScalarNode, node))
        except (ValueError, KeyError, IndexError):  # an explicit tag on a value that does not fit it
            raise _Abort(node, "E107", f"tag '{_short_tag(tag)}' does not fit the value {_clip(node.value)}; "
                                       "remove the tag") from None
        return None


def _yaml_error(exc: yaml.YAMLError, text: str, shown: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Diagnostic(shown, line, col, "E101", f"character U+{char:04X} is not allowed in YAML")
    lines = text.splitlines()
    if 0 < line <= len(lines):
        indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
        if "\t" in indent or "\t" in lines[line - 1][: max(col, 1)]:
            tab_col = lines[line - 1].index("\t") + 1
            return Diagnostic(shown, line, tab_col, "E102", "tab character used for indentation; indent with spaces")
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else problem
    return Diagnostic(shown, line, col, "E101", f"malformed YAML: {message}")


def _cached(raw: bytes, path: Path, cache_dir: Path | None) -> tuple[Path | None, LoadedDocument | None]:
    """The cache file for these bytes, and the document parsed from them earlier (if any)."""
    if cache_dir is None:
        return None, None
    key = hashlib.sha256(PARSE_CACHE_VERSION + raw).hexdigest()
    entry = cache_dir / key[:2] / f"{key}.marshal"
    try:
        data, keys, values = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return entry, None
    return entry, LoadedDocument(path=path, data=data, key_positions=keys, value_positions=values)


def _store(entry: Path, doc: LoadedDocument) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        write_atomic(entry, marshal.dumps((doc.data, doc.key_positions, doc.value_positions)), durable=False)


def load_yaml(path: Path, *, max_bytes: int = MAX_FILE_BYTES,
              cache_dir: Path | None = None) -> tuple[LoadedDocument | None, list[Diagnostic]]:
    """Read one catalog YAML file.

    Returns the document (``None`` when it could not be read as a mapping) and
    every problem found. Never raises for bad content. With ``cache_dir``, a file
    whose bytes were parsed cleanly before is read back from the cache (keyed by
    the hash of its bytes, so an edit always re-parses).
    """
    raw, unreadable = read_bounded(path, max_bytes)
    if raw is None:
        return None, [unreadable] if unreadable is not None else []
    entry, cached = _cached(raw, path, cache_dir)
    if cached is not None:
        return cached, []
    text, undecodable = decode_utf8(raw, path)
    if text is None:
        return None, [undecodable] if undecodable is not None else []
    doc, problems = parse_yaml_text(text, path)
    if entry is not None and doc is not None and not problems:
        _store(entry, doc)
    return doc, problems


def parse_yaml_text(text: str, path: Path) -> tuple[LoadedDocument | None, list[Diagnostic]]:
    """Parse YAML text already read from ``path`` (see :func:`load_yaml`)."""
    shown = display_path(path)
    text = text.removeprefix("\ufeff")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return None, [_yaml_error(exc, text, shown)]
    except UnicodeEncodeError as exc:  # a lone surrogate in text that did not come from UTF-8 bytes
        before = text[: exc.start]
        line, col = before.count("\n") + 1, exc.start - (before.rfind("\n") + 1) + 1
        return None, [Diagnostic(shown, line, col, "E101", f"character U+{ord(text[exc.start]):04X} is not allowed in YAML")]
    except RecursionError:
        return None, [Diagnostic(shown, 1, 1, "E110", f"nesting deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, [Diagnostic(shown, 1, 1, "E104", "file is empty (no YAML document)")]
    doc = LoadedDocument(path=path, data=None)
    builder = _ValueBuilder(doc)
    try:
        data = builder.build(node, (), 0)
    except _Abort as abort:
        line, col = _pos(abort.node) if abort.node is not None else (1, 1)
        return None, [*builder.duplicates, Diagnostic(shown, line, col, abort.code, abort.message)]
    except RecursionError:
        return None, [Diagnostic(shown, 1, 1, "E110", f"nesting deeper than {MAX_DEPTH} levels")]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__ if data is not None else 'null'} value"
        line, col = _pos(node)
        return None, [Diagnostic(shown, line, col, "E105",
                                 f"the file holds {kind}; a catalog file must be a mapping of field: value")]
    doc.data = data
    doc.key_positions[()] = _pos(node)
    return doc, builder.duplicates
