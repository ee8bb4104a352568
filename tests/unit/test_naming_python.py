"""The Python names naming.py derives: field attributes, private spellings, reserved words."""

from __future__ import annotations

import ast
import keyword
from pathlib import Path

import pytest
from pydantic import BaseModel

from contractgen import naming
from contractgen.load import load
from contractgen.naming import emit_function, handler_name, stub_name
from contractgen.surfaces import Options
from contractgen.surfaces.python import MODULE_NAMES, render


def test_pydantic_attributes_cover_the_installed_pydantic() -> None:
    public = {n for n in dir(BaseModel) if not n.startswith("_")}
    public |= {n for n in dir(type(BaseModel)) if not n.startswith("_")}  # (the metaclass)
    assert public <= set(naming.PYDANTIC_MODEL_ATTRIBUTES)


def test_soft_keywords_are_fixed_and_cover_those_of_3_11() -> None:
    # 3.12 adds 'type': reading the running Python's list would make output depend on it.
    assert set(keyword.softkwlist) - {"type"} <= set(naming.PYTHON_SOFT_KEYWORDS)
    assert naming.python_attribute("type") == "type"


@pytest.mark.parametrize(
    ("field", "attribute"),
    [
        ("metricKey", "metric_key"),
        ("id", "id"),  # a builtin the generated module does not use stays as it is
        ("class", "class_"),
        ("self", "self_"),
        ("match", "match_"),
        ("str", "str_"),
        ("date", "date_"),
        ("datetime", "datetime_"),
        ("list", "list_"),
        ("dict", "dict_"),
        ("json", "json_"),
        ("copy", "copy_"),
        ("schema", "schema_"),
        ("validate", "validate_"),
        ("register", "register_"),
        ("modelConfig", "model_config_"),
        ("modelDump", "model_dump_"),
        ("modelKey", "model_key"),
    ],
)
def test_python_attribute(field: str, attribute: str) -> None:
    assert naming.python_attribute(field) == attribute
    assert attribute.isidentifier() and not keyword.iskeyword(attribute)


def test_python_private_is_a_name_no_contract_can_take() -> None:
    assert naming.python_private("Context") == "_Context"


def test_python_keyword_type_names() -> None:
    assert {"False", "None", "True"} == naming.PYTHON_KEYWORD_TYPE_NAMES


def _names(code: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_module_names_list_what_the_templates_import_and_define(
    bundled_contracts: Path,
) -> None:
    """MODULE_NAMES, against the handlers, registry and events modules of the bundled tree."""
    spec = load(bundled_contracts).spec
    assert spec is not None
    files = {
        f.path.removeprefix("python/metering/"): f.content
        for f in render(spec, Options())
        if f.path.startswith("python/metering/")
    }
    per_contract = {n for op in spec.operations for n in (handler_name(op), stub_name(op))}
    per_contract |= {emit_function(ev) for ev in spec.events}
    models = _names(files["models.py"])
    for module in ("handlers.py", "registry.py", "events.py"):
        own = _names(files[module]) - models - per_contract - {"annotations"}
        assert own <= MODULE_NAMES, (module, own - MODULE_NAMES)
