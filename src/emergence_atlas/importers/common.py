"""Shared pieces of the importers: numbers as printed, scale formatting, curve skeletons.

Part of the import step (third-party data file -> curve dicts -> ``catalog/curves/*.yaml``).
Every importer reads its input with the standard library, turns each row into curve
points through the helpers here, and hands plain dicts to :mod:`.writer`. Numbers are
carried as text (:class:`Num`) from the input file to the YAML file, so a score is
written with exactly the digits the source printed; scale values are computed with
:class:`decimal.Decimal` (for example ``7.0`` billion -> ``7e9``), never with floats.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

#: PyYAML's (YAML 1.1) resolvers: text matching these loads as int / float, not str.
_YAML_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_YAML_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$|^[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?$")

BILLION = Decimal(10) ** 9
TRILLION = Decimal(10) ** 12


class Num(str):
    """Numeric text that the writer emits verbatim (unquoted)."""

    __slots__ = ()


class InputError(ValueError):
    """An input file does not have the shape an importer expects."""


@dataclass
class ImportResult:
    """What an importer returns: curve dicts plus a log of how artifacts were handled."""

    curves: list[dict[str, Any]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)


def decimal(text: str) -> Decimal:
    """The number in ``text`` (as printed), or raise :class:`InputError`."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise InputError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise InputError(f"not a finite number: {text!r}")
    return value


def score(text: str) -> Num:
    """A score exactly as printed, in a form YAML reads back as the same number.

    Text that YAML 1.1 already reads as an int or float (``0.4379``, ``12``, ``1.5e-05``
    with a dot) is kept unchanged; anything else (``1e-05``) is rewritten as the same
    decimal without an exponent (``0.00001``), which changes no digit of the value.
    """
    text = text.strip()
    value = decimal(text)
    if _YAML_INT.match(text) or _YAML_FLOAT.match(text):
        return Num(text)
    plain = format(value, "f")
    if "." not in plain:
        plain += ".0"
    return Num(plain)


def _trim(mantissa: Decimal) -> str:
    text = format(mantissa.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def engineering(value: Decimal) -> Num:
    """``value`` as mantissa and an exponent that is a multiple of 3: ``7e9``, ``124e6``, ``1.4e12``."""
    if value <= 0:
        raise InputError(f"scale value must be positive, got {value}")
    exponent = (value.adjusted() // 3) * 3
    mantissa = _trim(value.scaleb(-exponent))
    return Num(f"{mantissa}e{exponent}" if exponent else mantissa)


def scientific(value: Decimal) -> Num:
    """``value`` with one digit before the point: ``8.4e22``."""
    if value <= 0:
        raise InputError(f"scale value must be positive, got {value}")
    exponent = value.adjusted()
    return Num(f"{_trim(value.scaleb(-exponent))}e{exponent}")


_SIZE_IN_NAME = re.compile(r"(?<![0-9.])(\d+(?:\.\d+)?)\s*([mMbB])(?![a-zA-Z])")
_SIZE_WITH_DIGIT_UNIT = re.compile(r"(?<![0-9.])(\d+)([mMbB])(\d+)(?![0-9])")


def params_from_name(name: str) -> Decimal:
    """The nominal parameter count in a model name: ``llama-7B`` -> 7e9, ``bloom-7b1`` -> 7.1e9.

    Only for files that give sizes in model names alone; the curve notes say so.
    """
    match = _SIZE_WITH_DIGIT_UNIT.search(name)
    if match:  # BLOOM style: 7b1 = 7.1B, 1b7 = 1.7B
        number = Decimal(f"{match.group(1)}.{match.group(3)}")
        unit = match.group(2).lower()
    else:
        match = _SIZE_IN_NAME.search(name)
        if not match:
            raise InputError(f"no size in model name {name!r}")
        number = Decimal(match.group(1))
        unit = match.group(2).lower()
    return number * (BILLION if unit == "b" else Decimal(10) ** 6)


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts (UTF-8, a byte-order mark is dropped)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def require_columns(rows: list[dict[str, str]], columns: Iterable[str], path: Path) -> None:
    """Raise :class:`InputError` when a column the importer reads is missing."""
    if not rows:
        raise InputError(f"{path.name}: no data rows")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise InputError(f"{path.name}: missing column(s) {', '.join(missing)}")


def slug(text: str) -> str:
    """Lower-case words joined by single hyphens: ``logical_deduction (3)`` -> ``logical-deduction-3``."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return re.sub(r"-{2,}", "-", out)


def point(score_text: str, *, model_name: str | None = None, size: str | None = None,
          params: Decimal | None = None, train_tokens: Decimal | None = None,
          train_flops: Decimal | None = None) -> dict[str, Any]:
    """One curve point; scale values given as Decimals are formatted here."""
    out: dict[str, Any] = {}
    if model_name is not None:
        out["model_name"] = model_name
    if size is not None:
        out["size"] = size
    if params is not None:
        out["params"] = engineering(params)
    if train_tokens is not None:
        out["train_tokens"] = engineering(train_tokens)
    if train_flops is not None:
        out["train_flops"] = scientific(train_flops)
    out["score"] = score(score_text)
    return out


def data_block(*, file: str, columns: Iterable[str], license: str, harness: str | None = None,
               url: str | None = None, attribution: str | None = None) -> dict[str, Any]:
    """The ``data`` provenance of a series (see ``DataProvenance``)."""
    out: dict[str, Any] = {"file": file, "columns": sorted(set(columns)), "license": license}
    if harness:
        out["harness"] = harness
    if url:
        out["url"] = url
    if attribution:
        out["attribution"] = attribution
    return out


def plural(n: int, word: str) -> str:
    """``1 row``, ``3 rows``."""
    return f"{n} {word}" + ("" if n == 1 else "s")
