"""JSON Schemas generated from the pydantic models, for editors and CI.

An output beside export, read from the schema layer only (it needs no catalog). Feeds ``schema/*.schema.json`` (written or checked by ``emergence-atlas schema``).
In YAML files the ``id`` is the file name, so the schemas make it optional.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .schema.models import AbilityEntry, Curve, ModelFamily

SCHEMAS: dict[str, type] = {
    "ability.schema.json": AbilityEntry,
    "model-family.schema.json": ModelFamily,
    "curve.schema.json": Curve,
}


def schema_for(model: type) -> dict[str, Any]:
    """The JSON Schema of one catalog file kind."""
    schema: dict[str, Any] = model.model_json_schema(mode="validation")  # type: ignore[attr-defined]
    schema["required"] = [r for r in schema.get("required", []) if r != "id"]
    schema["properties"]["id"]["description"] = "Optional: the file name is the id; if given, it must match."
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return schema


def rendered_schemas() -> dict[str, str]:
    """File name -> JSON text of every generated schema."""
    return {name: json.dumps(schema_for(model), indent=2, ensure_ascii=False) + "\n" for name, model in SCHEMAS.items()}


def stale_schemas(folder: Path) -> list[str]:
    """Names of the schema files in ``folder`` that are missing or differ from the models."""
    stale = []
    for name, text in rendered_schemas().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
