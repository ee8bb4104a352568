"""Models only: a JSON Schema file, or pydantic models (``module:Model``), through
the same mapping as OpenAPI components (``types``), into ``models.yaml``.

The root schema becomes a model named after its ``title`` (else the file's
name), and each schema under ``$defs`` or ``definitions`` a model, enum or
union of its own name. Pydantic models are read through their own JSON Schema
(``model_json_schema``); diagnostics then point into that schema, as pydantic
writes it, under the name ``module:Model``.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from contractgen import naming
from contractgen.import_.openapi import ImportOptions, ImportResult, domain_of, place_types
from contractgen.import_.report import Report
from contractgen.import_.source import Loc, Source, Sources
from contractgen.import_.types import Types
from contractgen.load.yamlpos import parse

#: Keys of a schema document's root that hold definitions or say what it is.
ROOT_KEYS = ("$schema", "$id", "$defs", "definitions", "$comment")


def import_json_schema(file: Path, options: ImportOptions) -> ImportResult:
    folder = file.parent
    sources = Sources(folder, "" if str(folder) in ("", ".") else folder.as_posix())
    result = _result(sources, options, options.domain or domain_of(file, None, None))
    doc = sources.read(file.name)
    if doc is not None:
        _map(result, doc, file.stem)
    return result


def import_pydantic(target: str, options: ImportOptions) -> ImportResult:
    """target is 'package.module:Model'; the module is imported (it runs its code)."""
    sources = Sources(Path("."), "")
    module_name, _, attribute = target.partition(":")
    result = _result(sources, options, options.domain or naming.kebab(module_name.rsplit(".")[-1]))
    try:
        model = getattr(importlib.import_module(module_name), attribute)
        schema = model.model_json_schema()
    except Exception as exc:
        sources.error("CG701", f"cannot read pydantic model '{target}': {exc}", Loc(target))
        return result
    doc = parse(json.dumps(schema, indent=2).encode(), target)
    source = Source(target, doc.data, doc.positions)
    sources.files[target] = source
    _map(result, source, attribute)
    return result


def _result(sources: Sources, options: ImportOptions, domain: str) -> ImportResult:
    report = Report(sources, options.strict)
    return ImportResult(domain, {}, report, [], Types(sources, report), sources.diagnostics)


def _map(result: ImportResult, doc: Source, fallback: str) -> None:
    types, root = result.types, Loc(doc.file)
    data: Any = doc.data
    for section in ("$defs", "definitions"):
        defs = data.get(section) if isinstance(data, dict) else None
        for name in defs if isinstance(defs, dict) else ():
            ref = f"#/{section}/" + name.replace("~", "~0").replace("/", "~1")
            types.ref_field({"$ref": ref}, root.at(section, name), None)
    if isinstance(data, dict) and ("properties" in data or "allOf" in data):
        body = {k: v for k, v in data.items() if k not in ROOT_KEYS}
        title = data.get("title")
        types.define(body, root, title if isinstance(title, str) and title else fallback)
    place_types(types, result.files)
    result.report.carry("models", len(types.models))
    result.report.carry("enums", len(types.enums))
    result.report.carry("unions", len(types.unions))
