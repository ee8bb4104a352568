"""The breaking-change rules: one entry per rule code of ``contractgen diff``.

The differ (``contractgen.diff.compare``) refers to these entries, never to a
code as a string, and takes every verdict from them. The rule table of
``docs/diff.md`` is generated from them, and each rule has a before/after pair
in ``tests/diff/corpus.py``.
"""

from __future__ import annotations

from contractgen.rules.model import DiffRule, Verdicts
from contractgen.rules.verdicts import Verdict

B, D, S, N = Verdict.BREAKING, Verdict.DANGEROUS, Verdict.SAFE, Verdict.INFO

#: Category -> what it covers, in the order the docs show them.
CATEGORIES: dict[str, str] = {
    "contract": "a whole operation or event",
    "transport": "the names an operation has on each surface",
    "io": "an operation's input and output, an event's payload",
    "error": "declared error codes",
    "policy": "auth, idempotency, rate limits, feature flags, pii",
    "meta": "the meta block: stability, version, texts",
    "model": "models as a whole",
    "enum": "enums and their values",
    "union": "unions and their members, judged per use of the union",
    "field": "the fields of a model, judged per use of the model",
}

_ALL: list[DiffRule] = []


def _rule(
    id: str,
    title: str,
    catches: str,
    cases: dict[str, Verdicts],
    hint: str,
    before: str,
    after: str,
    category: str | None = None,
) -> DiffRule:
    """An entry, in the category its id starts with (operation and event: contract)."""
    prefix = id.split(".", 1)[0]
    category = category or ("contract" if prefix in ("operation", "event") else prefix)
    assert category in CATEGORIES, id
    rule = DiffRule(id, title, category, catches, cases, hint, before, after)
    _ALL.append(rule)
    return rule


def _ops(v: Verdict) -> Verdicts:
    return {"rest": v, "graphql": v, "python": v}


def _wire(v: Verdict) -> Verdicts:
    """Rest and graphql: the policy rules' surfaces."""
    return {"rest": v, "graphql": v}


def _uses(
    inp: tuple[Verdict, Verdict, Verdict],
    out: tuple[Verdict, Verdict, Verdict],
    event: tuple[Verdict, Verdict],
    unused: Verdict,
) -> dict[str, Verdicts]:
    """The cases of a rule judged per use of the changed type: input and output
    (rest, graphql, python), event payload (events, python; on graphql a payload is
    the output type of a Subscription field, judged as an output), and no use at all
    (a type nothing reaches is still a Python class: judged as strictly as any use)."""
    return {
        "input": dict(zip(("rest", "graphql", "python"), inp, strict=True)),
        "output": dict(zip(("rest", "graphql", "python"), out, strict=True)),
        "event": {"events": event[0], "graphql": out[1], "python": event[1]},
        "unused": {"python": unused},
    }


_ANY = "any"
_INFO: dict[str, Verdicts] = {_ANY: {"python": N}}
_KEEP_OLD = "keep the old one beside it until clients move, or bump the major version"

# -- contracts ----------------------------------------------------------------------

OPERATION_REMOVED = _rule(
    "operation.removed",
    "operation removed",
    "an operation line that no longer exists (no version of its major remains)",
    {_ANY: _ops(B)},
    "deprecate it first, and remove it once a newer major replaces it",
    "# item.get.yaml\nkind: query\nmeta: {key: item.get, version: 1.0.0}",
    "# item.get.yaml deleted",
)
EVENT_REMOVED = _rule(
    "event.removed",
    "event removed",
    "an event line that no longer exists",
    {_ANY: {"events": B, "graphql": B, "python": B}},
    "deprecate it first; consumers subscribe to it by key",
    "# item.created.yaml\nkind: event\nmeta: {key: item.created, version: 1.0.0}",
    "# item.created.yaml deleted",
)
OPERATION_ADDED = _rule(
    "operation.added",
    "operation added",
    "a new operation line (a new key, or a new major beside the old one)",
    {_ANY: _ops(S)},
    "nothing to do",
    "# no item.count.yaml",
    "# item.count.yaml\nkind: query\nmeta: {key: item.count, version: 1.0.0}",
)
EVENT_ADDED = _rule(
    "event.added",
    "event added",
    "a new event line",
    {_ANY: {"events": S, "graphql": S, "python": S}},
    "nothing to do",
    "# no item.deleted.yaml",
    "# item.deleted.yaml\nkind: event\nmeta: {key: item.deleted, version: 1.0.0}",
)
OPERATION_KIND = _rule(
    "operation.kind",
    "command and query swapped",
    "an operation's kind changed between command and query: GraphQL moves it between "
    "Mutation and Query; the default REST method changes too",
    {_ANY: {"graphql": B, "python": D}},
    "add a new operation of the other kind instead",
    "kind: query",
    "kind: command",
)

