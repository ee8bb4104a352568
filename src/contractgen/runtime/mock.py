"""``serve --mock``: every operation answered from its contract, without handlers.

A call answers the output of the example whose input matches the call's,
else the first example with an output, else a value built from the output
model. ``Prefer: code=ERROR_CODE`` asks for one of the operation's errors
instead. Input, auth and output are checked as for real handlers: the mock is
served by the same dispatch.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal, cast, get_args, get_origin

from contractgen_runtime import (
    AnyHandler,
    Context,
    ContractError,
    OperationInfo,
    Registry,
    Reply,
)
from contractgen_runtime.serve.app import create_app
from contractgen_runtime.serve.auth import dev_authenticator
from contractgen_runtime.serve.rest import field_types, unwrap
from contractgen_runtime.serve.service import Bound, Outcome, Service, request_headers, sendable
from pydantic import BaseModel
from starlette.applications import Starlette

from contractgen import naming
from contractgen.naming import python_package
from contractgen.spec.model import Example, Spec

#: The instant every built date-time value holds (built values are reproducible).
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


#: Where the mock of an operation whose only answer is a redirect sends its callers.
MOCK_LOCATION = "https://mock.invalid/redirect"


def preferred_code(headers: dict[str, str] | Any) -> str | None:
    """The error code a ``Prefer: code=ERROR_CODE`` header asks for."""
    for part in str(headers.get("prefer", "")).split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "code" and value.strip():
            return value.strip().strip('"')
    return None


def sample(annotation: Any, inside: frozenset[type] = frozenset()) -> Any:
    """A JSON value of the type: the first enum value, zero, an empty list, ...
    (``inside``: the models being built, which a recursive model meets again)."""
    annotation = unwrap(annotation)
    origin = get_origin(annotation)
    if origin in (list, tuple, set):
        return []
    if origin is dict or annotation is dict or annotation is Any:
        return {}
    if origin is Literal:
        return get_args(annotation)[0]
    if isinstance(annotation, type):
        return _sample_type(annotation, inside)
    return None


def _sample_type(cls: type, inside: frozenset[type]) -> Any:
    if issubclass(cls, BaseModel):
        # A model required inside itself has no finite value: stop with an empty one.
        return {} if cls in inside else build_value(cls, inside)
    if issubclass(cls, Enum):
        return next(iter(cls)).value
    simple: dict[type, Any] = {
        bool: False,
        int: 0,
        float: 0.0,
        str: "string",
        datetime: EPOCH.isoformat().replace("+00:00", "Z"),
        date: EPOCH.date().isoformat(),
    }
    for kind, value in simple.items():
        if issubclass(cls, kind):
            return value
    return None


def build_value(model: type[BaseModel], inside: frozenset[type] = frozenset()) -> dict[str, Any]:
    """A value of the model: its required fields, each a sample of its type."""
    types_of = field_types(model)
    return {
        field.alias or name: sample(types_of[name], inside | {model})
        for name, field in model.model_fields.items()
        if field.is_required()
    }


def as_sent(model: type[BaseModel] | None, value: Any) -> Any:
    """An input as the handler sees it (defaults filled in), in JSON, without nulls."""
    if model is None or not isinstance(value, dict):
        return value
    try:
        dumped = model.model_validate(value).model_dump(mode="json", by_alias=True)
    except ValueError:
        return value
    return {k: v for k, v in dumped.items() if v is not None}


def answer(info: OperationInfo[Any, Any], examples: tuple[Example, ...], sent: Any) -> Any:
    """The output to send for the input sent: a matching example's, the first's, or built."""
    with_output = [ex for ex in examples if ex.output is not None]
    for ex in with_output:
        if ex.input is not None and as_sent(info.input, ex.input) == sent:
            return ex.output
    if with_output:
        return with_output[0].output
    return build_value(info.output)


class MockHandler:
    """Answers one operation from its contract's examples."""

    def __init__(
        self, registry: Registry, info: OperationInfo[Any, Any], examples: tuple[Example, ...]
    ) -> None:
        self.registry, self.info, self.examples = registry, info, examples

    async def handle(self, input: BaseModel | None, ctx: Context) -> BaseModel | Reply[None] | None:
        code = preferred_code(request_headers.get())
        if code is not None and code in sendable(self.info):
            cls = self.registry.errors.get(code) or self.registry.error(code)
            raise cls(f"asked for with Prefer: code={code}")
        if self.info.output is None and naming.redirects(self.info.status):
            return Reply(self.info.status, location=MOCK_LOCATION)
        if self.info.output is None:
            return None
        sent = None if input is None else as_sent(self.info.input, input.model_dump(by_alias=True))
        output: BaseModel = self.info.output.model_validate(answer(self.info, self.examples, sent))
        return output


def mock_registries(spec: Spec, python_root: Path) -> list[Registry]:
    """One registry per domain of the spec, every operation answered by a MockHandler."""
    if str(python_root) not in sys.path:
        sys.path.insert(0, str(python_root))
    registries = []
    for domain in spec.domains:
        ops = spec.operations_in(domain)
        if not ops:
            continue
        package: types.ModuleType = importlib.import_module(python_package(domain))
        registry: Registry = package.Registry()
        for op in ops:
            info = registry.info(op.key, op.version)
            # Typed as the tree's AnyHandler, which admits None only in trees with an
            # operation without output; the mock returns None for exactly those.
            mock = cast("AnyHandler", MockHandler(registry, info, op.examples))
            registry.register_handler(op.key, op.version, mock)
        registries.append(registry)
    return registries


class UnknownPreferredCodeError(ContractError):
    """``Prefer: code=X`` names a code the operation cannot send."""

    code = "PREFER_UNKNOWN_CODE"
    http_status = 400
    gql_code = "PREFER_UNKNOWN_CODE"
    description = "Prefer: code= names a code the operation does not declare"


class MockService(Service):
    """The dispatch of the mock: a call whose ``Prefer: code=`` names a code the
    operation cannot send is a 400 problem that lists the codes it can."""

    async def call(
        self,
        bound: Bound,
        raw_input: Mapping[str, object] | None,
        ctx: Context,
        *,
        invalid: ContractError | None = None,
    ) -> Outcome:
        code = preferred_code(request_headers.get())
        codes = sendable(bound.info)
        if code is not None and code not in codes:
            listed = ", ".join(sorted(codes)) or "none"
            detail = f"{bound.key} cannot answer {code}; its codes: {listed}"
            return Outcome(error=UnknownPreferredCodeError(detail, codes=sorted(codes)))
        return await super().call(bound, raw_input, ctx, invalid=invalid)


def mock_app(spec: Spec, output: Path) -> Starlette:
    """The mock of every operation of the spec, from the packages built into ``output``."""
    schema = output / "graphql" / "schema.graphql"
    return create_app(
        mock_registries(spec, output / "python"),
        graphql=schema if schema.is_file() else None,
        authenticator=dev_authenticator,
        service_type=MockService,
    )
