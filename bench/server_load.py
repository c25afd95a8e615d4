"""Load test of `leaktrace serve` on loopback: the dashboard page and 1 MB uploads with scans.

Starts a real server (`leaktrace serve`, one uvicorn process) on a fresh SQLite store in a
temporary folder, creates an account, then drives it with a small async client (httpx) for a
fixed time per scenario at a fixed concurrency, and prints requests per second, latency
percentiles and the count of errors (any status other than the expected one, or a failed
connection). Run by hand, never in tests:

    python bench/server_load.py                     # 20 s per scenario
    python bench/server_load.py --seconds 30 --dashboard-clients 16 --upload-clients 4
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PASSWORD = "load test password 1"
MIB = 1024 * 1024
WORDS = (
    "budget", "plan", "review", "team", "customer", "pilot", "supplier", "window", "bracket",
    "schedule", "risk", "board", "approve", "quarter", "delivery", "units", "pricing",
    "firmware", "engineer",
)  # fmt: skip


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def upload_body(seed: int) -> bytes:
    """1 MiB of text-like content with a few credentials in it (seeded: every run the same)."""
    rng = random.Random(seed)
    words = WORDS
    lines = []
    size = 0
    while size < MIB:
        line = " ".join(rng.choice(words) for _ in range(12))
        if rng.random() < 0.002:
            line += " aws_access_key_id = AKIAIOSFODNN7EXAMPLQ"
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines)).encode()[:MIB]


def start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LEAKTRACE_HOME": str(home)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "leaktrace",
            "users",
            "add",
            "bench",
            "--role",
            "analyst",
            "--password-stdin",
        ],
        input=PASSWORD.encode() + b"\n",
        env=env,
        check=True,
        capture_output=True,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "leaktrace", "serve", "--port", str(port), "--max-upload-mb", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_ready(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/api/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not start")


async def log_in(client: httpx.AsyncClient) -> str:
    """Log in through the form (cookie session); returns an API token for the upload clients."""
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "login page without CSRF token"
    answer = await client.post(
        "/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303, answer.text
    created = await client.post(
        "/api/tokens", json={"name": "bench"}, headers={"x-csrf-token": token.group(1)}
    )
    return str(created.json()["token"])


async def drive(
    clients: int, seconds: float, request: Callable[[], Awaitable[httpx.Response]], expect: int
) -> tuple[Tally, float]:
    tally = Tally()
    stop = time.monotonic() + seconds

    async def worker() -> None:
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                response = await request()
            except httpx.HTTPError as error:
                tally.error(type(error).__name__)
                continue
            elapsed = time.perf_counter() - began
            if response.status_code == expect:
                tally.latencies.append(elapsed)
            else:
                tally.error(f"HTTP {response.status_code}")

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return tally, time.perf_counter() - began


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def report(name: str, clients: int, tally: Tally, wall: float) -> None:
    done = len(tally.latencies)
    print(
        f"| {name} | {clients} | {done} | {done / wall:.1f} | "
        f"{percentile(tally.latencies, 0.5) * 1000:.0f} | "
        f"{percentile(tally.latencies, 0.99) * 1000:.0f} | "
        f"{tally.errors}{' ' + str(tally.error_kinds) if tally.errors else ''} |"
    )


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="leaktrace-load-") as folder:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(Path(folder), port)
        try:
            await wait_ready(base)
            limits = httpx.Limits(max_connections=64)
            timeout = httpx.Timeout(120)
            async with (
                httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as pages,
                httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as uploads,
            ):
                token = await log_in(pages)
                body = upload_body(7)
                headers = {"authorization": f"Bearer {token}"}
                # Warm up: the first scan compiles every detector's patterns (seconds).
                warm = await uploads.post(
                    "/api/scans", files={"files": ("warm.txt", body)}, headers=headers
                )
                assert warm.status_code == 201, warm.text
                print("| scenario | clients | requests | req/s | p50 ms | p99 ms | errors |")
                print("|---|---:|---:|---:|---:|---:|---:|")
                tally, wall = await drive(
                    args.dashboard_clients, args.seconds, lambda: pages.get("/"), 200
                )
                report("dashboard page `/`", args.dashboard_clients, tally, wall)
                tally, wall = await drive(
                    args.upload_clients,
                    args.seconds,
                    lambda: uploads.post(
                        "/api/scans", files={"files": ("load.txt", body)}, headers=headers
                    ),
                    201,
                )
                report("1 MiB upload + scan `POST /api/scans`", args.upload_clients, tally, wall)
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--dashboard-clients", type=int, default=16)
    parser.add_argument("--upload-clients", type=int, default=4)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
