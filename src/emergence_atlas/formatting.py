"""Formatting: numbers and scale quantities as people read them, for pages, the CLI and plots.

A helper at the bottom of the flow (no catalog types). One decision lives here:
training FLOPs are shown in scientific notation (``2.3×10²²``), parameter and
token counts as human counts (``13B``), losses as plain numbers.
"""

from __future__ import annotations

import math

#: How pages name each quantity.
QUANTITY_LABELS = {"params": "parameters", "train_tokens": "training tokens", "train_flops": "training FLOPs",
                   "pretraining_loss": "pre-training loss"}

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _trim(number: float, digits: int = 3) -> str:
    text = f"{number:.{digits}g}"
    if "e" in text:
        text = f"{number:.{digits}f}".rstrip("0").rstrip(".")
    return text


def human_count(value: float | None) -> str:
    """``13e9`` -> ``13B``; ``40e6`` -> ``40M``; ``174.6e9`` -> ``174.6B``; None -> ``unknown``."""
    if value is None:
        return "unknown"
    for factor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= factor:
            return _trim(value / factor, 4) + suffix
    return _trim(value, 4)


def scientific(value: float | None) -> str:
    """``2.3e22`` -> ``2.3×10²²`` (mantissa to three significant figures); None -> ``unknown``."""
    if value is None:
        return "unknown"
    if value == 0 or not math.isfinite(value):
        return str(value)
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    if round(mantissa, 2) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    mant = _trim(mantissa, 3)
    return f"{mant}×10{str(exponent).translate(_SUPERSCRIPT)}"


def plain(value: float | None) -> str:
    """A plain number (``2.1``) for quantities that are not counts; None -> ``unknown``."""
    return "unknown" if value is None else f"{value:g}"


def format_quantity(kind: str, value: float | None) -> str:
    """A scale value as pages show it: FLOPs in scientific notation, loss plain, counts human."""
    if kind == "train_flops":
        return scientific(value)
    if kind == "pretraining_loss":
        return plain(value)
    return human_count(value)


def sort_key(value: float | None) -> str:
    """The exact number as a table cell's ``data-sort`` value (empty when unknown)."""
    return repr(value) if value is not None else ""
