"""The app's lifespan freezes what the process holds once it has started, so that
full garbage collections skip it, and unfreezes it at shutdown; ``freeze_heap=False``
leaves the collector alone, and a mounted app leaves it to the outer app."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from contractgen_runtime.serve import create_app, dev_authenticator, frozen_heap
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from examples.metering_service import build_registry

ADMIN = {"Authorization": "Bearer admin"}
METRIC = {"key": "api_calls", "name": "API Calls", "unit": "calls"}


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_served_app_freezes_its_heap_while_it_runs() -> None:
    app = create_app(build_registry(), mcp=False, authenticator=dev_authenticator)
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # modules, models and tables, not a handful
        answer = client.post("/v1/metric/define", json=METRIC, headers=ADMIN)
        assert answer.status_code == 201, answer.text
        assert gc.get_freeze_count() <= frozen  # requests freeze nothing more
    assert gc.get_freeze_count() == 0


def test_freeze_heap_false_leaves_the_collector_alone() -> None:
    app = create_app(
        build_registry(), mcp=False, authenticator=dev_authenticator, freeze_heap=False
    )
    with TestClient(app) as client:
        assert gc.get_freeze_count() == 0
        assert client.post("/v1/metric/define", json=METRIC, headers=ADMIN).status_code == 201


def test_a_mounted_app_freezes_through_the_outer_apps_lifespan() -> None:
    inner = create_app(build_registry(), mcp=False, authenticator=dev_authenticator)
    with TestClient(Starlette(routes=[Mount("/api", app=inner)])) as client:
        assert gc.get_freeze_count() == 0  # the mounted app's lifespan does not run
        answer = client.post("/api/v1/metric/define", json=METRIC, headers=ADMIN)
        assert answer.status_code == 201, answer.text
    outer = Starlette(routes=[Mount("/api", app=inner)], lifespan=frozen_heap)
    with TestClient(outer):
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