# -- transport -----------------------------------------------------------------------

TRANSPORT_REST_METHOD = _rule(
    "transport.rest-method",
    "REST method changed",
    "the HTTP method of the operation's route changed (set in transport.rest, or by the "
    "defaults of contractgen.naming)",
    {_ANY: {"rest": B}},
    _KEEP_OLD,
    "transport:\n  rest: {method: GET}",
    "transport:\n  rest: {method: POST}",
)
TRANSPORT_REST_PATH = _rule(
    "transport.rest-path",
    "REST path changed",
    "the path of the operation's route changed (set in transport.rest, or derived from the "
    "key and major)",
    {_ANY: {"rest": B}},
    _KEEP_OLD,
    "transport:\n  rest: {path: /v1/items/get}",
    "transport:\n  rest: {path: /v1/items/lookup}",
)
TRANSPORT_REST_STATUS = _rule(
    "transport.rest-status",
    "REST success status changed",
    "the status the operation's route answers on success changed (set in "
    "transport.rest.status; 204 by default for an operation without output, else 200)",
    {_ANY: {"rest": B}},
    "clients branch on the status: " + _KEEP_OLD,
    "transport:\n  rest: {status: 200}",
    "transport:\n  rest: {status: 201}",
)
TRANSPORT_REST_ANSWER_ADDED = _rule(
    "transport.rest-answer-added",
    "REST answer added",
    "the route declares another answer (transport.rest.responses: a second success, 304 "
    "or a redirect): a client built from the old document takes it for a failure; for an "
    "operation that had one answer, the generated clients' method now returns a Reply",
    {"first": {"rest": D, "python": B}, "another": {"rest": D, "python": N}},
    "add answers in a new major, or only where clients already handle the status",
    "transport:\n  rest: {path: /v1/items/get}",
    "transport:\n  rest:\n    path: /v1/items/get\n    responses:\n"
    "      304: {description: Not modified}",
)
TRANSPORT_REST_ANSWER_REMOVED = _rule(
    "transport.rest-answer-removed",
    "REST answer removed",
    "the route no longer declares an answer of transport.rest.responses: clients that "
    "handle it never see it; for an operation left with one answer, the generated clients' "
    "method returns the output again instead of a Reply",
    {"last": {"rest": S, "python": B}, "another": {"rest": S, "python": N}},
    "keep the answer declared until the clients' code no longer reads the Reply",
    "transport:\n  rest:\n    responses:\n      304: {description: Not modified}",
    "transport:\n  rest: {}",
)
TRANSPORT_REST_ANSWER_BODY = _rule(
    "transport.rest-answer-body",
    "REST answer's body changed",
    "an answer of transport.rest.responses now holds another model (its 'output', else the "
    "operation's output): clients read the old model's fields from it",
    {_ANY: {"rest": B, "python": B}},
    _KEEP_OLD,
    "responses:\n  202: {description: Queued, output: Job}",
    "responses:\n  202: {description: Queued, output: QueuedJob}",
)
TRANSPORT_REST_LOCATION = _rule(
    "transport.rest-location",
    "input field moved on the REST route",
    "an input field moved between the path, a request header (or to another header) and the "
    "body or query string: clients send it where it no longer is read",
    {_ANY: {"rest": B}},
    _KEEP_OLD,
    "transport:\n  rest: {path: /v1/items/get}",
    "transport:\n  rest: {path: /v1/items/get, headers: {requestId: X-Request-Id}}",
)
TRANSPORT_GRAPHQL_FIELD = _rule(
    "transport.graphql-field",
    "GraphQL field changed",
    "the GraphQL root field of the operation changed",
    {_ANY: {"graphql": B}},
    _KEEP_OLD,
    "transport:\n  gql: {field: itemGet}",
    "transport:\n  gql: {field: fetchItem}",
)
TRANSPORT_PYTHON_HANDLER = _rule(
    "transport.python-handler",
    "Python handler renamed",
    "the generated handler's name changed (it follows the key and the major)",
    {_ANY: {"python": B}},
    "expected with a major bump; otherwise keep the key",
    "meta: {key: item.get, version: 1.0.0}",
    "meta: {key: item.get, version: 2.0.0}",
)
EVENT_GRAPHQL_FIELD = _rule(
    "event.graphql-field",
    "GraphQL subscription field changed",
    "the event's Subscription field changed (it follows the key and the major)",
    {_ANY: {"graphql": B}},
    "expected with a major bump; otherwise keep the key",
    "meta: {key: item.created, version: 1.0.0}",
    "meta: {key: item.created, version: 2.0.0}",
    category="transport",
)
EVENT_PYTHON_NAME = _rule(
    "event.python-name",
    "Python event class renamed",
    "the generated event class's name changed (it follows the key and the major)",
    {_ANY: {"python": B}},
    "expected with a major bump; otherwise keep the key",
    "meta: {key: item.created, version: 1.0.0}",
    "meta: {key: item.created, version: 2.0.0}",
    category="transport",
)

