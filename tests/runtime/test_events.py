"""Events: only declared ones, valid payloads, published after success only (an outbox
per call), in process and to a real redis-server's stream."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from contractgen_runtime.serve import create_app, dev_authenticator
from contractgen_runtime.serve.publishers import InProcess, RedisStreams, event_of

from .support import redis_server, serve

from examples.metering_service import SCHEMA, build_app  # isort: skip

ADMIN = {"Authorization": "Bearer admin"}
METRIC = {"key": "api_calls", "name": "API Calls", "unit": "calls"}
RECORD = {"metricKey": "api_calls", "subjectType": "org", "subjectId": "o1", "quantity": 2.5}


def test_declared_events_are_published_after_success() -> None:
    bus = InProcess()
    seen: list[str] = []
    bus.subscribe(lambda event: seen.append(event.key))
    with serve(build_app(publisher=bus)) as url, httpx.Client(base_url=url) as http:
        assert http.post("/v1/metric/define", json=METRIC, headers=ADMIN).status_code == 201
        record = http.post("/v1/usage/record", json=RECORD, headers=ADMIN).json()
        missing = http.post("/v1/usage/record", json={**RECORD, "metricKey": "no"}, headers=ADMIN)
        assert missing.status_code == 404
    assert [(e.key, e.version) for e in bus.published] == [
        ("metric.defined", "1.0.0"),
        ("usage.recorded", "1.0.0"),
    ]
    assert seen == ["metric.defined", "usage.recorded"]
    payload = bus.published[1].payload
    assert payload["recordId"] == record["id"] and payload["quantity"] == 2.5


class Emitting:
    """usage.record: emits, then fails in the way the subject id says."""

    async def handle(self, input: Any, ctx: Any) -> Any:
        import metering

        valid = metering.UsageRecordedEventPayload(
            record_id="ur_1",
            metric_key=input.metric_key,
            subject_type="org",
            subject_id="o",
            quantity=1.0,
            timestamp="2026-01-01T00:00:00Z",
        )
        metering.emit_usage_recorded(ctx.events, valid)
        bug = input.subject_id
        if bug == "undeclared":
            updated = metering.MetricUpdatedEventPayload(
                metric_id="m", key="k", changes={}, updated_at="2026-01-01T00:00:00Z"
            )
            # Swallowing the error does not save the call.
            with contextlib.suppress(Exception):
                metering.emit_metric_updated(ctx.events, updated)
        if bug == "bad-payload":
            partial: dict[str, Any] = {"record_id": "x"}
            broken = metering.UsageRecordedEventPayload.model_construct(**partial)
            ctx.events.emit("usage.recorded", "1.0.0", broken.model_dump(by_alias=True))
        if bug == "declared-error":
            raise metering.MetricNotFoundError("no such metric")
        if bug == "bad-output":
            return metering.SuccessOutput(success=True)
        return metering.UsageRecord(
            id="ur_1",
            metric_key=input.metric_key,
            subject_type="org",
            subject_id="o",
            quantity=1.0,
            timestamp="2026-01-01T00:00:00Z",
            created_at="2026-01-01T00:00:00Z",
        )


@pytest.fixture(scope="module")
def emitting() -> Iterator[tuple[str, InProcess]]:
    import metering

    registry = metering.Registry()
    registry.register_handler("usage.record", "1.0.0", Emitting())
    bus = InProcess()
    app = create_app(registry, graphql=SCHEMA, authenticator=dev_authenticator, publisher=bus)
    with serve(app) as url:
        yield url, bus


@pytest.mark.parametrize(
    ("bug", "status"),
    [("undeclared", 500), ("bad-payload", 500), ("declared-error", 404), ("bad-output", 500)],
)
def test_a_failed_call_publishes_nothing(
    emitting: tuple[str, InProcess], bug: str, status: int
) -> None:
    url, bus = emitting
    before = len(bus.published)
    body = {**RECORD, "subjectId": bug}
    response = httpx.post(url + "/v1/usage/record", json=body, headers=ADMIN)
    assert response.status_code == status
    mutation = "mutation($i: RecordUsageInput!) { usageRecord(input: $i) { id } }"
    result = httpx.post(
        url + "/graphql", json={"query": mutation, "variables": {"i": body}}, headers=ADMIN
    ).json()
    assert result["errors"][0]["extensions"]["status"] == status
    assert len(bus.published) == before
    ok = httpx.post(url + "/v1/usage/record", json=RECORD, headers=ADMIN)
    assert ok.status_code == 201 and len(bus.published) == before + 1


def test_events_reach_a_real_redis_stream() -> None:
    with redis_server() as port:
        publisher = RedisStreams(f"redis://127.0.0.1:{port}/0", stream="metering:{key}")
        with serve(build_app(publisher=publisher)) as url, httpx.Client(base_url=url) as http:
            assert http.post("/v1/metric/define", json=METRIC, headers=ADMIN).status_code == 201
            assert http.post("/v1/usage/record", json=RECORD, headers=ADMIN).status_code == 201
            bad = {**RECORD, "metricKey": "missing"}
            assert http.post("/v1/usage/record", json=bad, headers=ADMIN).status_code == 404
        reader = redis.Redis(port=port)
        defined: list[Any] = reader.xrange("metering:metric.defined")  # type: ignore[assignment]
        recorded: list[Any] = reader.xrange("metering:usage.recorded")  # type: ignore[assignment]
        reader.close()
    assert len(defined) == 1 and len(recorded) == 1
    event = event_of(recorded[0][1])
    assert (event.key, event.version) == ("usage.recorded", "1.0.0")
    assert event.payload["quantity"] == 2.5
    assert json.loads(recorded[0][1][b"payload"])["metricKey"] == "api_calls"


def test_an_unreachable_broker_is_a_500() -> None:
    with redis_server() as port:
        pass  # the server is gone: nothing listens on the port any more
    publisher = RedisStreams(f"redis://127.0.0.1:{port}/0")
    with serve(build_app(publisher=publisher)) as url, httpx.Client(base_url=url) as http:
        response = http.post("/v1/metric/define", json=METRIC, headers=ADMIN)
    assert response.status_code == 500 and response.json()["code"] == "INTERNAL"
