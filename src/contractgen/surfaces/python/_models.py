"""models.py of a domain package: datamodel-code-generator, called once per domain."""

from __future__ import annotations

import json
from typing import Any


def generate_models(schema: dict[str, Any], aliases: dict[str, str], header: str) -> str:
    """Pydantic v2 source for every ``$defs`` entry of the schema.

    The engine is imported here, not at module level: it is heavy, and only
    building the Python surface needs it.
    """
    from datamodel_code_generator import InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import DatetimeClassType, Formatter

    code = generate(
        json.dumps(schema, sort_keys=False),
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        custom_file_header=header,
        disable_timestamp=True,
        use_schema_description=True,
        use_annotated=True,
        use_subclass_enum=True,
        set_default_enum_member=True,
        capitalise_enum_members=True,
        keep_model_order=True,
        field_constraints=True,
        allow_population_by_field_name=True,
        aliases=aliases,
        use_double_quotes=True,
        use_standard_collections=True,
        use_union_operator=True,
        use_exact_imports=True,
        disable_future_imports=True,
        skip_root_model=True,
        use_type_alias=True,
        output_datetime_class=DatetimeClassType.Datetime,
        formatters=[Formatter.BUILTIN],
        builtin_format_line_length=88,
    )
    if not isinstance(code, str):  # pragma: no cover - only with an output path
        raise TypeError("datamodel-code-generator returned no single module")
    return code if code.endswith("\n") else code + "\n"
