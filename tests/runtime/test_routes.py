"""The app's router finds a fixed path by one lookup: the same routes answer as with
starlette's scan, a fixed path wins over a pattern that also matches it (as OpenAPI
says), also when the app is mounted under a prefix; a wrong method and an unknown path
still get starlette's 405 and 404."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from contractgen_runtime.serve.app import Routes
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient


def _answer(text: str) -> Callable[[Request], Awaitable[PlainTextResponse]]:
    async def endpoint(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{text} {request.path_params}")

    return endpoint


def app_of(routes: list[Route]) -> Starlette:
    app = Starlette()
    app.router = Routes(list(routes))
    return app


ROUTES = [
    Route("/v1/orders/{order_id}", _answer("pattern"), methods=["GET"]),
    Route("/v1/orders/archive", _answer("fixed"), methods=["GET", "POST"]),
    Route("/v1/metrics", _answer("metrics"), methods=["POST"]),
]


def test_fixed_paths_are_found_by_lookup_and_win_over_patterns() -> None:
    router = Routes(list(ROUTES))
    assert set(router.fixed) == {
        ("GET", "/v1/orders/archive"),
        ("HEAD", "/v1/orders/archive"),
        ("POST", "/v1/orders/archive"),
        ("POST", "/v1/metrics"),
    }
    with TestClient(app_of(ROUTES)) as client:
        assert client.get("/v1/orders/archive").text == "fixed {}"
        assert client.get("/v1/orders/o1").text == "pattern {'order_id': 'o1'}"
        assert client.post("/v1/metrics").text == "metrics {}"
        wrong = client.get("/v1/metrics")
        assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
        assert client.get("/v1/nothing").status_code == 404


def test_a_mounted_app_finds_its_fixed_paths_too() -> None:
    outer = Starlette(routes=[Mount("/api", app=app_of(ROUTES))])
    with TestClient(outer) as client:
        assert client.get("/api/v1/orders/archive").text == "fixed {}"
        assert client.post("/api/v1/metrics").text == "metrics {}"
