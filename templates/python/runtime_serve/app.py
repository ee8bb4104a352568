"""The ASGI application: REST routes, ``/graphql``, and the problem bodies of the
transport's own errors (unknown route, wrong method)."""

from __future__ import annotations

import importlib.util
from collections.abc import Collection, Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from .. import Registry
from .auth import Authenticator, anonymous
from .limits import Limiter
from .publishers import Publisher
from .rest import (
    DEFAULT_MAX_BODY,
    MethodNotAllowedError,
    RouteNotFoundError,
    problem_response,
    route,
)
from .service import Service

GRAPHQL_PATH = "/graphql"
MCP_PATH = "/mcp"


async def _not_found(request: Request, exc: Exception) -> Response:
    return problem_response(
        RouteNotFoundError(f"no route {request.url.path}"), request.url.path
    )


async def _not_allowed(request: Request, exc: Exception) -> Response:
    detail = f"{request.url.path} does not take {request.method}"
    response = problem_response(MethodNotAllowedError(detail), request.url.path)
    if isinstance(exc, HTTPException) and exc.headers:
        response.headers.update(exc.headers)
    return response


def create_app(
    registries: Registry | Iterable[Registry],
    *,
    graphql: str | Path | None = None,
    mcp: bool | None = None,
    operations: Collection[str] | None = None,
    authenticator: Authenticator = anonymous,
    publisher: Publisher | None = None,
    limiter: Limiter | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> Starlette:
    """One ASGI app serving the registries' operations.

    ``graphql``: the generated SDL (text, or the path of ``schema.graphql``);
    without it there is no ``/graphql``. ``mcp``: MCP's streamable HTTP at
    ``/mcp/`` (default: when the ``mcp`` SDK, the ``mcp`` extra, is installed).
    ``operations``: serve only these keys (adopt one endpoint at a time).
    ``authenticator``: request headers -> Context (default: everyone is
    anonymous). ``publisher``: where the events of successful calls go
    (default: ``InProcess``, at ``app.state.service.publisher``). ``limiter``:
    counts calls of operations with ``policy.rateLimit`` (default: in memory).
    ``max_body``: the largest body read, in bytes (a longer one is a 413).
    Mount the app under a prefix to serve it inside an existing Starlette or
    FastAPI application.
    """
    if isinstance(registries, Registry):
        registries = [registries]
    service = Service(
        registries,
        operations=operations,
        authenticator=authenticator,
        publisher=publisher,
        limiter=limiter,
    )
    routes: list[BaseRoute] = [route(service, b, max_body) for b in service.operations]
    graphql_schema = None
    if graphql is not None:
        from .graphql import GraphQLApp  # graphql-core: the ``graphql`` extra

        sdl = (
            graphql.read_text(encoding="utf-8")
            if isinstance(graphql, Path)
            else graphql
        )
        endpoint = GraphQLApp(service, sdl, max_body)
        graphql_schema = endpoint.schema
        routes.append(
            Route(
                GRAPHQL_PATH, endpoint.handle, methods=["GET", "POST"], name="graphql"
            )
        )
    if mcp is None:
        mcp = importlib.util.find_spec("mcp") is not None
    if mcp:
        from .mcp import StreamableHTTP, build_server

        routes.append(
            Mount(MCP_PATH, app=StreamableHTTP(build_server(service)), name="mcp")
        )
    app = Starlette(
        routes=routes, exception_handlers={404: _not_found, 405: _not_allowed}
    )
    app.state.service = service
    app.state.graphql_schema = graphql_schema
    return app
