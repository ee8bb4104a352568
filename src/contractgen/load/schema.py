"""The contract file format, as written: one pydantic class per YAML mapping.

These classes check the shape of a file (keys, value types, allowed values).
Names, references and rules across files are checked later by ``resolve``.
Their JSON Schema is what ``contractgen schema`` prints for editors.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from contractgen.spec.vocabulary import (
    ANSWER_STATUSES,
    CONSTRAINTS,
    FILE_KINDS,
    Auth,
    HttpMethod,
    MainStatus,
    OperationKind,
    RateLimitKey,
    Stability,
)


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=False)


_Number = int | float


class RawField(_Raw):
    type: str = Field(description="A scalar, model or enum name.")
    is_optional: bool = Field(False, alias="isOptional")
    is_array: bool = Field(False, alias="isArray")
    is_map: bool = Field(
        False, alias="isMap", description="An object of string keys to values of the type."
    )
    description: str | None = None
    deprecated: bool | str = Field(False, description="true, or the reason and replacement.")
    default: Any = Field(None, description="A value of the field's type, used when it is left out.")
    min_length: int | None = Field(None, alias="minLength", ge=0)
    max_length: int | None = Field(None, alias="maxLength", ge=0)
    pattern: str | None = Field(None, description="Valid as ECMA-262 and as Python re.")
    minimum: _Number | None = None
    maximum: _Number | None = None
    exclusive_minimum: _Number | None = Field(None, alias="exclusiveMinimum")
    exclusive_maximum: _Number | None = Field(None, alias="exclusiveMaximum")
    multiple_of: _Number | None = Field(None, alias="multipleOf", gt=0)
    min_items: int | None = Field(None, alias="minItems", ge=0)
    max_items: int | None = Field(None, alias="maxItems", ge=0)
    unique_items: bool | None = Field(None, alias="uniqueItems")

    def constraints(self) -> tuple[tuple[str, Any], ...]:
        """The constraints written, by JSON Schema keyword, in the format's order."""
        found = ((k, getattr(self, attribute)) for k, attribute in _CONSTRAINT_ATTRIBUTES)
        return tuple((k, v) for k, v in found if v is not None)


#: (JSON Schema keyword, RawField attribute) of every constraint, in the format's order.
_CONSTRAINT_ATTRIBUTES = tuple(
    (keyword, next(n for n, f in RawField.model_fields.items() if (f.alias or n) == keyword))
    for keyword in CONSTRAINTS
)


class RawModel(_Raw):
    description: str | None = None
    fields: dict[str, RawField]


class RawEnumValue(_Raw):
    value: str = Field(description="The value as the wire carries it.")
    description: str | None = None
    deprecated: bool | str = Field(False, description="true, or the reason and replacement.")


class RawEnum(_Raw):
    description: str | None = None
    values: list[str | RawEnumValue] = Field(
        description="Wire values: a string, or {value, description, deprecated}."
    )


class RawUnion(_Raw):
    description: str | None = None
    discriminator: str = Field(
        description="The field every member model declares as a required String; "
        "on the wire its value is the member's tag."
    )
    members: dict[str, str] = Field(description="Tag -> member model name.")


class RawMeta(_Raw):
    key: str = Field(description="Dotted key, e.g. usage.record.")
    version: str = Field(description="Semantic version, e.g. 1.0.0.")
    title: str | None = None
    description: str
    goal: str | None = None
    context: str | None = None
    stability: Stability
    owners: list[str]
    tags: list[str] = []
    domain: str | None = None


class RawOperationMeta(RawMeta):
    goal: str
    context: str


class RawError(_Raw):
    description: str
    http: int
    gql_code: str | None = Field(None, alias="gqlCode")
    when: str | None = None
    retryable: bool = False


class RawIO(_Raw):
    input: str | None = Field(description="Input model name, or null for no input.")
    output: str | None = Field(
        description="Output model name, or null for a command that returns nothing."
    )
    errors: dict[str, RawError] = {}


class RawRateLimit(_Raw):
    rpm: int = Field(gt=0)
    key: RateLimitKey = "user"


