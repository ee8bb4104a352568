"""Names every surface derives from a contract, computed in one place.

Surfaces, the loader's collision checks and the breaking-change differ all
use these functions, so a name means the same thing everywhere.
"""

from __future__ import annotations

import functools
import keyword
import re
from collections.abc import Container

from contractgen.spec.model import Event, Operation
from contractgen.spec.model import major as major
from contractgen.spec.scalars import SCALARS
from contractgen.spec.vocabulary import BODYLESS_STATUSES, PARAMETER_METHODS, REDIRECT_STATUSES

#: The Python package the generated domain packages share: no domain may be named so.
RUNTIME_PACKAGE = "contractgen_runtime"
#: The field every GraphQL root type has, answering the generator's version (so that no
#: root type is ever empty).
GRAPHQL_VERSION_FIELD = "contractgenVersion"

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def words(text: str) -> list[str]:
    """Splits 'usage.recordBatch' or 'batch_recorded' into lower-case words."""
    out: list[str] = []
    for part in re.split(r"[._\-\s/]+", text):
        out.extend(w.lower() for w in _WORD.findall(part))
    return out


def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(text))


def camel(text: str) -> str:
    p = pascal(text)
    return p[:1].lower() + p[1:]


def snake(text: str) -> str:
    return "_".join(words(text))


def kebab(text: str) -> str:
    return "-".join(words(text))


def upper_snake(text: str) -> str:
    return snake(text).upper()


def major_suffix(version: str) -> str:
    """'' for majors 0 and 1, 'V2' from major 2 on."""
    m = major(version)
    return f"V{m}" if m >= 2 else ""


#: Python's soft keywords as Python 3.11 lists them. Written down rather than read
#: from ``keyword`` so that the output does not depend on the Python that runs
#: contractgen (3.12 adds ``type``).
PYTHON_SOFT_KEYWORDS = ("_", "case", "match")

#: Python keywords that are valid type names of the format: a class cannot be named so.
PYTHON_KEYWORD_TYPE_NAMES = frozenset(k for k in keyword.kwlist if k[:1].isupper())

#: The public attributes of pydantic's ``BaseModel`` (v2, with the deprecated v1
#: names it still has, and ``mro`` and ``register`` of its metaclass). A field named
#: so would shadow one: pydantic warns or refuses.
#: Fixed so that output does not depend on the pydantic installed; a test checks that
#: it covers the installed pydantic's.
PYDANTIC_MODEL_ATTRIBUTES = (
    "construct",
    "copy",
    "dict",
    "from_orm",
    "json",
    "model_computed_fields",
    "model_config",
    "model_construct",
    "model_copy",
    "model_dump",
    "model_dump_json",
    "model_extra",
    "model_fields",
    "model_fields_set",
    "model_json_schema",
    "model_parametrized_name",
    "model_post_init",
    "model_rebuild",
    "model_validate",
    "model_validate_json",
    "model_validate_strings",
    "mro",
    "parse_file",
    "parse_obj",
    "parse_raw",
    "register",
    "schema",
    "schema_json",
    "update_forward_refs",
    "validate",
)

#: Names the annotations of a generated models module use that a field could take:
#: the names in the scalars' Python types (``str``, ``date``, ``datetime``, ``Any``...)
#: and ``list`` (arrays).
_ANNOTATION_NAMES = frozenset(
    {
        "list",
        *(w for s in SCALARS.values() for w in re.findall(r"[A-Za-z_]\w*", s.python_annotation)),
    }
)


def python_identifier(name: str) -> str:
    """A name as a Python identifier: snake_case, keywords get a trailing '_'."""
    ident = snake(name)
    if keyword.iskeyword(ident) or ident in PYTHON_SOFT_KEYWORDS or ident == "self":
        ident += "_"
    return ident


@functools.lru_cache(maxsize=8192)
def python_attribute(name: str) -> str:
    """A field name as the attribute of a generated pydantic model.

    snake_case, with a trailing '_' where that would be a Python keyword,
    ``self``, a name the module's annotations use (``str``, ``date``, ``list``...)
    or an attribute of pydantic's ``BaseModel`` (``json``, ``copy``,
    ``model_config``...). Field names have no '_' of their own, so the result is
    unique within its model. The wire name stays the field name (a pydantic alias).
    """
    ident = python_identifier(name)
    if ident in _ANNOTATION_NAMES or ident in PYDANTIC_MODEL_ATTRIBUTES:
        ident += "_"
    return ident


def python_private(name: str) -> str:
    """How a generated module spells a name of its own (a helper it imports, the
    models module) where a contract's type could take the name: with a leading '_',
    which no contract name has."""
    return "_" + name


# -- domains (1.1: lower case words joined by '-' or '_', as package folders are) -----


