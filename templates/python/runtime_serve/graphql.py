"""GraphQL at ``/graphql``: the generated SDL executed by graphql-core, every root
field resolved through the one dispatch.

A field's ``input`` argument is the operation's raw input; a failed call is a
GraphQL error whose ``extensions`` carry the error's ``code`` (its gqlCode),
``status`` and, for invalid input, the same ``errors`` list as the REST
problem. Requests are GraphQL over HTTP: POST with a JSON body, or GET with
``query`` in the query string.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from types import ModuleType
from typing import Any, cast

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    OperationType,
    build_schema,
    execute,  # pyright: ignore[reportUnknownVariableType]
    get_nullable_type,  # pyright: ignore[reportUnknownVariableType]
    parse,
    validate,
    value_from_ast,  # pyright: ignore[reportUnknownVariableType]
)
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from ..about import GENERATOR_VERSION, GRAPHQL_VERSION_FIELD
from .rest import BodyTooLarge, is_json_media, read_body
from .service import Bound, Service
from .wire import ENVELOPE_DEPTH, MAX_DEPTH, NotJSON, loads

JSON = "application/json"
#: How many distinct query texts keep their parsed, validated document.
DOCUMENT_CACHE = 256


def is_one_of(type_: Any) -> bool:
    """True for an input object marked ``@oneOf`` (a union's input: one member, keyed by
    its tag)."""
    node = getattr(type_, "ast_node", None)
    return any(d.name.value == "oneOf" for d in getattr(node, "directives", None) or ())


def to_wire_input(value: Any, type_: Any) -> Any:
    """A coerced GraphQL input in wire shape: a ``@oneOf`` member is the value itself
    (its tag field says which member it is)."""
    nullable: Any = get_nullable_type(type_)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    if value is None:
        return None
    if isinstance(nullable, GraphQLList):
        item_type: Any = nullable.of_type  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return [to_wire_input(v, item_type) for v in value]
    if isinstance(nullable, GraphQLInputObjectType) and isinstance(value, dict):
        fields = nullable.fields
        items = cast("dict[str, Any]", value)
        if is_one_of(nullable) and len(items) == 1:
            ((key, inner),) = items.items()
            return to_wire_input(inner, fields[key].type)
        return {
            k: to_wire_input(v, fields[k].type) if k in fields else v
            for k, v in items.items()
        }
    return value


def resolver(service: Service, bound: Bound, input_type: Any) -> Any:
    """The resolver of one operation's root field."""

    async def resolve(root: object, info: GraphQLResolveInfo, **args: Any) -> object:
        raw = to_wire_input(args.get("input"), input_type)
        outcome = await service.call(bound, raw, info.context["ctx"])
        if outcome.error is not None:
            error = outcome.error
            extensions = error.to_graphql_extensions()
            raise GraphQLError(str(error), extensions=extensions)
        elsewhere = outcome.not_a_result(bound.info)
        if elsewhere is not None:
            message = (
                f"{bound.key} answered REST status {elsewhere['status']}: not a result"
            )
            raise GraphQLError(message, extensions=elsewhere)
        if outcome.output is None:
            return True  # an operation without output: its field is Boolean!
        return outcome.output.model_dump(mode="json", by_alias=True)

    return resolve


def _not_served(root: object, info: GraphQLResolveInfo, **args: Any) -> object:
    extensions = {"code": "OPERATION_NOT_FOUND", "status": 404}
    raise GraphQLError(f"{info.field_name} is not served here", extensions=extensions)


def _version(root: object, info: GraphQLResolveInfo) -> str:
    return GENERATOR_VERSION


def model_classes(service: Service) -> dict[str, type[BaseModel]]:
    """The domains' pydantic models by name (the GraphQL object types' names)."""
    found: dict[str, type[BaseModel]] = {}
    for models in models_modules(service):
        for name, value in vars(models).items():
            if isinstance(value, type) and issubclass(value, BaseModel):
                found.setdefault(name, value)
    return found


