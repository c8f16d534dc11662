"""Scale quantities: parameters, training tokens and training FLOPs, with provenance.

Part of the schema step. Accepts the forms people write (``13e9``, ``13B``,
``2.3E+22``, and ``2e22``, which YAML 1.1 loads as a string), normalises them to
floats, and rejects what is ambiguous (``13 billion``, ``13b``, ``12,850``) or
impossible (zero, negative, non-finite, outside the bounds below).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

#: The scale quantities of an entry or a model size (the loss threshold is an entry's own).
SCALE_KINDS = ("params", "train_tokens", "train_flops")

#: Physically sensible bounds per quantity (inclusive). Documented on the methodology page.
BOUNDS: dict[str, tuple[float, float]] = {
    "params": (1e3, 1e14),
    "train_tokens": (1e6, 1e16),
    "train_flops": (1e12, 1e30),
    "pretraining_loss": (0.01, 20.0),
}

_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_SUFFIXED = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([KMBT])$")
_LOWER_SUFFIXED = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*([kmbtg])$")

ACCEPTED_FORMS = "a plain number (13e9, 2.3E+22, 175000000000) or a number with K, M, B or T (13B, 40M, 1.4T)"
SCALE_STRING_PATTERN = r"^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:(?:[eE][+-]?\d+)|[KMBT])?$"


def parse_scale(raw: Any) -> float:
    """Turn a scale value as written in YAML into a float, or raise a ``scale_format`` error."""
    if isinstance(raw, bool) or raw is None:
        raise PydanticCustomError("scale_format", "expected a number, got {got}; write " + ACCEPTED_FORMS,
                                  {"got": repr(raw)})
    if isinstance(raw, (int, float)):
        return float(raw)
    if not isinstance(raw, str):
        raise PydanticCustomError("scale_format", "expected a number, got a {kind}", {"kind": type(raw).__name__})
    text = raw.strip()
    if _PLAIN.match(text):
        return float(text)
    match = _SUFFIXED.match(text)
    if match:
        return float(match.group(1)) * _SUFFIX[match.group(2)]
    if _LOWER_SUFFIXED.match(text):
        raise PydanticCustomError(
            "scale_format",
            "'{raw}' is ambiguous (lower-case or unknown unit letter); write " + ACCEPTED_FORMS,
            {"raw": raw},
        )
    raise PydanticCustomError("scale_format", "'{raw}' is not a scale value; write " + ACCEPTED_FORMS, {"raw": raw})


def check_bounds(value: float, kind: str) -> float:
    """Reject non-finite, zero, negative and physically absurd values of a quantity kind."""
    low, high = BOUNDS[kind]
    if not math.isfinite(value):
        raise PydanticCustomError("scale_range", f"{value} is not a finite number")
    if value <= 0:
        raise PydanticCustomError("scale_range", f"{value:g} must be positive")
    if not low <= value <= high:
        raise PydanticCustomError("scale_range", f"{value:g} is outside the plausible range for {kind} ({low:g} to {high:g})")
    return value


def _scale_type(kind: str) -> Any:
    low, high = BOUNDS[kind]
    return Annotated[
        float,
        BeforeValidator(lambda raw: check_bounds(parse_scale(raw), kind)),
        WithJsonSchema({
            "anyOf": [
                {"type": "number", "minimum": low, "maximum": high},
                {"type": "string", "pattern": SCALE_STRING_PATTERN},
            ],
            "description": f"{kind}: {ACCEPTED_FORMS}; between {low:g} and {high:g}",
        }),
    ]


Params = _scale_type("params")
TrainTokens = _scale_type("train_tokens")
TrainFlops = _scale_type("train_flops")
PretrainingLoss = _scale_type("pretraining_loss")


def within_tolerance(a: float, b: float, rel: float) -> bool:
    """True when two positive values differ by at most ``rel`` relative to the larger."""
    return abs(a - b) <= rel * max(abs(a), abs(b))