def python_package(domain: str) -> str:
    """A domain's Python package: 'feature-flags' -> 'feature_flags'."""
    return python_identifier(domain)


def domain_prefix(domain: str) -> str:
    """A domain as a PascalCase prefix of generated names: 'feature-flags' -> 'FeatureFlags'."""
    return pascal(domain)


def domain_slug(domain: str) -> str:
    """A domain inside URNs: 'feature_flags' -> 'feature-flags'."""
    return kebab(domain)


#: How each surface spells a domain, for the check that no two domains share a spelling.
DOMAIN_SPELLINGS = (
    ("Python package", python_package),
    ("PascalCase prefix", domain_prefix),
    ("URN segment", domain_slug),
)


# -- enum values (1.1: any wire value of letters, digits, '_', '-', '.') -------------

_UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_CASE_STEP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
#: Words GraphQL does not allow as enum values.
GRAPHQL_ENUM_RESERVED = frozenset({"true", "false", "null"})


def python_enum_member(value: str) -> str:
    """An enum value's Python member name: the value itself when it is UPPER_SNAKE_CASE
    (every 1.0 value), else UPPER_SNAKE_CASE of it ('in-progress' -> 'IN_PROGRESS',
    'inProgress' -> 'IN_PROGRESS', 'v2.beta' -> 'V2_BETA', '2fa' -> 'V_2FA')."""
    if _UPPER_SNAKE.match(value):
        return value
    member = re.sub(r"[-.]", "_", _CASE_STEP.sub("_", value)).upper()
    return "V_" + member if member[:1].isdigit() else member


def graphql_enum_value(value: str) -> str:
    """An enum value as a GraphQL name: as written where GraphQL allows it, else with
    '-' and '.' as '_' ('in-progress' -> 'in_progress'), a leading digit behind '_',
    and 'true', 'false', 'null' followed by '_'."""
    name = re.sub(r"[-.]", "_", value)
    if name[:1].isdigit():
        name = "_" + name
    return name + "_" if name in GRAPHQL_ENUM_RESERVED else name


# -- per-contract names ---------------------------------------------------------


def base_name(item: Operation | Event) -> str:
    """PascalCase of the key with the major suffix: 'UsageRecord', 'UsageRecordV2'."""
    return pascal(item.meta.key) + major_suffix(item.meta.version)


def operation_id(op: Operation) -> str:
    return camel(op.meta.key) + major_suffix(op.meta.version)


def gql_field(op: Operation) -> str:
    if op.transport.gql_field:
        return op.transport.gql_field
    return camel(op.meta.key) + major_suffix(op.meta.version)


def gql_event_field(ev: Event) -> str:
    """An event's Subscription field: the key in camelCase, plus 'V2' from major 2 on."""
    return camel(ev.meta.key) + major_suffix(ev.meta.version)


def gql_root(op: Operation) -> str:
    """The GraphQL root type that carries the operation's field."""
    return "Query" if op.kind == "query" else "Mutation"


def operation_summary(op: Operation) -> str:
    """The operation's one-line summary: its title, else its key in words."""
    if op.meta.title:
        return op.meta.title
    text = " ".join(words(op.key))
    return text[:1].upper() + text[1:]


def rest_method(op: Operation) -> str:
    if op.transport.rest_method:
        return op.transport.rest_method
    return "GET" if op.kind == "query" else "POST"


def rest_path(op: Operation) -> str:
    """Default: '/v<major>/' then the key's segments in kebab-case."""
    if op.transport.rest_path:
        return op.transport.rest_path
    segments = "/".join(kebab(s) for s in op.meta.key.split("."))
    return f"/v{major(op.meta.version)}/{segments}"


def rest_status(op: Operation) -> int:
    """The success status of the REST route: as written, else 204 without output, else 200."""
    if op.transport.rest_status is not None:
        return op.transport.rest_status
    return 204 if op.output is None else 200


def answer_output(op: Operation, status: int) -> str | None:
    """The model the body of an answer holds: none for a status without a body, else
    the answer's own model, else the operation's output."""
    if status in BODYLESS_STATUSES:
        return None
    if status == rest_status(op):
        return op.output
    own = next((a.output for a in op.transport.rest_answers if a.status == status), None)
    return own or op.output


def rest_answers(op: Operation) -> list[tuple[int, str | None]]:
    """Every non-error answer of the REST route, by rising status: (status, the model
    its body holds, or None)."""
    statuses = sorted({rest_status(op), *(a.status for a in op.transport.rest_answers)})
    return [(s, answer_output(op, s)) for s in statuses]


def answer_description(op: Operation, status: int) -> str | None:
    """What the contract says of one of its other answers (None for the main status)."""
    return next((a.description for a in op.transport.rest_answers if a.status == status), None)