def models_modules(service: Service) -> list[ModuleType]:
    packages = {
        type(b.registry).__module__.rpartition(".")[0] for b in service.operations
    }
    return [
        importlib.import_module(f"{package}.models") for package in sorted(packages)
    ]


def bind_unions(schema: GraphQLSchema, service: Service) -> None:
    """Each union resolves a value to the member whose model accepts it (the member's
    tag decides: the models are a discriminated union)."""
    classes = model_classes(service)
    for named in schema.type_map.values():
        if isinstance(named, GraphQLUnionType):
            members = [(t.name, classes.get(t.name)) for t in named.types]
            named.resolve_type = _member_of(members)


def _member_of(members: list[tuple[str, type[BaseModel] | None]]) -> Any:
    def resolve_type(value: Any, info: GraphQLResolveInfo, union: Any) -> str | None:
        for name, model in members:
            if model is not None:
                try:
                    model.model_validate(value)
                except ValueError:
                    continue
                return name
        return None

    return resolve_type


def wire_values(service: Service) -> dict[str, dict[str, str]]:
    """Enum name -> {GraphQL value name: wire value}, from the domains' registries (the
    generated table lists the values GraphQL spells differently: ``in_progress`` for
    ``in-progress``)."""
    found: dict[str, dict[str, str]] = {}
    for bound in service.operations:
        for name, values in bound.registry.graphql_enums.items():
            found.setdefault(name, dict(values))
    return found


def bind_enums(schema: GraphQLSchema, service: Service) -> None:
    """GraphQL enum values carry their wire values: inputs reach the dispatch as the
    wire spells them, and outputs in wire spelling serialize to the GraphQL names."""
    for name, values in wire_values(service).items():
        enum = schema.type_map.get(name)
        if isinstance(enum, GraphQLEnumType):
            for gql_name, wire in values.items():
                if gql_name in enum.values:
                    enum.values[gql_name].value = wire
    # Defaults were read with the enums as they were built: read them again.
    for named in schema.type_map.values():
        if isinstance(named, GraphQLInputObjectType):
            for field in named.fields.values():
                node = field.ast_node.default_value if field.ast_node else None
                if node is not None:
                    field.default_value = value_from_ast(node, field.type)


def bind_schema(service: Service, sdl: str) -> GraphQLSchema:
    """The schema of the SDL with each served operation's resolver on its root field;
    the root fields of operations this app does not serve answer OPERATION_NOT_FOUND."""
    schema = build_schema(sdl)
    bind_enums(schema, service)
    bind_unions(schema, service)
    for root in (schema.query_type, schema.mutation_type):
        fields = root.fields if root else dict[str, GraphQLField]()
        for name, field in fields.items():
            field.resolve = _version if name == GRAPHQL_VERSION_FIELD else _not_served
    roots = {"query": schema.query_type, "command": schema.mutation_type}
    for bound in service.operations:
        root = roots.get(bound.info.kind)
        field = _field(root, bound.info.graphql_field)
        if field is None:
            raise ValueError(f"the SDL has no root field {bound.info.graphql_field}")
        argument = field.args.get("input")
        field.resolve = resolver(service, bound, argument.type if argument else None)
    return schema


def _field(root: GraphQLObjectType | None, name: str) -> Any:
    return None if root is None else root.fields.get(name)


#: Why a subscription gets a 405: the SDL lists the events as Subscription fields,
#: but HTTP answers once; the events of successful calls go to the app's publisher.
SUBSCRIPTIONS = (
    "subscriptions are not served over HTTP: the events go to the app's publisher"
    " (create_app(publisher=...): in-process subscribers or Redis Streams)"
)


def _errors_body(message: str, code: str, status: int) -> Response:
    body = {
        "errors": [{"message": message, "extensions": {"code": code, "status": status}}]
    }
    return Response(json.dumps(body), status_code=status, media_type=JSON)


