"""The closed word lists of the contract format, each written down once.

Every set has a ``Literal`` type (what the file format's classes, the spec
model and mypy check values against) and a tuple of its words (what code
iterates, compares or prints). Python cannot build a ``Literal`` from a
tuple, so the tuples are read off the ``Literal`` types; where a set has an
order of its own that differs from the order it is written in (auth levels),
the order is a second tuple, checked at import to hold the same words.

The written order matters: it is the order of the ``enum`` lists in the
JSON Schema of the format (``contractgen schema``) and of the choices a
diagnostic offers.
"""

from __future__ import annotations

from typing import Literal, get_args

#: How far a contract is along: in rising order of commitment.
Stability = Literal["idea", "in_creation", "experimental", "beta", "stable", "deprecated"]
#: Who may call an operation (as written in a contract).
Auth = Literal["anonymous", "user", "admin", "service"]
#: What a rate limit counts requests by.
RateLimitKey = Literal["user", "org", "global"]
#: The HTTP methods a contract may choose for its REST route.
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
#: The success statuses an operation's REST route may answer with (204 and 205: no body).
SuccessStatus = Literal[200, 201, 202, 204, 205, 207]
#: The redirects a REST route may answer with; each sends a ``Location`` header.
RedirectStatus = Literal[301, 302, 303, 307, 308]
#: What ``transport.rest.status`` may choose: a success, or a redirect (an operation
#: whose only answer is a redirect, such as a download).
MainStatus = Literal[SuccessStatus, RedirectStatus]
#: The other answers a route may declare (``transport.rest.responses``): a main status,
#: or 304 Not Modified (the answer to a conditional request).
AnswerStatus = Literal[MainStatus, 304]
#: What an operation is.
OperationKind = Literal["command", "query"]
#: What a contract file holds (its ``kind:``): an operation, an event or only definitions.
FileKind = Literal[OperationKind, "event", "models"]
#: Where a type name a field uses is defined.
TypeKind = Literal["scalar", "model", "enum", "union"]

#: Field constraints (1.1), by what they fit, each spelt as its JSON Schema keyword.
TextConstraint = Literal["minLength", "maxLength", "pattern"]
NumberConstraint = Literal[
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"
]
ArrayConstraint = Literal["minItems", "maxItems", "uniqueItems"]
Constraint = Literal[TextConstraint, NumberConstraint, ArrayConstraint]

#: Stabilities in rising order of commitment, for comparisons.
STABILITY_ORDER: tuple[Stability, ...] = get_args(Stability)
#: Auth levels as written in the format.
AUTH_LEVELS: tuple[Auth, ...] = get_args(Auth)
#: Auth levels from the most open to the strictest.
AUTH_ORDER: tuple[Auth, ...] = ("anonymous", "user", "service", "admin")
RATE_LIMIT_KEYS: tuple[RateLimitKey, ...] = get_args(RateLimitKey)
HTTP_METHODS: tuple[HttpMethod, ...] = get_args(HttpMethod)
SUCCESS_STATUSES: tuple[SuccessStatus, ...] = get_args(SuccessStatus)
REDIRECT_STATUSES: tuple[RedirectStatus, ...] = get_args(RedirectStatus)
MAIN_STATUSES: tuple[MainStatus, ...] = get_args(MainStatus)
#: In rising order (the order documents list them in).
ANSWER_STATUSES: tuple[AnswerStatus, ...] = tuple(sorted(get_args(AnswerStatus)))
#: Answers without a body: the output never travels with them.
BODYLESS_STATUSES = frozenset({204, 205, 304, *REDIRECT_STATUSES})
OPERATION_KINDS: tuple[OperationKind, ...] = get_args(OperationKind)
FILE_KINDS: tuple[FileKind, ...] = get_args(FileKind)
TEXT_CONSTRAINTS: tuple[TextConstraint, ...] = get_args(TextConstraint)
NUMBER_CONSTRAINTS: tuple[NumberConstraint, ...] = get_args(NumberConstraint)
ARRAY_CONSTRAINTS: tuple[ArrayConstraint, ...] = get_args(ArrayConstraint)
#: Every constraint, in the order the surfaces write them.
CONSTRAINTS: tuple[Constraint, ...] = (*TEXT_CONSTRAINTS, *NUMBER_CONSTRAINTS, *ARRAY_CONSTRAINTS)

#: Methods whose REST input travels as query parameters rather than a request body.
PARAMETER_METHODS = frozenset({"GET", "DELETE", "HEAD"})

#: The errors every operation may end with whatever its contract declares, as the
#: runtime sends them: (code, HTTP status, description, when). Every generated
#: package, the OpenAPI document and the GraphQL error enums list them.
STANDARD_ERRORS: tuple[tuple[str, int, str, str], ...] = (
    ("FORBIDDEN", 403, "Forbidden", "The caller's auth level is too low"),
    ("INTERNAL", 500, "Internal error", "The service failed; the caller's request was valid"),
    ("OPERATION_NOT_FOUND", 404, "Operation not found", "No operation has this key and version"),
    ("RATE_LIMITED", 429, "Too many requests", "The caller went over the operation's rate limit"),
    ("UNAUTHENTICATED", 401, "Authentication required", "An anonymous caller needs more access"),
    ("VALIDATION_FAILED", 422, "Invalid input", "The input does not match the contract"),
)

#: The standard codes a caller may retry as they are (a rate limit passes: the
#: problem's ``retryable`` is true and ``Retry-After`` says when).
RETRYABLE_STANDARD_CODES = frozenset({"RATE_LIMITED"})

#: The root types of the GraphQL surface: no model or enum may take their names.
GRAPHQL_ROOT_TYPES = ("Query", "Mutation", "Subscription")

#: Words type names usually end with, by the place that names a type (the
#: contract key, or ``type`` for a field), most likely first: a name written
#: without one (``payload: OrderPlaced``) is suggested with it
#: (``OrderPlacedPayload``) before any name that is merely spelt alike.
TYPE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "io.input": ("Input", "Request", "Params", "Args", "Command", "Query", "Filter"),
    "io.output": ("Output", "Response", "Result", "Page", "List", "Payload"),
    "payload": ("Payload", "Event", "Data", "Body"),
    "type": (
        "Input",
        "Output",
        "Payload",
        "Request",
        "Response",
        "Result",
        "Item",
        "Data",
        "Info",
        "Details",
        "Summary",
        "Type",
        "Kind",
        "Status",
        "Id",
    ),
}

if sorted(AUTH_ORDER) != sorted(AUTH_LEVELS):  # pragma: no cover - a slip when editing
    raise RuntimeError("AUTH_ORDER must order exactly the levels of Auth")