# -- io --------------------------------------------------------------------------------

IO_INPUT_ADDED = _rule(
    "io.input-added",
    "input added",
    "an operation without input now takes one",
    {_ANY: _ops(B)},
    "add a new operation, or bump the major version",
    "io:\n  output: Stats",
    "io:\n  input: StatsInput\n  output: Stats",
)
IO_INPUT_REMOVED = _rule(
    "io.input-removed",
    "input removed",
    "an operation no longer takes an input",
    {_ANY: _ops(B)},
    "keep the input (its fields may all be optional), or bump the major version",
    "io:\n  input: StatsInput\n  output: Stats",
    "io:\n  output: Stats",
)
IO_OUTPUT_ADDED = _rule(
    "io.output-added",
    "output added",
    "a command that returned nothing (io.output: null) now returns a model: REST answers "
    "with a body (and 200 instead of 204 by default), the GraphQL field's type changes from "
    "Boolean, handlers must return the model",
    {_ANY: _ops(B)},
    "add a new operation, or bump the major version",
    "io:\n  input: ArchiveInput\n  output: null",
    "io:\n  input: ArchiveInput\n  output: Item",
)
IO_OUTPUT_REMOVED = _rule(
    "io.output-removed",
    "output removed",
    "a command no longer returns a model (io.output: null): REST answers without a body, the "
    "GraphQL field becomes a Boolean, handlers return None",
    {_ANY: _ops(B)},
    "keep the output, or bump the major version",
    "io:\n  input: ArchiveInput\n  output: Item",
    "io:\n  input: ArchiveInput\n  output: null",
)


def _io_rules(slot: str, what: str) -> tuple[DiffRule, DiffRule]:
    """The rename and the retype of one io slot; a payload is an event's, the
    input and output an operation's: each rule has that one case."""
    ev = slot == "payload"
    renamed = _rule(
        f"io.{slot}-renamed",
        f"{slot} type renamed",
        f"the {what} names another model of the same shape (a model rename)",
        {"event": {"events": N, "graphql": B, "python": S}}
        if ev
        else {"operation": {"rest": N, "graphql": B, "python": S}},
        "GraphQL queries name the type: keep the name, or bump the major version",
        f"{slot}: ItemInput   # fields: name",
        f"{slot}: ItemLookup  # fields: name",
    )
    retyped = _rule(
        f"io.{slot}-type",
        f"{slot} type replaced",
        f"the {what} names a model of another shape; the field rules between the two models "
        "follow, judged for this contract only",
        {"event": {"graphql": B, "python": B}}
        if ev
        else {"operation": {"graphql": B, "python": B}},
        "change the model itself compatibly, or bump the major version",
        f"{slot}: Item      # fields: id, name",
        f"{slot}: ItemView  # fields: id",
    )
    return renamed, retyped


