"""Validation: a loaded YAML document -> a schema model, or diagnostics at the right lines.

Part of the schema step. Translates pydantic's errors into the project's stable
codes and points each at the line and column of the offending key or value.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic
from ..loading import LoadedDocument
from ..suggest import did_you_mean

M = TypeVar("M", bound=BaseModel)

_TYPE_ERRORS = {
    "string_type", "int_type", "float_type", "bool_type", "dict_type", "list_type", "tuple_type",
    "model_type", "model_attributes_type", "number_type", "int_from_float", "int_parsing",
    "float_parsing", "none_required",
}
_CODE_BY_TYPE = {
    "extra_forbidden": "E201",
    "missing": "E203",
    "enum": "E204",
    "literal_error": "E204",
    "scale_range": "E205",
    "greater_than_equal": "E205",
    "less_than_equal": "E205",
    "scale_format": "E206",
    "string_pattern_mismatch": "E208",
    "string_too_long": "E209",
    "too_long": "E209",
}


def dotted(loc: tuple[Any, ...]) -> str:
    """``('a', 0, 'b')`` -> ``a[0].b``: how diagnostics name a field."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _fields_of(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at ``loc`` (for "did you mean" hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = _model_in(annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _message(model: type[BaseModel], error: dict[str, Any], data: Any) -> tuple[str, str, bool]:
    """(code, message, points-at-value) for one pydantic error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    where = dotted(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = [f for f in _fields_of(model, loc[:-1]) if f != "id" or len(loc) > 1]
        hint = did_you_mean(name, allowed) or (f" (allowed: {', '.join(allowed)})" if allowed else "")
        return "E201", f"unknown field '{where}'{hint}", False
    if kind == "missing":
        return "E203", f"missing required field '{where}'", False
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return "E204", f"{where}: {error['input']!r} is not allowed; use one of {expected}", True
    if kind in _TYPE_ERRORS:
        got = error.get("input")
        hint = ""
        if isinstance(got, bool) and kind == "string_type":
            hint = " (YAML reads yes/no/on/off/true/false as booleans: quote the text)"
        return "E202", f"{where}: {error['msg'].lower()}, got {type(got).__name__} {got!r}{hint}", True
    code = _CODE_BY_TYPE.get(kind, "E210")
    msg = error["msg"]
    if kind == "too_short":
        msg = f"needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)"
    if kind == "string_pattern_mismatch":
        msg = f"{error['input']!r} is not a valid identifier (lower-case a-z, 0-9, single hyphens)" \
            if "a-z0-9]+(?:-" in error.get("ctx", {}).get("pattern", "") else f"{error['input']!r} has an invalid form"
    elif code == "E210" and msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return code, f"{where}: {msg}", True


def validate_document(doc: LoadedDocument, model: type[M],
                      extra: dict[str, Any] | None = None) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``doc.data`` (plus ``extra`` fields such as the id) against ``model``."""
    data = dict(doc.data)
    data.update(extra or {})
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        diags = []
        errors = exc.errors(include_url=False)
        nested = {tuple(e["loc"][:i]) for e in errors for i in range(len(e["loc"]))}
        for error in errors:
            if error["type"] == "too_short" and tuple(error["loc"]) in nested:
                continue  # an item failed; the item's own error says why
            code, message, of_value = _message(model, dict(error), data)
            of_value = of_value and not isinstance(error.get("input"), dict)
            diags.append(doc.diagnostic(tuple(error["loc"]), code, message, of_value=of_value))
        return None, diags
