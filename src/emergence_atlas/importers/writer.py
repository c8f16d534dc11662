"""Writer: curve dicts -> ``catalog/curves/<id>.yaml``, byte for byte the same on every run.

Last part of the import step (third-party file -> importer -> curve dicts -> this
writer). The output is hand-formatted rather than dumped, so that it reads like the
hand-written catalog files:

* the schema modeline, then a comment naming the importer and its input file(s);
* keys in the schema's order, series sorted by family and label, points by scale;
* scale values as ``7e9`` / ``8.4e22``, scores with the digits of the input file;
* one flow mapping per point, folded blocks for long notes.

Every file is read back with PyYAML and compared with the dict it came from before it
is written, so a quoting mistake cannot reach the catalog.
"""

from __future__ import annotations

import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .common import Num

MODELINE = "# yaml-language-server: $schema=../../schema/curve.schema.json"
WIDTH = 100

_ORDER = {
    "curve": ["task", "metric", "entries", "series", "notes"],
    "task": ["benchmark", "name", "answer_format", "keywords"],
    "metric": ["name", "name_in_source", "random_baseline", "scale", "note"],
    "series": ["family", "family_name", "label", "prompting", "source", "data", "points"],
    "prompting": ["strategy", "shots"],
    "source": ["key", "locator", "evidence"],
    "data": ["file", "columns", "license", "harness", "url", "attribution"],
    "point": ["model_name", "size", "params", "active_params", "train_tokens", "train_flops", "score"],
}
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([KMBT])$")
_UNIT = {"K": 3, "M": 6, "B": 9, "T": 12}


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or (flow and _FLOW_UNSAFE.search(text)):
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text or text.endswith(":"):
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False


def scalar(value: Any, *, flow: bool = False) -> str:
    """One scalar as YAML text: numbers verbatim, text plain when safe, else double-quoted."""
    if isinstance(value, Num):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise TypeError("floats are not written; carry numbers as Num text")
    text = str(value)
    return text if _plain_ok(text, flow) else json.dumps(text, ensure_ascii=False)


def _flow_map(mapping: dict[str, Any], kind: str) -> str:
    parts = [f"{k}: {scalar(mapping[k], flow=True)}" for k in _ordered(mapping, kind)]
    return "{" + ", ".join(parts) + "}"


def _flow_seq(items: list[Any]) -> str:
    return "[" + ", ".join(scalar(i, flow=True) for i in items) + "]"


def _ordered(mapping: dict[str, Any], kind: str) -> list[str]:
    order = _ORDER[kind]
    unknown = [k for k in mapping if k not in order]
    if unknown:
        raise KeyError(f"{kind}: unknown field(s) {unknown}")
    return [k for k in order if k in mapping]


def _text_block(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    one_line = f"{pad}{key}: {scalar(text)}"
    if len(one_line) <= WIDTH and "\n" not in text:
        return [one_line]
    if "  " in text or text != text.strip() or "\n" in text:
        return [one_line]  # folding would change the text; keep it on one quoted line
    lines = textwrap.wrap(text, width=WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in lines)]


def _item_block(text: str, indent: int) -> list[str]:
    pad = " " * indent
    one_line = f"{pad}- {scalar(text)}"
    if len(one_line) <= WIDTH:
        return [one_line]
    if "  " in text or text != text.strip() or "\n" in text:
        return [one_line]
    lines = textwrap.wrap(text, width=WIDTH - indent - 4, break_long_words=False, break_on_hyphens=False)
    return [f"{pad}- >-", *(f"{pad}    {line}" for line in lines)]