IO_INPUT_RENAMED, IO_INPUT_TYPE = _io_rules("input", "operation's io.input")
IO_OUTPUT_RENAMED, IO_OUTPUT_TYPE = _io_rules("output", "operation's io.output")
IO_PAYLOAD_RENAMED, IO_PAYLOAD_TYPE = _io_rules("payload", "event's payload")

# -- errors ------------------------------------------------------------------------------

ERROR_REMOVED = _rule(
    "error.removed",
    "error code removed",
    "an operation no longer declares an error code: clients keep a handler that never "
    "fires, and the generated Python error class is gone, so code that imports or catches "
    "it breaks",
    {_ANY: {"errors": D, "rest": D, "graphql": D, "python": B}},
    "keep declaring the code while clients may still name it, or bump the major version",
    "errors:\n  ITEM_NOT_FOUND: {description: No such item, http: 404}",
    "errors: {}",
)
ERROR_ADDED = _rule(
    "error.added",
    "error code added",
    "an operation declares a new error code: clients may meet a code they do not handle",
    {_ANY: {"errors": D, "rest": D, "graphql": D, "python": S}},
    "tell clients; make sure they have a fallback for unknown codes",
    "errors: {}",
    "errors:\n  ITEM_GONE: {description: Gone, http: 410}",
)
ERROR_HTTP = _rule(
    "error.http",
    "error HTTP status changed",
    "an error code's HTTP status changed",
    {_ANY: {"errors": B, "rest": B}},
    "clients branch on the status: add a new code instead",
    "ITEM_NOT_FOUND: {description: No such item, http: 404}",
    "ITEM_NOT_FOUND: {description: No such item, http: 410}",
)
ERROR_GQL_CODE = _rule(
    "error.gql-code",
    "error GraphQL code changed",
    "an error code's GraphQL extension code changed",
    {_ANY: {"errors": B, "graphql": B}},
    "clients branch on the code: add a new error instead",
    "ITEM_NOT_FOUND: {description: No such item, http: 404}",
    "ITEM_NOT_FOUND: {description: No such item, http: 404, gqlCode: NOT_FOUND}",
)
ERROR_RETRYABLE = _rule(
    "error.retryable",
    "error retryability changed",
    "an error code's retryable flag changed: clients that retry on it change behaviour",
    {_ANY: {"errors": D}},
    "tell clients that retry on this code",
    "ITEM_LOCKED: {description: Locked, http: 423}",
    "ITEM_LOCKED: {description: Locked, http: 423, retryable: true}",
)
ERROR_DESCRIPTION = _rule(
    "error.description",
    "error description changed",
    "an error's description or 'when' text changed",
    {_ANY: {"errors": N}},
    "nothing to do",
    "ITEM_NOT_FOUND: {description: No such item, http: 404}",
    "ITEM_NOT_FOUND: {description: Missing, http: 404}",
)

# -- policy -------------------------------------------------------------------------------

