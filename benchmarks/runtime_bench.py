"""Requests per second and p50/p99 latency of usage.record over REST on loopback:
contractgen's runtime against a hand-written FastAPI endpoint, side by side in one
run, each on uvicorn with one worker; plus GraphQL requests per second of the same
mutation through the runtime. Not a test: run it on a quiet machine.

    python benchmarks/runtime_bench.py [--requests 20000] [--concurrency 32] [--rounds 4]

Both servers run during the whole run, and the timed requests of each are sent in
``--rounds`` rounds that alternate (contractgen then FastAPI, then FastAPI then
contractgen, ...), so that a change of the machine's load during the run weighs on
both alike; each app's figures are over all its rounds.

Needs the ``bench`` extra (fastapi). Target: at least FastAPI's throughput, with a
p99 no worse.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ADMIN = {"Authorization": "Bearer admin"}
METRIC = {"key": "api_calls", "name": "API Calls", "unit": "calls"}
RECORD = {"metricKey": "api_calls", "subjectType": "org", "subjectId": "o1", "quantity": 1}
MUTATION = "mutation($i: RecordUsageInput!) { usageRecord(input: $i) { id quantity } }"


def server_cpu(pid: int) -> float:
    """The CPU time (user + system, s) a process has used so far (Linux's /proc); 0.0
    elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Served:
    url: str
    pid: int


@contextmanager
def server(factory: str) -> Iterator[Served]:
    """uvicorn, one worker, serving ``benchmarks.runtime_apps:<factory>``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        f"runtime_apps:{factory}",
        "--factory",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=HERE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/", timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        httpx.post(url + "/v1/metric/define", json=METRIC, headers=ADMIN)
        yield Served(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


async def load(url: str, path: str, body: dict[str, object], total: int, width: int) -> list[float]:
    """Sends ``total`` requests, at most ``width`` at a time; returns each latency (s)."""
    latencies: list[float] = []
    remaining = iter(range(total))
    limits = httpx.Limits(max_connections=width, max_keepalive_connections=width)
    async with httpx.AsyncClient(base_url=url, headers=ADMIN, limits=limits) as client:

        async def worker() -> None:
            for _ in remaining:
                start = time.perf_counter()
                response = await client.post(path, json=body)
                latencies.append(time.perf_counter() - start)
                if not response.is_success:
                    raise RuntimeError(f"{path}: {response.status_code} {response.text}")

        await asyncio.gather(*(worker() for _ in range(width)))
    return latencies


class Figures:
    """The latencies and the time spent of one app's timed requests, over rounds."""

    def __init__(self, name: str) -> None:
        self.name, self.latencies, self.seconds, self.cpu = name, list[float](), 0.0, 0.0

    def add(self, other: Figures) -> float:
        """Adds a round's figures; returns the round's requests/s."""
        self.latencies += other.latencies
        self.seconds += other.seconds
        self.cpu += other.cpu
        return len(other.latencies) / other.seconds

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def p(self, percent: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[percent - 1] * 1000

    def print(self) -> None:
        print(
            f"{self.name:32} {self.rate:9.0f} req/s   "
            f"p50 {self.p(50):6.2f} ms   p99 {self.p(99):6.2f} ms   "
            f"server CPU {self.cpu / len(self.latencies) * 1e6:5.0f} us/request"
        )


def timed(served: Served, path: str, body: dict[str, object], n: int, width: int) -> Figures:
    """``n`` requests: their latencies, the wall time, and the server's CPU time."""
    figures = Figures("")
    cpu, start = server_cpu(served.pid), time.perf_counter()
    figures.latencies = asyncio.run(load(served.url, path, body, n, width))
    figures.seconds = time.perf_counter() - start
    figures.cpu = server_cpu(served.pid) - cpu
    return figures


def warm(served: Served, path: str, body: dict[str, object], args: argparse.Namespace) -> None:
    asyncio.run(load(served.url, path, body, min(1000, args.requests), args.concurrency))


def compare(
    ours_at: Served, theirs_at: Served, args: argparse.Namespace
) -> tuple[Figures, Figures]:
    """usage.record on both apps, in alternating rounds."""
    path = "/v1/usage/record"
    ours = Figures("contractgen REST usage.record")
    theirs = Figures("FastAPI REST usage.record")
    warm(ours_at, path, RECORD, args)
    warm(theirs_at, path, RECORD, args)
    share = max(1, args.requests // args.rounds)
    for round_ in range(args.rounds):
        pair = [(ours, ours_at), (theirs, theirs_at)]
        rates = {}
        for figures, served in pair if round_ % 2 == 0 else reversed(pair):
            rates[figures.name] = figures.add(timed(served, path, RECORD, share, args.concurrency))
        ratio = rates[ours.name] / rates[theirs.name]
        print(
            f"  round {round_ + 1}: {rates[ours.name]:5.0f} vs {rates[theirs.name]:5.0f} "
            f"req/s ({ratio:.2f}x)"
        )
    return ours, theirs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    with server("contract_app") as ours_at, server("fastapi_app") as theirs_at:
        ours, theirs = compare(ours_at, theirs_at, args)
        graphql: dict[str, object] = {"query": MUTATION, "variables": {"i": RECORD}}
        warm(ours_at, "/graphql", graphql, args)
        gql = timed(ours_at, "/graphql", graphql, args.requests, args.concurrency)
        gql.name = "contractgen GraphQL usageRecord"
    for figures in (ours, gql, theirs):
        figures.print()
    ratio = ours.rate / theirs.rate
    p99 = "no worse" if ours.p(99) <= theirs.p(99) else "worse"
    print(f"throughput ratio (contractgen / FastAPI): {ratio:.2f}x (target >= 1.0x), p99 {p99}")
    return 0 if ratio >= 1 and ours.p(99) <= theirs.p(99) else 1


if __name__ == "__main__":
    sys.exit(main())