def graphql_result(op: Operation, status: int) -> bool:
    """Whether GraphQL answers a REST answer as the field's value: a success holding the
    output (or, for an operation without output, any success); the others (304, the
    redirects, a body of another model) have no GraphQL form."""
    return status < 300 and answer_output(op, status) == op.output


def redirects(status: int) -> bool:
    """Whether an answer sends a Location header (a redirect; 304 does not)."""
    return status in REDIRECT_STATUSES


def answers_more(op: Operation) -> bool:
    """Whether the route declares an answer beside its main success (another answer, or
    a redirect as the main one): its clients return a reply that says which it was."""
    return bool(op.transport.rest_answers) or redirects(rest_status(op))


def rest_location(op: Operation, field: str) -> str:
    """Where an input field travels on the REST route: 'path', 'header <Name>', or the
    body ('body') or query string ('query') by the method."""
    if "{" + field + "}" in rest_path(op):
        return "path"
    header = op.transport.header_of(field)
    if header is not None:
        return f"header {header}"
    if field in op.transport.rest_query:
        return "query"
    return "query" if rest_method(op) in PARAMETER_METHODS else "body"


#: The public attributes of the generated Python clients' base classes: an operation's
#: method never takes one (it gets a trailing '_').
PYTHON_CLIENT_ATTRIBUTES = frozenset(
    {"aclose", "auth", "base_url", "close", "errors", "headers", "request_headers", "retry"}
    | {"timeout"}
)


def python_client_method(op: Operation) -> str:
    """An operation's method on the Python clients: the key in snake_case, plus '_v2'
    from major 2 on ('usage.getSummary' -> 'usage_get_summary')."""
    m = major(op.meta.version)
    name = python_identifier(op.meta.key) + (f"_v{m}" if m >= 2 else "")
    return name + "_" if name in PYTHON_CLIENT_ATTRIBUTES else name


#: Names a TypeScript class member cannot take (the generated client's own members).
TYPESCRIPT_CLIENT_MEMBERS = frozenset({"constructor"})


def typescript_method(op: Operation) -> str:
    """An operation's method on the TypeScript client: its operationId ('usageGetSummary',
    'itemCreateV2')."""
    name = operation_id(op)
    return name + "_" if name in TYPESCRIPT_CLIENT_MEMBERS else name


def handler_name(op: Operation) -> str:
    return base_name(op) + "Handler"


def stub_name(op: Operation) -> str:
    """The operation's stand-in handler class in Python: 'UnimplementedUsageRecordHandler'."""
    return "Unimplemented" + handler_name(op)


def event_name(ev: Event) -> str:
    return base_name(ev) + "Event"


def emit_function(ev: Event) -> str:
    """The event's emit helper in Python: 'emit_usage_recorded'."""
    return "emit_" + snake(base_name(ev))


def error_class(code: str) -> str:
    return pascal(code.lower()) + "Error"


def file_stem(item: Operation | Event) -> str:
    """Stem of the per-contract files: the key, plus '.v2' from major 2 on."""
    m = major(item.meta.version)
    return item.meta.key + (f".v{m}" if m >= 2 else "")


def webhook_name(ev: Event) -> str:
    """Name of an event's OpenAPI webhook: the key, plus 'V2' from major 2 on."""
    return ev.meta.key + major_suffix(ev.meta.version)


def webhook_operation_id(ev: Event) -> str:
    """operationId of an event's webhook: 'usageRecordedEvent', 'usageRecordedV2Event'."""
    return camel(event_name(ev))


def surface_names(item: Operation | Event) -> list[tuple[str, str]]:
    """The names a contract takes that no other contract may take, as (what, name): its
    GraphQL field, REST route and operationIds, and its names in its Python package
    (two contracts may derive one: 'a.bC' and 'a_b.c' are both 'emit_abc')."""
    package = python_package(item.domain)
    if isinstance(item, Event):
        return [
            ("GraphQL subscription field", gql_event_field(item)),
            ("operationId", webhook_operation_id(item)),
            ("Python name", f"{package}.{emit_function(item)}"),
        ]
    return [
        ("GraphQL field", gql_field(item)),
        ("REST route", f"{rest_method(item)} {rest_path(item)}"),
        ("operationId", operation_id(item)),
        ("Python name", f"{package}.{handler_name(item)}"),
        ("Python name", f"{package}.{stub_name(item)}"),
    ]


def numbered(candidate: str, taken: Container[str]) -> str:
    """The candidate, or the candidate with the smallest number >= 2 appended that is
    not taken (``AddressInput2``): how a derived name steps aside."""
    name, n = candidate, 2
    while name in taken:
        name, n = f"{candidate}{n}", n + 1
    return name