POLICY_AUTH = _rule(
    "policy.auth",
    "auth level changed",
    "the auth level changed (anonymous < user < service < admin): tightened, clients lacking "
    "the new level are refused; loosened, nothing breaks but it is a security review item",
    {"tightened": _wire(B), "loosened": _wire(D)},
    "add a new operation with the stricter level, or bump the major version",
    "policy:\n  auth: user",
    "policy:\n  auth: admin",
)
POLICY_IDEMPOTENT = _rule(
    "policy.idempotent",
    "idempotency changed",
    "an operation is no longer (or now) idempotent: clients that retry it may now repeat "
    "its effect",
    {"lost": _wire(D), "gained": _wire(S)},
    "tell clients that retry it",
    "policy:\n  auth: user\n  idempotent: true",
    "policy:\n  auth: user\n  idempotent: false",
)
POLICY_RATE_LIMIT = _rule(
    "policy.rate-limit",
    "rate limit changed",
    "a rate limit was added, lowered or re-keyed (clients may be throttled), or removed or raised",
    {"added, lowered or re-keyed": _wire(D), "removed or raised": _wire(S)},
    "tell clients that call it often",
    "policy:\n  auth: user",
    "policy:\n  auth: user\n  rateLimit: {rpm: 60}",
)
POLICY_FLAGS = _rule(
    "policy.flags",
    "feature flags changed",
    "the feature flags an operation needs changed: gaining one may switch it off for clients",
    {"gained": _wire(D), "only dropped": _wire(S)},
    "turn the flag on for existing clients first",
    "policy:\n  auth: user",
    "policy:\n  auth: user\n  flags: [shop-v2]",
)
POLICY_PII = _rule(
    "policy.pii",
    "pii fields changed",
    "the input fields an operation marks as personal data changed",
    _INFO,
    "nothing to do for clients; tell whoever keeps the logs",
    "policy:\n  auth: user\n  pii: [name]",
    "policy:\n  auth: user\n  pii: [name, note]",
)
EVENT_PII = _rule(
    "event.pii",
    "event pii fields changed",
    "the payload fields an event marks as personal data changed",
    {_ANY: {"events": N}},
    "nothing to do for consumers; tell whoever keeps the logs",
    "payload: ItemCreatedPayload",
    "payload: ItemCreatedPayload\npii: [title]",
    category="policy",
)
OPERATION_EMITS = _rule(
    "operation.emits",
    "emitted events changed",
    "the events an operation declares it emits changed",
    {_ANY: {"events": N}},
    "nothing to do; the events themselves are judged on their own",
    "sideEffects:\n  emits: [{event: item.created, version: 1.0.0}]",
    "sideEffects:\n  emits: []",
)
OPERATION_EXAMPLES = _rule(
    "operation.examples",
    "examples changed",
    "an operation's examples changed (moving them does not count)",
    _INFO,
    "nothing to do",
    "examples:\n  - {name: one, input: {id: a}}",
    "examples:\n  - {name: one, input: {id: b}}",
)

# -- meta -----------------------------------------------------------------------------------

META_STABILITY = _rule(
    "meta.stability",
    "stability changed",
    "a contract's stability was lowered (e.g. stable to beta) or set to deprecated "
    "(dangerous), or raised (info)",
    {
        "lowered or deprecated (operation)": _ops(D),
        "lowered or deprecated (event)": {"events": D, "graphql": D, "python": D},
        "raised (operation)": _ops(N),
        "raised (event)": {"events": N, "graphql": N, "python": N},
    },
    "lowering the promise tells clients to expect breaking changes: announce it",
    "meta: {key: item.get, stability: stable}",
    "meta: {key: item.get, stability: beta}",
)
META_VERSION = _rule(
    "meta.version",
    "version bumped",
    'a contract\'s version changed; "without any change" when nothing else touched the line',
    _INFO,
    "bump the version with the change it announces",
    "meta: {key: item.get, version: 1.0.0}",
    "meta: {key: item.get, version: 1.0.1}",
)


def _meta_text(attr: str) -> DiffRule:
    return _rule(
        f"meta.{attr}",
        f"meta.{attr} changed",
        f"the contract's meta.{attr} changed: documentation only",
        _INFO,
        "nothing to do",
        f"meta:\n  {attr}: old",
        f"meta:\n  {attr}: new",
    )


META_TEXTS: dict[str, DiffRule] = {
    attr: _meta_text(attr) for attr in ("title", "description", "goal", "context", "owners", "tags")
}

# -- models and enums ---------------------------------------------------------------------

