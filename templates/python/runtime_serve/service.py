"""One dispatch for every transport: auth, input, handler, output, errors.

``Service.call`` never raises: it returns an ``Outcome`` holding the output
model or a ``ContractError``. A declared error keeps its status; an error the
operation does not declare, a handler's exception and a handler's invalid
output become the domain's INTERNAL error (HTTP 500, no internals), and are
logged.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Collection, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from .. import Context, ContractError, Emitted, OperationInfo, Registry, Reply
from .auth import Authenticator, anonymous
from .limits import InMemoryLimiter, Limiter, bucket, retry_after
from .publishers import InProcess, Publisher

log = logging.getLogger("contractgen_runtime.serve")

#: The headers of the request being served (lower-case names), for handlers that read
#: more than the Context (the mock reads ``Prefer``).
request_headers: ContextVar[Mapping[str, str]] = ContextVar(
    "request_headers", default=MappingProxyType({})
)


@dataclass(frozen=True)
class Bound:
    """An operation and the registry that holds its handler."""

    registry: Registry
    info: OperationInfo[Any, Any]

    @property
    def key(self) -> str:
        return self.info.key

    def error(self, code: str, detail: str, **extensions: object) -> ContractError:
        """The domain's error of a standard code."""
        return self.registry.error(code)(detail, **extensions)


#: The GraphQL extension code (and MCP problem code) of a declared REST answer that is
#: not the operation's result: 304, a redirect, or a body of another model.
NOT_A_RESULT = "NOT_A_RESULT"


@dataclass(frozen=True)
class Outcome:
    """What a call ended with: the output model, or the error to send; ``reply``: the
    declared answer the handler chose (its status, a redirect's location), if any."""

    output: BaseModel | None = None
    error: ContractError | None = None
    reply: Reply[Any] | None = None

    def not_a_result(self, info: OperationInfo[Any, Any]) -> dict[str, object] | None:
        """For a transport without statuses (GraphQL, MCP): None when the outcome is the
        operation's result (its output, or a success holding it); else what to say
        instead, ``{code: NOT_A_RESULT, status, location}``."""
        reply = self.reply
        if reply is None or (
            reply.status < 300 and dict(info.answers)[reply.status] is info.output
        ):
            return None
        found: dict[str, object] = {"code": NOT_A_RESULT, "status": reply.status}
        if reply.location is not None:
            found["location"] = reply.location
        return found


def sendable(info: OperationInfo[Any, Any]) -> frozenset[str]:
    """The 4xx codes an operation's documents list: its own, input and auth failures."""
    codes = set(info.errors)
    if info.input is not None:
        codes.add("VALIDATION_FAILED")
    if info.auth != "anonymous":
        codes |= {"UNAUTHENTICATED", "FORBIDDEN"}
    if info.rate_limit is not None:
        codes.add("RATE_LIMITED")
    return frozenset(codes)


def bind(
    registries: Iterable[Registry], only: Collection[str] | None = None
) -> list[Bound]:
    """The operations of the registries (only the keys in ``only`` when given)."""
    bound = [
        Bound(registry, info)
        for registry in registries
        for info in registry.operations.values()
        if only is None or info.key in only
    ]
    if only is not None:
        missing = sorted(set(only) - {b.key for b in bound})
        if missing:
            raise ValueError(f"no operation {', '.join(missing)} in the registries")
    return sorted(bound, key=lambda b: (b.info.key, b.info.version))


class Service:
    """The operations an app serves, its authenticator, and the one dispatch."""

    def __init__(
        self,
        registries: Iterable[Registry],
        *,
        operations: Collection[str] | None = None,
        authenticator: Authenticator = anonymous,
        publisher: Publisher | None = None,
        limiter: Limiter | None = None,
    ) -> None:
        self.operations = bind(registries, operations)
        self.authenticator = authenticator
        self.publisher: Publisher = publisher if publisher is not None else InProcess()
        self.limiter: Limiter = limiter if limiter is not None else InMemoryLimiter()

    async def context(self, headers: Mapping[str, str]) -> Context:
        """The caller, by the authenticator (which may be sync or async); the headers
        stay readable through ``request_headers`` while the request is served."""
        request_headers.set(headers)
        found = self.authenticator(headers)
        if inspect.isawaitable(found):
            found = await found
        return found

    async def call(
        self,
        bound: Bound,
        raw_input: Mapping[str, object] | None,
        ctx: Context,
        *,
        invalid: ContractError | None = None,
    ) -> Outcome:
        """Auth, then the input (``invalid``: a decoding error the transport found),
        then the handler and its output check."""
        registry, info = bound.registry, bound.info
        try:
            registry.check_auth(info, ctx)
            await self._check_rate(bound, ctx)
            if invalid is not None:
                return Outcome(error=invalid)
            value = registry.parse_input(info, raw_input)
            output, events = await registry.run(info, value, ctx)  # auth: checked
        except ContractError as exc:
            return Outcome(error=self._declared(bound, exc))
        except Exception:
            log.exception("operation %s %s failed", info.key, info.version)
            return Outcome(error=bound.error("INTERNAL", "the service failed"))
        return await self._published(bound, output, events)

    async def _check_rate(self, bound: Bound, ctx: Context) -> None:
        """Raises RATE_LIMITED (with ``retryAfter`` seconds) when the caller's
        requests per minute of the operation are spent."""
        limit = bound.info.rate_limit
        if limit is None:
            return
        rpm, per = limit
        wait = await self.limiter.hit(
            bucket(bound.info.key, bound.info.version, per, ctx), rpm
        )
        if wait is not None:
            seconds = retry_after(wait)
            detail = f"{bound.key} takes {rpm} requests a minute; retry in {seconds} s"
            raise bound.error("RATE_LIMITED", detail, retryAfter=seconds)

    async def _published(
        self, bound: Bound, output: BaseModel | Reply[Any] | None, events: list[Emitted]
    ) -> Outcome:
        """The output, once the call's events are published (a publisher that fails
        makes the call an INTERNAL error: the events may not have reached anyone)."""
        try:
            await self.publisher.publish(events)
        except Exception:
            log.exception("publishing the events of %s failed", bound.key)
            return Outcome(error=bound.error("INTERNAL", "the service failed"))
        if isinstance(output, Reply):
            return Outcome(output=output.output, reply=output)
        return Outcome(output=output)

    @staticmethod
    def _declared(bound: Bound, exc: ContractError) -> ContractError:
        """The error itself if the operation may send it; else an INTERNAL error."""
        if exc.code in sendable(bound.info):
            return exc
        log.error("operation %s sent %s (%s)", bound.key, exc.code, exc, exc_info=exc)
        return bound.error("INTERNAL", "the service failed")
