"""Requests per second and p50/p99 latency of usage.record over REST on loopback:
contractgen's runtime against a hand-written FastAPI endpoint, side by side in one
run, each on uvicorn with one worker; plus GraphQL requests per second of the same
mutation through the runtime. Not a test: run it on a quiet machine.

    python benchmarks/runtime_bench.py [--requests 160000] [--concurrency 32] [--rounds 4]

Both servers run during the whole run, and the timed requests of each are sent in
``--rounds`` rounds that alternate (contractgen then FastAPI, then FastAPI then
contractgen, ...), so that a change of the machine's load during the run weighs on
both alike; each app's figures are over all its rounds.

The load generator is ``wrk`` (C; ``apt install wrk``) when it is on the PATH,
else httpx in this process (``--generator`` chooses). On a 2-core machine the
httpx generator spends more CPU per request than either server, so it measures
itself more than them: both servers come out at its rate. wrk keeps
``--concurrency`` connections busy until the round's share of ``--requests`` has
been answered (its script counts the answers, then the round is stopped with
SIGINT, so wrk reports the round's own duration), and reports each round's p50
and p99; each app's latency figure is the median over its rounds.

Every round sends each app the same number of requests. The reference handler
keeps every record it is sent, so the heap, and with it the time a full garbage
collection takes, grows with the requests an app has answered: rounds of a fixed
length would make the faster app's tail pay for its speed.

Needs the ``bench`` extra (fastapi). Target: at least FastAPI's throughput, with a
p99 no worse.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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
    """One app's timed requests over rounds: requests, wall time, server CPU time,
    and each round's p50 and p99 latency (s)."""

    def __init__(self, name: str) -> None:
        self.name, self.requests, self.seconds, self.cpu = name, 0, 0.0, 0.0
        self.p50s, self.p99s = list[float](), list[float]()

    def add(self, other: Figures) -> float:
        """Adds a round's figures; returns the round's requests/s."""
        self.requests += other.requests
        self.seconds += other.seconds
        self.cpu += other.cpu
        self.p50s += other.p50s
        self.p99s += other.p99s
        return other.requests / other.seconds

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def p(self, percent: int) -> float:
        """The median over rounds of the round's percentile, in ms."""
        return statistics.median(self.p50s if percent == 50 else self.p99s) * 1000

    def print(self) -> None:
        print(
            f"{self.name:32} {self.rate:9.0f} req/s   "
            f"p50 {self.p(50):6.2f} ms   p99 {self.p(99):6.2f} ms   "
            f"server CPU {self.cpu / self.requests * 1e6:5.0f} us/request"
        )


#: wrk's script: the request; once the round's share is answered, a line that asks for
#: the end of the round; at the end, a line with what the round measured.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer admin"
local answered = 0
response = function(status, headers, body)
  answered = answered + 1
  if answered == {share} then
    io.write("ENOUGH\\n")
    io.flush()
    wrk.thread:stop()
  end
end
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("FIGURES %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), bad))
end
"""


def round_share(args: argparse.Namespace) -> int:
    """How many requests one round sends an app: its share of ``--requests``."""
    share: int = max(1, args.requests // args.rounds)
    return share


def wrk_round(
    served: Served, path: str, body: dict[str, object], args: argparse.Namespace
) -> Figures:
    """One round of wrk against the app: one thread, ``--concurrency`` connections, until
    the round's share of ``--requests`` is answered."""
    share = round_share(args)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(body=json.dumps(json.dumps(body)), share=share))
    # wrk runs for its -d; SIGINT ends the round early, with the figures so far.
    command = ["wrk", "-t1", f"-c{args.concurrency}", "-d3600s", "-s", script.name]
    try:
        with subprocess.Popen(
            [*command, served.url + path], stdout=subprocess.PIPE, text=True
        ) as process:
            assert process.stdout is not None
            out = []
            for line in process.stdout:
                out.append(line)
                if line.startswith("ENOUGH"):
                    process.send_signal(signal.SIGINT)
    finally:
        os.unlink(script.name)
    line = next(x for x in out if x.startswith("FIGURES "))
    requests, micros, p50, p99, bad = (int(v) for v in line.split()[1:])
    if bad or process.returncode:
        raise RuntimeError(f"{path}: {bad} failed requests\n{''.join(out)}")
    figures = Figures("")
    figures.requests, figures.seconds = requests, micros / 1e6
    figures.p50s, figures.p99s = [p50 / 1e6], [p99 / 1e6]
    return figures


def timed(served: Served, path: str, body: dict[str, object], args: argparse.Namespace) -> Figures:
    """One round against the app: its requests and latencies, and the server's CPU time."""
    cpu, start = server_cpu(served.pid), time.perf_counter()
    if args.generator == "wrk":
        figures = wrk_round(served, path, body, args)
    else:
        latencies = asyncio.run(load(served.url, path, body, round_share(args), args.concurrency))
        figures = Figures("")
        figures.requests, figures.seconds = len(latencies), time.perf_counter() - start
        cuts = statistics.quantiles(latencies, n=100)
        figures.p50s, figures.p99s = [cuts[49]], [cuts[98]]
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
    for round_ in range(args.rounds):
        pair = [(ours, ours_at), (theirs, theirs_at)]
        rates = {}
        for figures, served in pair if round_ % 2 == 0 else reversed(pair):
            rates[figures.name] = figures.add(timed(served, path, RECORD, args))
        ratio = rates[ours.name] / rates[theirs.name]
        print(
            f"  round {round_ + 1}: {rates[ours.name]:5.0f} vs {rates[theirs.name]:5.0f} "
            f"req/s ({ratio:.2f}x)"
        )
    return ours, theirs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=160000, help="requests per app, over all rounds"
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--generator",
        choices=("wrk", "httpx"),
        default="wrk" if shutil.which("wrk") else "httpx",
        help="load generator (default: wrk when installed)",
    )
    parser.add_argument(
        "--unfrozen",
        action="store_true",
        help="serve contractgen's app with freeze_heap=False (what the frozen heap gains)",
    )
    args = parser.parse_args()
    ours_factory = "contract_app_unfrozen" if args.unfrozen else "contract_app"
    with server(ours_factory) as ours_at, server("fastapi_app") as theirs_at:
        ours, theirs = compare(ours_at, theirs_at, args)
        graphql: dict[str, object] = {"query": MUTATION, "variables": {"i": RECORD}}
        warm(ours_at, "/graphql", graphql, args)
        gql = Figures("contractgen GraphQL usageRecord")
        for _ in range(args.rounds):
            gql.add(timed(ours_at, "/graphql", graphql, args))
    print(f"load generator: {args.generator}, {args.concurrency} connections")
    for figures in (ours, gql, theirs):
        figures.print()
    ratio = ours.rate / theirs.rate
    p99 = "no worse" if ours.p(99) <= theirs.p(99) else "worse"
    print(f"throughput ratio (contractgen / FastAPI): {ratio:.2f}x (target >= 1.0x), p99 {p99}")
    return 0 if ratio >= 1 and ours.p(99) <= theirs.p(99) else 1


if __name__ == "__main__":
    sys.exit(main())