MODEL_REMOVED = _rule(
    "model.removed",
    "model removed",
    "a model that no longer exists: its Python class is gone; graphql breaking when an "
    "operation reached it. A model that goes with its removed contract is noted, but the "
    "contract's removal carries the verdict",
    {
        "any": {"python": B, "rest": N},
        "operation": {"graphql": B},
        "event": {"events": N, "graphql": B},
    },
    "keep the model while anything imports it",
    "models:\n  Orphan: {fields: {a: {type: ID}}}",
    "models: {}",
)
MODEL_RENAMED = _rule(
    "model.renamed",
    "model renamed",
    "a removed and an added model of the same shape (same field names, types, optionality, "
    "array-ness), with one candidate only: the JSON wire is unaffected, GraphQL queries and "
    "the Python class name the type",
    {
        "any": {"python": B, "rest": N},
        "operation": {"graphql": B},
        "event": {"events": N, "graphql": B},
    },
    "keep the old name, or bump the major version of the contracts using it",
    "models:\n  SearchResult: {fields: {total: {type: Int}}}",
    "models:\n  SearchPage: {fields: {total: {type: Int}}}",
)
MODEL_ADDED = _rule(
    "model.added",
    "model added",
    "a new model",
    {_ANY: {"python": S}},
    "nothing to do",
    "models: {}",
    "models:\n  ItemView: {fields: {id: {type: ID}}}",
)
MODEL_DESCRIPTION = _rule(
    "model.description",
    "model description changed",
    "a model's description changed",
    _INFO,
    "nothing to do",
    "Item: {description: An item.}",
    "Item: {description: A thing for sale.}",
)
ENUM_REMOVED = _rule(
    "enum.removed",
    "enum removed",
    "an enum that no longer exists: its Python class is gone; graphql breaking when an "
    "operation reached it",
    {
        "any": {"python": B, "rest": N},
        "operation": {"graphql": B},
        "event": {"events": N, "graphql": B},
    },
    "keep the enum while anything imports it",
    "enums:\n  Size: {values: [S, M, L]}",
    "enums: {}",
)
ENUM_ADDED = _rule(
    "enum.added",
    "enum added",
    "a new enum",
    {_ANY: {"python": S}},
    "nothing to do",
    "enums: {}",
    "enums:\n  Size: {values: [S, M, L]}",
)
ENUM_DESCRIPTION = _rule(
    "enum.description",
    "enum description changed",
    "an enum's description changed",
    _INFO,
    "nothing to do",
    "Color: {description: A colour., values: [RED]}",
    "Color: {description: A hue., values: [RED]}",
)
ENUM_VALUE_REMOVED = _rule(
    "enum.value-removed",
    "enum value removed",
    "a value left an enum: a client that sends it is refused, so an input use is breaking; "
    "used only in outputs, clients switching on it keep a dead branch (REST: dangerous). "
    "GraphQL and Python name the value: breaking",
    _uses((B, B, B), (D, B, B), (D, B), B),
    "deprecate the value in the description, and remove it with a major bump",
    "Color: {values: [RED, GREEN]}",
    "Color: {values: [RED]}",
)
ENUM_VALUE_ADDED = _rule(
    "enum.value-added",
    "enum value added",
    "a new enum value: on an output clients may meet a value they do not handle; on an "
    "input only, nothing existing changes",
    _uses((S, S, S), (D, D, S), (D, S), S),
    "make sure clients have a fallback for unknown values",
    "Status: {values: [ACTIVE, ARCHIVED]}",
    "Status: {values: [ACTIVE, ARCHIVED, DELETED]}",
)
ENUM_VALUE_RENAMED = _rule(
    "enum.value-renamed",
    "enum value renamed on the wire",
    "a value was replaced by another that the Python surface spells the same (`PENDING` -> "
    "`pending`, `IN_PROGRESS` -> `in-progress`): the Python member keeps its name, but the "
    "JSON value (and the GraphQL name, where it differs) changes, so clients sending or "
    "reading the old value break",
    _uses((B, B, S), (B, B, S), (B, S), S),
    "keep the wire value as clients send it; port a value by describing it, not renaming it",
    "Status: {values: [IN_PROGRESS]}",
    "Status: {values: [in-progress]}",
)
ENUM_VALUE_NOTES = _rule(
    "enum.value-notes",
    "enum value description or deprecation changed",
    "an enum value's description or deprecation changed",
    _INFO,
    "nothing to do; deprecating a value before removing it is good practice",
    "values: [open, started]",
    "values: [open, {value: started, deprecated: Use open}]",
)

# -- unions -----------------------------------------------------------------------------------

