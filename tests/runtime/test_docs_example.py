"""docs/runtime.md's adopt-one-endpoint example runs as written: the contract app,
mounted under a prefix, serves the chosen operations beside the existing routes."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from .support import REPO, serve

DOC = REPO / "docs" / "runtime.md"


def adopt_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Adopt one endpoint", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_adopt_one_endpoint_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    namespace: dict[str, Any] = {}
    exec(compile(adopt_example(), str(DOC), "exec"), namespace)
    admin = {"Authorization": "Bearer admin"}
    metric = {"key": "api_calls", "name": "API Calls", "unit": "calls"}
    with serve(namespace["app"]) as url, httpx.Client(base_url=url) as http:
        assert http.get("/legacy").text == "the old service"
        assert http.post("/api/v1/metric/define", json=metric, headers=admin).status_code == 201
        got = http.get("/api/v1/metric/get", params={"key": "api_calls"}, headers=admin)
        assert got.status_code == 200 and got.json()["key"] == "api_calls"
        record = {"metricKey": "api_calls", "subjectType": "o", "subjectId": "s", "quantity": 1}
        other = http.post("/api/v1/usage/record", json=record, headers=admin)
        assert other.status_code == 404 and other.json()["code"] == "NOT_FOUND"
        mutation = "mutation($i: RecordUsageInput!) { usageRecord(input: $i) { id } }"
        query = {"query": mutation, "variables": {"i": record}}
        result = http.post("/api/graphql", json=query, headers=admin).json()
        assert result["errors"][0]["extensions"]["code"] == "OPERATION_NOT_FOUND"
