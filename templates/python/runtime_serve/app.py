"""The ASGI application: REST routes, ``/graphql``, and the problem bodies of the
transport's own errors (unknown route, wrong method)."""

from __future__ import annotations

import gc
import importlib.util
from collections.abc import AsyncGenerator, Collection, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import Lifespan, Receive, Scope, Send

from .. import Registry
from . import extra_named
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

if TYPE_CHECKING:
    from graphql import GraphQLSchema

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


def route_path(scope: Scope) -> str:
    """The request's path below the app's mount point (``root_path``), as starlette's
    routes match it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root + "/") else path


class Routes(Router):
    """Starlette's router, finding the route of a fixed path (every route without a
    ``{name}`` placeholder) by one dict lookup on method and path, instead of trying
    each route's pattern in turn; anything else (a path with placeholders, a wrong
    method, an unknown path) goes the router's way. A fixed path is preferred to a
    pattern that also matches it, as OpenAPI says."""

    def __init__(
        self, routes: list[BaseRoute], lifespan: Lifespan[Any] | None = None
    ) -> None:
        super().__init__(routes=routes, lifespan=lifespan)
        self.fixed: dict[tuple[str, str], Route] = {}
        for each in routes:
            if isinstance(each, Route) and "{" not in each.path:
                for method in each.methods or ():
                    self.fixed.setdefault((method, each.path), each)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = None
        if scope["type"] == "http":
            found = self.fixed.get((scope["method"], route_path(scope)))
        if found is not None:
            match, child_scope = found.matches(scope)
            if match is Match.FULL:
                scope.setdefault("router", self)
                scope["route"] = found
                scope.update(child_scope)
                await found.handle(scope, receive, send)
                return
        await super().app(scope, receive, send)


@asynccontextmanager
async def frozen_heap(app: object) -> AsyncGenerator[None, None]:
    """A lifespan that moves what the process holds once the app has started (modules,
    models, schemas, tables: a hundred thousand objects) out of the garbage
    collector's sight, and gives it back at shutdown. Every full collection
    would walk those objects again; with them frozen it walks only what the
    requests made. Its gain is measured in benchmarks/README.md."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
    service_type: type[Service] = Service,
    freeze_heap: bool = True,
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
    ``service_type``: the dispatch's class (a subclass may add a step to ``call``).
    ``freeze_heap``: at startup, freeze what the process holds so that garbage
    collections skip it (``frozen_heap``; the app's lifespan, which runs when
    the server serves this app itself, not when it is mounted).
    Mount the app under a prefix to serve it inside an existing Starlette or
    FastAPI application.
    """
    if isinstance(registries, Registry):
        registries = [registries]
    service = service_type(
        registries,
        operations=operations,
        authenticator=authenticator,
        publisher=publisher,
        limiter=limiter,
    )
    routes: list[BaseRoute] = [route(service, b, max_body) for b in service.operations]
    graphql_schema = None
    if graphql is not None:
        graphql_schema = _mount_graphql(routes, service, graphql, max_body)
    if mcp is None:
        mcp = importlib.util.find_spec("mcp") is not None
    if mcp:
        _mount_mcp(routes, service, max_body)
    app = Starlette(exception_handlers={404: _not_found, 405: _not_allowed})
    # The router is set before the first request builds the middleware stack.
    app.router = Routes(routes, frozen_heap if freeze_heap else None)
    # A path with a slash too many or too few is not a route: a 404 problem, not a
    # redirect without a body.
    app.router.redirect_slashes = False
    app.state.service = service
    app.state.graphql_schema = graphql_schema
    return app


def _mount_graphql(
    routes: list[BaseRoute], service: Service, graphql: str | Path, max_body: int
) -> GraphQLSchema:
    """``/graphql``: the SDL (text, or the file's path) executed through the service;
    returns the executable schema."""
    with extra_named():
        from .graphql import GraphQLApp  # graphql-core: the ``graphql`` extra

    sdl = graphql.read_text(encoding="utf-8") if isinstance(graphql, Path) else graphql
    endpoint = GraphQLApp(service, sdl, max_body)
    routes.append(
        Route(GRAPHQL_PATH, endpoint.handle, methods=["GET", "POST"], name="graphql")
    )
    return endpoint.schema


def _mount_mcp(routes: list[BaseRoute], service: Service, max_body: int) -> None:
    """MCP's streamable HTTP: ``/mcp/`` and ``/mcp`` both reach it (no redirect)."""
    with extra_named():
        from .mcp import StreamableHTTP, build_server

    mcp_app = StreamableHTTP(build_server(service), max_body)
    routes.append(Mount(MCP_PATH, app=mcp_app, name="mcp"))
    routes.append(Route(MCP_PATH, mcp_app, name="mcp-bare"))
