"""Scale corrections: the sourced table ``scale_corrections.yaml`` applied to imported curves.

Part of the import step (third-party file -> importer -> curve dicts -> **corrections** ->
writer). Third-party tables sometimes give a model the wrong size, token count or FLOPs
(a value copied from a sibling model, a preview checkpoint, the active instead of the
total parameters of a mixture-of-experts model). The table shipped beside this module
lists, per model name as the input files spell it, what the input says, the corrected
values and the source that gives them. :func:`apply_scale_corrections` rewrites the
matching points and adds one note per corrected model to each curve that has it.

A table entry states what the input said; when an input says something else, the
import stops with :class:`~.common.InputError`, because the entry was written for
other data and has to be reviewed rather than applied blindly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

import yaml

from .common import ImportResult, InputError, engineering, scientific

TABLE = "scale_corrections.yaml"
#: point fields a correction may set (or drop, with null).
FIELDS = ("params", "active_params", "train_tokens", "train_flops")
_WORDS = {"params": "parameters", "active_params": "active parameters", "train_tokens": "training tokens",
          "train_flops": "training FLOPs"}


@dataclass(frozen=True)
class Source:
    """Where a corrected value is printed."""

    title: str
    url: str
    locator: str
    key: Optional[str] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class Correction:
    """One model's corrected scale, with what the input said and the source."""

    model: str
    as_input: dict[str, Decimal]
    corrected: dict[str, Optional[Decimal]]
    flops: str
    reason: str
    source: Source

    def note(self) -> str:
        """The curve note for this correction: what changed, why, and from which source."""
        changes = []
        for name in FIELDS:
            if name not in self.corrected:
                continue
            new = self.corrected[name]
            old = self.as_input.get(name)
            if new is None:
                changes.append(f"{_WORDS[name]} {_text(name, old)} dropped" if old is not None else "")
            elif old is None:
                changes.append(f"{_WORDS[name]} {_text(name, new)} added")
            elif old != new:
                changes.append(f"{_WORDS[name]} {_text(name, old)} -> {_text(name, new)}")
        changed = "; ".join(c for c in changes if c)
        cite = self.source.key or self.source.url
        return f"Scale corrected for {self.model}: {changed}. {self.reason} Source: {cite}, {self.source.locator}. " \
               f"FLOPs: {self.flops}"


def _text(name: str, value: Optional[Decimal]) -> str:
    if value is None:
        return "none"
    return str(scientific(value) if name == "train_flops" else engineering(value))


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float) or value is None:
        raise ValueError(f"{where}: write scale values as text such as 7e9 (got {value!r})")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{where}: not a number: {value!r}") from None
    if not number.is_finite() or number <= 0:
        raise ValueError(f"{where}: scale values must be positive, got {value!r}")
    return number


def parse_table(data: Any) -> dict[str, Correction]:
    """The corrections of a loaded table, by model name (``ValueError`` for a malformed table)."""
    if not isinstance(data, dict) or not isinstance(data.get("corrections"), list) or not data["corrections"]:
        raise ValueError(f"{TABLE}: expected a non-empty list under 'corrections'")
    out: dict[str, Correction] = {}
    for i, raw in enumerate(data["corrections"]):
        where = f"{TABLE}: corrections[{i}]"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: expected a mapping")
        unknown = set(raw) - {"model", "as_input", "corrected", "flops", "reason", "source"}
        missing = {"model", "as_input", "corrected", "flops", "reason", "source"} - set(raw)
        if unknown or missing:
            raise ValueError(f"{where}: unknown fields {sorted(unknown)}, missing fields {sorted(missing)}")
        model = raw["model"]
        if not isinstance(model, str) or not model or model in out:
            raise ValueError(f"{where}: 'model' must be a model name given once, got {model!r}")
        as_input = {k: _number(v, f"{where}.as_input.{k}") for k, v in (raw["as_input"] or {}).items()}
        corrected = {k: (None if v is None else _number(v, f"{where}.corrected.{k}"))
                     for k, v in (raw["corrected"] or {}).items()}
        bad = sorted((set(as_input) | set(corrected)) - set(FIELDS))
        if bad or not corrected:
            raise ValueError(f"{where}: fields must be among {FIELDS} and something must be corrected ({bad})")
        source = raw["source"]
        if not isinstance(source, dict) or not all(isinstance(source.get(k), str) and source[k].strip()
                                                   for k in ("title", "url", "locator")):
            raise ValueError(f"{where}: source needs title, url and locator")
        if not source["url"].startswith("https://"):
            raise ValueError(f"{where}: source url must be an https address")
        extra_keys = set(source) - {"title", "url", "locator", "key", "note"}
        if extra_keys:
            raise ValueError(f"{where}: unknown source fields {sorted(extra_keys)}")
        for text_field in ("flops", "reason"):
            if not isinstance(raw[text_field], str) or not raw[text_field].strip():
                raise ValueError(f"{where}: '{text_field}' must be a sentence")
        out[model] = Correction(model=model, as_input=as_input, corrected=corrected, flops=raw["flops"].strip(),
                                reason=raw["reason"].strip(),
                                source=Source(**{k: (v.strip() if isinstance(v, str) else v)
                                                 for k, v in source.items()}))
    return out


@lru_cache(maxsize=1)
def load_table() -> dict[str, Correction]:
    """The corrections shipped with the package, by model name."""
    text = resources.files(__package__).joinpath(TABLE).read_text(encoding="utf-8")
    return parse_table(yaml.safe_load(text))


def _point_value(point: dict[str, Any], name: str) -> Optional[Decimal]:
    raw = point.get(name)
    return None if raw is None else Decimal(str(raw))


def correct_point(point: dict[str, Any], correction: Correction) -> dict[str, Any]:
    """The point with the correction applied (a new dict); the input must say what the table says."""
    for name in FIELDS:
        expected = correction.as_input.get(name)
        found = _point_value(point, name)
        if expected != found:
            raise InputError(
                f"{correction.model}: the input gives {name} = {found}, the corrections table expects {expected}; "
                f"review the entry in {TABLE}")
    out = dict(point)
    for name, value in correction.corrected.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = scientific(value) if name == "train_flops" else engineering(value)
    order = ["model_name", "size", *FIELDS, "score"]
    return {k: out[k] for k in order if k in out}


def apply_scale_corrections(result: ImportResult, table: Optional[dict[str, Correction]] = None) -> ImportResult:
    """Correct every point whose model is in the table, and note it in each curve that has it.

    Works in place on ``result`` (and returns it). Points are matched by ``model_name``.
    """
    table = load_table() if table is None else table
    used: dict[str, int] = {}
    for curve in result.curves:
        corrected_here: list[str] = []
        for series in curve["series"]:
            points = []
            for p in series["points"]:
                correction = table.get(p.get("model_name") or "")
                if correction is None:
                    points.append(p)
                    continue
                points.append(correct_point(p, correction))
                if correction.model not in corrected_here:
                    corrected_here.append(correction.model)
            series["points"] = points
        if corrected_here:
            curve["notes"] = list(curve.get("notes") or []) + [table[m].note() for m in sorted(corrected_here)]
            for m in corrected_here:
                used[m] = used.get(m, 0) + 1
    if used:
        result.log.append("scale corrections applied: " + ", ".join(f"{m} ({n} curves)" for m, n in sorted(used.items())))
    return result