def _mapping_block(mapping: dict[str, Any], kind: str, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key in _ordered(mapping, kind):
        value = mapping[key]
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            out.extend(_mapping_block(value, key, indent + 2))
        elif isinstance(value, (list, tuple)):
            flow = f"{pad}{key}: {_flow_seq(list(value))}"
            if len(flow) <= WIDTH or not value:
                out.append(flow)
            else:
                out.append(f"{pad}{key}:")
                out.extend(f"{pad}  - {scalar(item)}" for item in value)
        elif isinstance(value, str) and not isinstance(value, Num):
            out.extend(_text_block(key, value, indent))
        else:
            out.append(f"{pad}{key}: {scalar(value)}")
    return out


def _scale_key(point: dict[str, Any]) -> tuple[Any, ...]:
    def number(key: str) -> Decimal:
        raw = point.get(key)
        return Decimal(str(raw)) if raw is not None else Decimal(0)

    size = point.get("size") or ""
    match = _SIZE.match(size)
    size_value = Decimal(match.group(1)).scaleb(_UNIT[match.group(2)]) if match else Decimal(0)
    return (number("params") or size_value, number("train_tokens"), number("train_flops"),
            size, point.get("model_name") or "")


def _series_key(series: dict[str, Any]) -> tuple[str, str]:
    return (str(series.get("family") or series.get("family_name") or "").lower(), str(series["label"]))


def normalise(curve: dict[str, Any]) -> dict[str, Any]:
    """The curve with series and points in the writer's order (a new dict)."""
    out = dict(curve)
    series = []
    for s in sorted(curve["series"], key=_series_key):
        s = dict(s)
        s["points"] = sorted(s["points"], key=_scale_key)
        series.append(s)
    out["series"] = series
    return out


def render(curve: dict[str, Any], *, importer: str, inputs: list[str]) -> str:
    """The YAML text of one curve.

    ``id`` is the file name and is not written; an ``inputs`` list in the curve (the input
    files it was built from) overrides ``inputs`` in the header comment.
    """
    curve = normalise(curve)
    body = {k: v for k, v in curve.items() if k not in ("id", "inputs")}
    lines = [MODELINE, "#"]
    sources = ", ".join(curve.get("inputs") or inputs)
    header = f"Generated by {importer} from {sources}. Re-run the importer rather than editing by hand."
    lines.extend("# " + line for line in textwrap.wrap(header, width=WIDTH - 2, break_long_words=False,
                                                          break_on_hyphens=False))
    for key in _ordered(body, "curve"):
        value = body[key]
        if key in ("task", "metric"):
            lines.append(f"{key}:")
            lines.extend(_mapping_block(value, key, 2))
        elif key == "entries":
            if value:
                lines.append("entries:")
                lines.extend(f"  - {scalar(e)}" for e in value)
            else:
                lines.append("entries: []")
        elif key == "series":
            lines.append("series:")
            for series in value:
                lines.extend(_series_block(series))
        elif key == "notes":
            if value:
                lines.append("notes:")
                for note in value:
                    lines.extend(_item_block(note, 2))
    text = "\n".join(lines) + "\n"
    _check_round_trip(text, body)
    return text


def _series_block(series: dict[str, Any]) -> list[str]:
    out: list[str] = []
    first = True
    for key in _ordered(series, "series"):
        value = series[key]
        lead = "  - " if first else "    "
        first = False
        if key in ("prompting", "source"):
            out.append(f"{lead}{key}: {_flow_map(value, key)}")
        elif key == "data":
            out.append(f"{lead}data:")
            out.extend(_mapping_block(value, "data", 6))
        elif key == "points":
            out.append(f"{lead}points:")
            out.extend(f"      - {_flow_map(p, 'point')}" for p in value)
        else:
            text_lines = _text_block(key, value, 4) if isinstance(value, str) and not isinstance(value, Num) \
                else [f"    {key}: {scalar(value)}"]
            text_lines[0] = lead + text_lines[0][4:]
            out.extend(text_lines)
    return out


def _as_loaded(value: Any) -> Any:
    if isinstance(value, Num):
        return yaml.safe_load(str(value))
    if isinstance(value, dict):
        return {k: _as_loaded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_loaded(v) for v in value]
    return value


def _check_round_trip(text: str, body: dict[str, Any]) -> None:
    loaded = yaml.safe_load(text)
    expected = _as_loaded(body)
    if not expected.get("entries"):
        expected["entries"] = []
    if "notes" in expected and not expected["notes"]:
        del expected["notes"]
    if loaded != expected:
        raise ValueError("rendered YAML does not read back as the curve it came from")


def write_curves(curves: list[dict[str, Any]], out_dir: Path, *, importer: str, inputs: list[str]) -> list[Path]:
    """Write every curve to ``out_dir/<id>.yaml`` (only when the text changed); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = [c["id"] for c in curves]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate curve ids: {', '.join(duplicates)}")
    written = []
    for curve in sorted(curves, key=lambda c: c["id"]):
        path = out_dir / f"{curve['id']}.yaml"
        text = render(curve, importer=importer, inputs=inputs)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