UNION_MEMBER_REMOVED = _rule(
    "union.member-removed",
    "union member removed",
    "a tag left a union: a client that sends that member is refused, so an input use is "
    "breaking; used only in outputs, clients keep a dead branch (REST: dangerous). GraphQL "
    "names the member type (union) or its tag (input field), Python the member class: breaking",
    _uses((B, B, B), (D, B, B), (D, B), B),
    "keep the member, and remove it with a major bump",
    "members: {card: CardPayment, cash: CashPayment}",
    "members: {card: CardPayment}",
)
UNION_MEMBER_ADDED = _rule(
    "union.member-added",
    "union member added",
    "a new tag in a union: on an output clients may meet a member they do not handle; on an "
    "input only, nothing existing changes",
    _uses((S, S, S), (D, D, S), (D, S), S),
    "make sure clients have a fallback for unknown members",
    "members: {card: CardPayment}",
    "members: {card: CardPayment, voucher: Voucher}",
)
UNION_DISCRIMINATOR = _rule(
    "union.discriminator",
    "union discriminator changed",
    "the field that carries a union's tag changed: every JSON payload of the union changes "
    "shape, and so do the Python member classes; GraphQL tells members apart by type name "
    "(output) or by the input field named by the tag, so its schema keeps its shape",
    _uses((B, N, B), (B, N, B), (B, B), B),
    "keep the discriminator, or bump the major version",
    "discriminator: kind",
    "discriminator: type",
)
UNION_REMOVED = _rule(
    "union.removed",
    "union removed",
    "a union is no longer defined (the fields that named it changed type, and are reported "
    "as such); the generated Python alias is gone",
    {_ANY: {"python": B}},
    "keep the union while code may still name it, or bump the major version",
    "unions:\n  PaymentMethod: {discriminator: kind, members: {card: CardPayment}}",
    "unions: {}",
)
UNION_ADDED = _rule(
    "union.added",
    "union added",
    "a new union",
    {_ANY: {"python": S}},
    "nothing to do",
    "unions: {}",
    "unions:\n  PaymentMethod: {discriminator: kind, members: {card: CardPayment}}",
)

# -- fields -----------------------------------------------------------------------------------