class GraphQLApp:
    """The ``/graphql`` endpoint of an app."""

    def __init__(self, service: Service, sdl: str, limit: int) -> None:
        self.service = service
        self.schema = bind_schema(service, sdl)
        self.limit = limit
        self._documents: dict[str, DocumentNode | list[GraphQLError]] = {}

    def document(self, query: str) -> DocumentNode | list[GraphQLError]:
        """The parsed and validated query, or its errors (cached by text)."""
        found = self._documents.get(query)
        if found is None:
            try:
                doc = parse(query)
            except GraphQLError as exc:
                found = [exc]
            except RecursionError:  # a query nested deeper than the parser goes
                found = [GraphQLError("the query nests too deeply")]
            else:
                errors = validate(self.schema, doc)
                found = errors if errors else doc
            if len(self._documents) >= DOCUMENT_CACHE:
                self._documents.clear()
            self._documents[query] = found
        return found

    async def request_body(self, request: Request) -> Mapping[str, Any] | Response:
        """The GraphQL request (query, variables, operationName), or the 4xx to send."""
        if request.method == "GET":
            params = request.query_params
            try:
                variables = loads(params.get("variables") or "null", MAX_DEPTH + 1)
            except NotJSON:
                return _errors_body("variables is not JSON", "VALIDATION_FAILED", 400)
            return {
                "query": params.get("query"),
                "variables": variables,
                "operationName": params.get("operationName"),
            }
        if not is_json_media(request.headers.get("content-type")):
            message = "the request body must be application/json"
            return _errors_body(message, "UNSUPPORTED_MEDIA_TYPE", 415)
        try:
            text = await read_body(request, self.limit) or b"null"
            body = loads(text, MAX_DEPTH + ENVELOPE_DEPTH)
        except BodyTooLarge:
            return _errors_body(
                "the request body is too large", "PAYLOAD_TOO_LARGE", 413
            )
        except NotJSON as exc:
            return _errors_body(
                f"the request body is not JSON: {exc}", "VALIDATION_FAILED", 400
            )
        if not isinstance(body, dict):
            return _errors_body(
                "the request body must be an object", "VALIDATION_FAILED", 400
            )
        return cast("dict[str, Any]", body)

    async def handle(self, request: Request) -> Response:
        body = await self.request_body(request)
        if isinstance(body, Response):
            return body
        query, variables = body.get("query"), body.get("variables")
        if not isinstance(query, str) or not (
            variables is None or isinstance(variables, dict)
        ):
            return _errors_body(
                "query must be a string, variables an object", "VALIDATION_FAILED", 400
            )
        document = self.document(query)
        if isinstance(document, list):
            return self.respond(ExecutionResult(None, document))
        ctx = await self.service.context(request.headers)
        kind = _operation_type(document, body.get("operationName"))
        if kind is OperationType.SUBSCRIPTION:
            return _errors_body(SUBSCRIPTIONS, "METHOD_NOT_ALLOWED", 405)
        if request.method == "GET" and kind is OperationType.MUTATION:
            return _errors_body("mutations need POST", "METHOD_NOT_ALLOWED", 405)
        result = execute(
            self.schema,
            document,
            variable_values=cast("dict[str, Any] | None", variables),
            operation_name=body.get("operationName"),
            context_value={"ctx": ctx},
        )
        if not isinstance(result, ExecutionResult):
            result = await result
        return self.respond(result)

    @staticmethod
    def respond(result: ExecutionResult) -> Response:
        """The result as JSON; graphql-core's own errors (a query that does not parse or
        validate, a variable of the wrong type) get the code VALIDATION_FAILED, others
        (a result that breaks the schema) INTERNAL."""
        body = result.formatted
        own = (
            {"code": "VALIDATION_FAILED", "status": 422}
            if result.data is None
            else {"code": "INTERNAL", "status": 500}
        )
        for error in body.get("errors") or ():
            error.setdefault("extensions", own)
        return Response(json.dumps(body), media_type=JSON)


def _operation_type(document: DocumentNode, name: object) -> OperationType | None:
    """The type of the operation the request runs (None: no such operation)."""
    for node in document.definitions:
        if isinstance(node, OperationDefinitionNode) and (
            name is None or (node.name is not None and node.name.value == name)
        ):
            return node.operation
    return None
