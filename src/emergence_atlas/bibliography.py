"""Bibliography: ``catalog/references.bib`` -> ``{key: Reference}``, with diagnostics.

A step of its own beside loading, called by the build step; the link check reads
the raw link fields through it too, so the file is parsed in one place.
bibtexparser 2 never raises on malformed input: broken blocks, repeated fields
and duplicate keys land in ``failed_blocks`` with only a log warning, so every
failed block is turned into an error here. Names are split before LaTeX is
decoded, as bibtexparser's docs advise.
"""

from __future__ import annotations

import logging
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.library import Library
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
)
from pylatexenc.latex2text import LatexNodes2Text

from .diagnostics import Diagnostic, display_path
from .fileio import read_utf8
from .links import bibtex_link_problems
from .references import Reference

#: Largest references.bib accepted, in bytes.
MAX_BIB_BYTES = 4 * 1024 * 1024

#: Fields each entry type must have. ``a|b`` means either will do.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "misc": ("author|howpublished", "title", "year"),
}
_DEFAULT_REQUIRED = ("title", "year")


def _field(entry: Entry, name: str) -> str | None:
    f = entry.fields_dict.get(name)
    if f is None:
        return None
    value = f.value
    if isinstance(value, list):
        return " and ".join(str(v) for v in value)
    return " ".join(str(value).split())


_LATEX = LatexNodes2Text()


def _decode_name(text: str) -> str:
    """One split name as plain text: LaTeX accents decoded, protecting braces dropped.

    bibtexparser's decoding middleware leaves split names alone, so ``{OpenAI}`` and
    ``Luko{\\v{s}}i{\\={u}}t{\\.{e}}`` are decoded here, after splitting.
    """
    return " ".join(_LATEX.latex_to_text(text).split())


def _names(entry: Entry) -> tuple[str, ...]:
    f = entry.fields_dict.get("author") or entry.fields_dict.get("editor")
    if f is None:
        return ()
    out = []
    for name in f.value if isinstance(f.value, list) else [f.value]:
        if isinstance(name, middlewares.NameParts):
            out.append(_decode_name(" ".join([*name.first, *name.von, *name.last, *name.jr]).strip()))
        else:
            out.append(_decode_name(str(name)))
    return tuple(out)


def _raw_fields(raw_entry: Entry) -> set[str]:
    return {f.key.lower() for f in raw_entry.fields}


def _parse(text: str, *, decoded: bool = False) -> Library:
    """bibtexparser's parse, with its log warnings silenced (failures become diagnostics instead).

    ``decoded`` splits authors into names and decodes LaTeX (for display); without
    it, field values stay as written (for the original BibTeX text and link checks).
    """
    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        if not decoded:
            return bibtexparser.parse_string(text)
        return bibtexparser.parse_string(text, append_middleware=[
            middlewares.SeparateCoAuthors(), middlewares.SplitNameParts(), middlewares.LatexDecodingMiddleware()])
    finally:
        logger.setLevel(previous)


def field_position(field: Field, lines: list[str]) -> tuple[int, int]:
    """1-based ``(line, col)`` of a field's name in the BibTeX text split into ``lines``."""
    start = field.start_line or 0
    text_line = lines[start] if 0 <= start < len(lines) else ""
    return start + 1, text_line.lower().find(field.key.lower()) + 1 or 1


def read_link_fields(path: Path) -> tuple[list[str], list[dict[str, Field]]]:
    """The lines of ``references.bib`` and each entry's raw fields by lower-case name (for the link check)."""
    text, _ = read_utf8(path, MAX_BIB_BYTES)
    if text is None:
        return [], []
    return text.split("\n"), [{f.key.lower(): f for f in entry.fields} for entry in _parse(text).entries]


def _link_diagnostics(raw_entry: Entry, lines: list[str], shown: str) -> list[Diagnostic]:
    """E307 for each malformed url, doi or arXiv eprint of an entry, at the line of the field."""
    fields = {f.key.lower(): f for f in raw_entry.fields}
    out = []
    for name, reason in bibtex_link_problems({k: str(f.value) for k, f in fields.items()}):
        field = fields[name]
        line, col = field_position(field, lines)
        out.append(Diagnostic(shown, line, col, "E307",
                              f"{raw_entry.entry_type.lower()} '{raw_entry.key}': {name} {str(field.value).strip()!r} {reason}"))
    return out


def parse_bibliography(text: str, path: Path) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Parse BibTeX text; return the references by key and every problem found."""
    shown = display_path(path)
    diags: list[Diagnostic] = []
    raw_library = _parse(text)
    library = _parse(text, decoded=True)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = library.entries_dict.get(block.key)
            where = f" (first defined at line {(first.start_line or 0) + 1})" if first is not None else ""
            diags.append(Diagnostic(shown, line, 1, "E303", f"duplicate BibTeX key '{block.key}'{where}"))
        elif isinstance(block, DuplicateFieldKeyBlock):
            fields = ", ".join(sorted(block.duplicate_keys))
            key = getattr(block.ignore_error_block, "key", "?")
            diags.append(Diagnostic(shown, line, 1, "E305", f"entry '{key}' repeats the field(s) {fields}"))
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error or "").strip() or "cannot be parsed"
            diags.append(Diagnostic(shown, line, 1, "E301", f"malformed BibTeX block: {reason}"))
        else:  # pragma: no cover - future bibtexparser block kinds
            diags.append(Diagnostic(shown, line, 1, "E301", "malformed BibTeX block"))
    raw_by_key = raw_library.entries_dict
    references: dict[str, Reference] = {}
    lines = text.split("\n")
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        raw_entry = raw_by_key.get(entry.key, entry)
        present = _raw_fields(raw_entry)
        diags.extend(_link_diagnostics(raw_entry, lines, shown))
        for required in REQUIRED_FIELDS.get(entry.entry_type.lower(), _DEFAULT_REQUIRED):
            options = required.split("|")
            if not any(o in present for o in options):
                diags.append(Diagnostic(shown, line, 1, "E304",
                                        f"{entry.entry_type} '{entry.key}' lacks the required field {' or '.join(options)}"))
        references[entry.key] = Reference(
            key=entry.key,
            entry_type=entry.entry_type.lower(),
            title=_field(entry, "title") or "",
            authors=_names(entry),
            year=_field(entry, "year"),
            venue=_field(entry, "journal") or _field(entry, "booktitle") or _field(entry, "howpublished"),
            url=_field(entry, "url"),
            doi=_field(entry, "doi"),
            eprint=_field(entry, "eprint"),
            bibtex=((raw_by_key[entry.key].raw if entry.key in raw_by_key else entry.raw) or "").strip(),
            line=line,
        )
    return references, diags


def load_bibliography(path: Path) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Read and parse ``references.bib`` (UTF-8, bounded size)."""
    text, problem = read_utf8(path, MAX_BIB_BYTES)
    if text is None:
        return {}, [problem] if problem is not None else []
    return parse_bibliography(text, path)