FIELD_REMOVED = _rule(
    "field.removed",
    "field removed",
    "a field left a model; breaking either way, and the message says whether it was "
    'deprecated first ("after deprecation (reason)") or not',
    _uses((B, B, B), (B, B, B), (B, B), B),
    "deprecate the field first and remove it with a major bump",
    "fields:\n  id: {type: ID}\n  note: {type: String, isOptional: true}",
    "fields:\n  id: {type: ID}",
)
FIELD_ADDED_REQUIRED = _rule(
    "field.added.required",
    "required field added",
    "a new required field: clients that send the model do not send it",
    _uses((B, B, B), (S, S, S), (S, S), B),
    "add it as optional (isOptional: true), or bump the major version",
    "fields:\n  name: {type: String}",
    "fields:\n  name: {type: String}\n  sku: {type: String}",
)
FIELD_ADDED_OPTIONAL = _rule(
    "field.added.optional",
    "optional field added",
    "a new optional field",
    _uses((S, S, S), (S, S, S), (S, S), S),
    "nothing to do",
    "fields:\n  name: {type: String}",
    "fields:\n  name: {type: String}\n  sku: {type: String, isOptional: true}",
)
FIELD_TYPE_CHANGED = _rule(
    "field.type-changed",
    "field type changed",
    "a field names another type",
    _uses((B, B, B), (B, B, B), (B, B), B),
    "add a new field of the new type beside the old one",
    "fields:\n  name: {type: String}",
    "fields:\n  name: {type: Int}",
)
FIELD_TYPE_RENAMED = _rule(
    "field.type-renamed",
    "field type renamed",
    "a field names the new name of a renamed model (same shape): the JSON wire is the same, "
    "GraphQL queries name the type",
    _uses((N, B, S), (N, B, S), (N, S), S),
    "keep the model's name, or bump the major version",
    "fields:\n  page: {type: SearchResult}",
    "fields:\n  page: {type: SearchPage}   # SearchResult renamed",
)
FIELD_ARRAY_CHANGED = _rule(
    "field.array-changed",
    "field list-ness changed",
    "a field became a list, or stopped being one",
    _uses((B, B, B), (B, B, B), (B, B), B),
    "add a new field beside the old one",
    "fields:\n  tags: {type: String, isArray: true}",
    "fields:\n  tags: {type: String}",
)
FIELD_NOW_REQUIRED = _rule(
    "field.now-required",
    "field now required",
    "an optional field became required: clients that omit it are refused",
    _uses((B, B, B), (S, S, S), (S, S), B),
    "keep it optional on inputs, or bump the major version",
    "fields:\n  note: {type: String, isOptional: true}",
    "fields:\n  note: {type: String}",
)
FIELD_NOW_OPTIONAL = _rule(
    "field.now-optional",
    "field now optional",
    "a required field became optional: on an output REST clients may now receive null, a "
    "non-null GraphQL field becomes nullable (breaking for typed clients), Python readers "
    "get Optional",
    _uses((S, S, S), (D, B, D), (D, D), D),
    "on outputs, keep it required or bump the major version",
    "fields:\n  name: {type: String}",
    "fields:\n  name: {type: String, isOptional: true}",
)
FIELD_MAP_CHANGED = _rule(
    "field.map-changed",
    "field map-ness changed",
    "a field became a map (isMap), or stopped being one",
    _uses((B, B, B), (B, B, B), (B, B), B),
    "add a new field beside the old one",
    "fields:\n  labels: {type: String, isArray: true}",
    "fields:\n  labels: {type: String, isMap: true}",
)
FIELD_DEFAULT_CHANGED = _rule(
    "field.default-changed",
    "field default changed",
    "a field's default changed: senders that leave the field out now mean another value",
    _uses((D, D, D), (D, S, D), (D, D), D),
    "keep the default; add a field with the new default, or bump the major version",
    "limit: {type: Int, default: 20}",
    "limit: {type: Int, default: 50}",
)
FIELD_DEFAULT_ADDED = _rule(
    "field.default-added",
    "field default added",
    "a required field got a default: on an input, clients may now leave it out (safe); on "
    "an output, receivers must fill in the default where the sender leaves it out",
    _uses((S, S, S), (D, S, S), (D, S), S),
    "make sure every reader of the output knows the default",
    "limit: {type: Int}",
    "limit: {type: Int, default: 20}",
)
FIELD_DEFAULT_REMOVED = _rule(
    "field.default-removed",
    "field default removed",
    "a field lost its default, so it must be sent: clients that leave it out of an input "
    "are refused",
    _uses((B, B, B), (S, S, S), (S, S), B),
    "keep the default on inputs, or bump the major version",
    "limit: {type: Int, default: 20}",
    "limit: {type: Int}",
)
FIELD_CONSTRAINT_TIGHTENED = _rule(
    "field.constraint-tightened",
    "field constraint tightened",
    "a constraint now accepts fewer values (a bound added or moved in, a pattern added or "
    "changed, uniqueItems set): on an input, values clients send today may be refused; on "
    "an output, clients only receive fewer kinds of values",
    _uses((B, B, B), (S, S, S), (S, S), B),
    "loosen it back on inputs, or bump the major version",
    "limit: {type: Int, maximum: 100}",
    "limit: {type: Int, maximum: 50}",
)
FIELD_CONSTRAINT_LOOSENED = _rule(
    "field.constraint-loosened",
    "field constraint loosened",
    "a constraint now accepts more values (a bound removed or moved out, a pattern removed or "
    "changed, uniqueItems unset): on an output, clients that check the old constraint (the "
    "generated models do) refuse values they now receive; on an input, nothing existing "
    "changes",
    _uses((S, S, S), (B, D, B), (B, B), B),
    "keep the output's constraint, or bump the major version",
    "total: {type: Int, maximum: 100}",
    "total: {type: Int, maximum: 1000}",
)
FIELD_DEPRECATED = _rule(
    "field.deprecated",
    "field deprecation changed",
    "a field was deprecated (or no longer is), or its deprecation reason changed",
    _INFO,
    "nothing to do; deprecating before removing is good practice",
    "fields:\n  note: {type: String}",
    "fields:\n  note: {type: String, deprecated: Use memo}",
)
FIELD_DESCRIPTION = _rule(
    "field.description",
    "field description changed",
    "a field's description changed",
    _INFO,
    "nothing to do",
    "name: {type: String, description: Its name.}",
    "name: {type: String, description: The display name.}",
)

DIFF_RULES: tuple[DiffRule, ...] = tuple(_ALL)
