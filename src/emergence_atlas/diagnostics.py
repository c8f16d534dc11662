"""Diagnostics: the one way every step of the flow reports a problem in the data.

Loading, schema validation, the bibliography, cross-link resolution and the lint
rules all produce :class:`Diagnostic` records. Codes are stable and kept in one
table (:data:`CODES`), which also feeds the site's generated Diagnostics page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """How bad a diagnostic is: errors fail the build, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeInfo:
    """One row of the code table: what a code means and how to fix it."""

    code: str
    severity: Severity
    title: str
    fix: str


def _c(code: str, title: str, fix: str) -> CodeInfo:
    severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
    return CodeInfo(code, severity, title, fix)


#: Every diagnostic code, grouped by scope: E1xx file, E2xx schema, E3xx bibliography,
#: E4xx cross-links, E5xx catalog. Codes are never renumbered.
CODES: dict[str, CodeInfo] = {
    c.code: c
    for c in (
        _c("E101", "malformed YAML", "Fix the YAML syntax at the reported position."),
        _c("E102", "tab used for indentation", "Indent with spaces; YAML forbids tabs."),
        _c("E103", "file is not valid UTF-8", "Save the file as UTF-8."),
        _c("E104", "empty file", "Fill the file from the template or delete it."),
        _c("E105", "top level is not a mapping", "A catalog file is a mapping of field: value."),
        _c("E106", "duplicate key", "Remove or rename one of the two keys."),
        _c("E107", "YAML tag not allowed", "Remove the tag: catalog files hold plain data only."),
        _c("E108", "YAML too large after alias expansion", "Write the data out without anchors and aliases."),
        _c("E109", "file too large", "Split the data; entry files are small."),
        _c("E110", "nesting too deep", "Flatten the structure; catalog files are shallow."),
        _c("E111", "file cannot be read", "Check that the path exists and is readable."),
        _c("E201", "unknown field", "Remove the field or fix its spelling (see the template)."),
        _c("E202", "wrong type", "Give a value of the type the field expects (quote text)."),
        _c("E203", "missing required field", "Add the field (see the template)."),
        _c("E204", "value not in the controlled vocabulary", "Use one of the listed values."),
        _c("E205", "number out of range", "Give a positive, finite value within the documented bounds."),
        _c("E206", "ambiguous or malformed scale value", "Write a plain number (13e9, 2.3E+22) or 13B / 40M / 1.4T."),
        _c("E207", "id does not match the file name", "Rename the file or fix the id."),
        _c("E208", "invalid identifier", "Use lower-case words of a-z and 0-9 joined by single hyphens."),
        _c("E209", "text too long", "Shorten the text."),
        _c("E210", "invalid value", "Fix the value as the message says."),
        _c("E212", "template placeholder left in", "Replace every TODO from the template with the real value."),
        _c("E301", "malformed BibTeX", "Fix the BibTeX syntax of the block at the reported line."),
        _c("E302", "unknown BibTeX key", "Cite a key that exists in catalog/references.bib, or add the work there."),
        _c("E303", "duplicate BibTeX key", "Give each work one key; merge the two entries."),
        _c("E304", "missing required BibTeX field", "Add the field the entry type requires."),
        _c("E305", "duplicate BibTeX field", "Keep one value per field."),
        _c("W306", "reference not cited by any entry", "Cite it from an entry or a model family, or remove it."),
        _c("E307", "malformed link in BibTeX",
           "Give url an http(s) URL, doi a bare DOI (10.NNNN/suffix) and eprint an arXiv id (2201.11903)."),
        _c("E401", "duplicate entry id", "Give each entry its own id."),
        _c("E402", "unknown model family", "Use the id of a file in catalog/models/, or add the family."),
        _c("E403", "unknown model size", "Use a size label listed in the family's file, or add the size."),
        _c("E404", "scale disagrees with the model registry",
           "Correct the value, or list the other value with its source under disagreements."),
        _c("E405", "unknown entry id", "Refer to an existing entry id."),
        _c("E406", "inconsistent status", "Make the status agree with the relations (contested needs a contests relation)."),
        _c("E407", "duplicate model size", "Give each size of a family one label."),
        _c("E408", "unknown curve or size reference", "Refer to an existing curve, family and size."),
        _c("W409", "one-way related link", "List this entry under the other entry's related too, so the link reads both ways."),
        _c("E421", "relation type and reason do not fit", "Use the relation type the reason class goes with (see the Vocabularies page)."),
        _c("E422", "direction or sense that is not a threshold", "A claim that is not 'emergent' with scale takes emergence.form 'shape'."),
        _c("E423", "threshold on the wrong axis", "Give thresholds in model scale under scale; axis.threshold is for other axes."),
        _c("E420", "inconsistent emergence interval", "Name a smaller size of the same family as the lower end, with form 'interval'."),
        _c("E501", "empty catalog", "Add at least one entry under catalog/abilities/."),
        _c("E502", "catalog folder missing", "Point the command at a folder with abilities/, models/ and references.bib."),
        _c("E503", "too many entries", "Keep the number of entry files under the bound the message states."),
    )
}


#: Characters that would break a diagnostic's line (or its printing): control characters,
#: line and paragraph separators, lone surrogates. They are shown escaped instead.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: ``path:line:col: CODE message``.

    ``line`` and ``col`` are 1-based; 0 means "the whole file".
    """

    path: str
    line: int
    col: int
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:  # codes cannot drift: an unknown one fails where it is made
            raise ValueError(f"unknown diagnostic code {self.code!r}; add it to CODES in emergence_atlas.diagnostics")
        # Messages quote contributed text (keys, values, file names): keep every diagnostic one printable line.
        for name in ("path", "message"):
            value = getattr(self, name)
            if _UNPRINTABLE.search(value):
                object.__setattr__(self, name, _UNPRINTABLE.sub(_escape, value))

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """The one-line text form."""
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        kind = "error" if self.is_error else "warning"
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        title = f"{self.code} {CODES[self.code].title}".replace(",", "%2C").replace("::", "%3A%3A")
        path = self.path.replace(",", "%2C")
        return f"::{kind} file={path},line={max(self.line, 1)},col={max(self.col, 1)},title={title}::{msg}"

    def __str__(self) -> str:
        return self.format()


def display_path(path: Path | str) -> str:
    """A path as diagnostics show it: relative to the working directory when below it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(Path.cwd()))).as_posix()
    except ValueError:
        return absolute.as_posix()


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in a stable order: by path, then position, then code."""
    return sorted(set(diagnostics))


def summary_line(diagnostics: Iterable[Diagnostic], files_checked: int) -> str:
    """``N errors, M warnings in K files``."""
    diags = list(diagnostics)
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''} in {files_checked} file{'s' if files_checked != 1 else ''}"
    )


class CatalogError(Exception):
    """Raised by [`emergence_atlas.load`][emergence_atlas.load] when the catalog has errors.

    `diagnostics` holds every problem found, as [`Diagnostic`][emergence_atlas.Diagnostic]
    records (the same that `emergence-atlas lint` prints).

    Examples:
        ```python
        try:
            emergence_atlas.load("path/to/broken/catalog")
        except emergence_atlas.CatalogError as error:
            for diagnostic in error.diagnostics:
                print(diagnostic.format())
        ```
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sort_diagnostics(diagnostics))
        errors = [d for d in self.diagnostics if d.is_error]
        head = "\n".join(d.format() for d in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"the catalog has {len(errors)} error(s):\n{head}{more}")