class RawPolicy(_Raw):
    auth: Auth
    idempotent: bool | None = None
    rate_limit: RawRateLimit | None = Field(None, alias="rateLimit")
    flags: list[str] = []
    pii: list[str] = []


class RawEmit(_Raw):
    event: str
    version: str
    when: str | None = None


class RawSideEffects(_Raw):
    emits: list[RawEmit] = []


class RawAnswer(_Raw):
    description: str = Field(description="When the route answers with this status.")
    output: str | None = Field(
        None,
        description="The model the body holds, for a status with a body (200, 201, 202, "
        "207) whose body is not the operation's output.",
    )


class RawRest(_Raw):
    method: HttpMethod | None = None
    path: str | None = None
    status: MainStatus | None = Field(
        None,
        description="The main status: a success (default 200, or 204 without output), "
        "or a redirect for an operation whose only answer is one.",
    )
    query: list[str] = Field(
        [],
        description="Top-level input fields a POST, PUT or PATCH route takes in its query "
        "string rather than its body.",
    )
    responses: dict[str, RawAnswer] = Field(
        {},
        description="Status -> the other answers the route may give beside its main "
        "status and its errors: another success, 304 or a redirect.",
        json_schema_extra={"propertyNames": {"enum": [str(s) for s in ANSWER_STATUSES]}},
    )
    headers: dict[str, str] = Field(
        {},
        description="Input field -> request header name: top-level scalar input fields "
        "sent as headers, e.g. {idempotencyKey: Idempotency-Key}.",
    )


class RawGql(_Raw):
    field: str


class RawTransport(_Raw):
    rest: RawRest | None = None
    gql: RawGql | None = None


class RawExample(_Raw):
    name: str
    description: str | None = None
    input: Any = None
    output: Any = None


class _Definitions(_Raw):
    models: dict[str, RawModel] = {}
    enums: dict[str, RawEnum] = {}
    unions: dict[str, RawUnion] = {}


class OperationParts(_Definitions):
    """What the checks read of an operation file. A file with shape errors keeps
    its valid parts (``load.shape``): a required section that is not valid is
    None here. ``RawOperationFile``, the file as the format states it, requires them."""

    kind: OperationKind
    meta: RawOperationMeta | None = None
    io: RawIO | None = None
    policy: RawPolicy | None = None
    side_effects: RawSideEffects | None = Field(None, alias="sideEffects")
    transport: RawTransport | None = None
    examples: list[RawExample] = []


class RawOperationFile(OperationParts):
    meta: RawOperationMeta
    io: RawIO
    policy: RawPolicy


class EventParts(_Definitions):
    """What the checks read of an event file (see ``OperationParts``)."""

    kind: Literal["event"]
    meta: RawMeta | None = None
    payload: str | None = None
    pii: list[str] = []


class RawEventFile(EventParts):
    meta: RawMeta
    payload: str


class RawModelsFile(_Definitions):
    kind: Literal["models"]


RawFile = RawOperationFile | RawEventFile | RawModelsFile
#: What survives of a file's contract part (all of it, for a valid file).
FileParts = OperationParts | EventParts | RawModelsFile
#: The class a file of each kind is salvaged into when it has shape errors.
PARTS_CLASSES: dict[str, type[OperationParts] | type[EventParts] | type[RawModelsFile]] = {
    "command": OperationParts,
    "query": OperationParts,
    "event": EventParts,
    "models": RawModelsFile,
}

FILE_CLASSES: dict[str, type[RawOperationFile] | type[RawEventFile] | type[RawModelsFile]] = {
    "command": RawOperationFile,
    "query": RawOperationFile,
    "event": RawEventFile,
    "models": RawModelsFile,
}
if tuple(FILE_CLASSES) != FILE_KINDS:  # pragma: no cover - a slip when editing
    raise RuntimeError("FILE_CLASSES must map exactly the FILE_KINDS, in their order")


def json_schema() -> dict[str, Any]:
    """JSON Schema of a contract file, for editors' YAML language servers."""
    adapter: TypeAdapter[Any] = TypeAdapter(
        Annotated[RawOperationFile | RawEventFile | RawModelsFile, Field(discriminator="kind")]
    )
    schema = adapter.json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "contractgen contract file"
    return schema
