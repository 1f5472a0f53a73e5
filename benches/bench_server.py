"""Loopback load test of examples/server.py, with and without the driftline monitor.

    python benches/bench_server.py [--requests 5000] [--concurrency 8] [--rounds 1]
                                   [--json FILE]

Starts the example model server in a subprocess twice -- once with ``--no-monitor``, once
monitored -- and drives each with ``--concurrency`` client threads, each holding one
``http.client`` keep-alive connection, until ``--requests`` POST /predict requests have been
answered (after ``--warmup`` untimed ones). Request bodies are encoded before the clock starts.
Prints one markdown table: requests/s and client-side p50/p99 latency of both runs side by
side, and the monitored/plain ratio. ``--rounds R`` alternates R runs of each server and pools
them (requests/s = all requests / all timed seconds; quantiles of all latencies). After each
monitored run it posts labels for the timed requests (POST /labels, untimed) and scrapes the
metrics endpoint once, to check that the monitor serves its exposition.

Clients and server share the machine, so the figures are those of the whole loopback system:
compare the ratio across machines, not the absolute numbers. The defaults finish in about
30 s on 2 cores. Exit status 1 when a run failed (its error is printed on stderr).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "examples" / "server.py"
X = "\u00d7"  # the multiplication sign of a ratio
READY = re.compile(r"listening http://(\S+):(\d+)(?: metrics (\S+))?")


@dataclass
class Run:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    failure: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)

    def add(self, other: Run) -> None:
        """Pool another round's figures into this one."""
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies_ms += other.latencies_ms
        self.failure = self.failure or other.failure
        self.metrics.update(other.metrics)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else float("nan")

    def quantile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        return float(np.quantile(np.asarray(self.latencies_ms), q))


def payloads(n: int, prefix: str = "req", seed: int = 5) -> list[bytes]:
    """``n`` request bodies from the drifted example data (age, income, session, city and
    device move away from the training data; some incomes are NaN or infinite, sent as null
    since JSON has neither), each with its own id ``<prefix>-<i>``."""
    from driftline._demo import example_data

    rows = example_data(max(min(n, 5000), 1), drift=True, seed=seed)
    records = rows.drop_columns(["score"]).to_pylist()
    out = []
    for i in range(n):
        features = dict(records[i % len(records)])
        income = features.get("income")
        if isinstance(income, float) and not math.isfinite(income):
            features["income"] = None
        out.append(json.dumps({"id": f"{prefix}-{i}", "features": features}).encode())
    return out


class Server:
    """examples/server.py in a subprocess, on free ports."""

    def __init__(self, monitored: bool, window: str, start_timeout: float) -> None:
        cmd = [sys.executable, str(SERVER), "--port", "0", "--metrics-port", "0"]
        cmd += ["--window", window]
        if not monitored:
            cmd.append("--no-monitor")
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=self.stderr, text=True, cwd=ROOT
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"server not ready after {start_timeout:.0f} s") from None
            if line is None:
                self.stop()
                raise RuntimeError("server exited during start-up:\n" + self.error_tail())
            m = READY.search(line)
            if m:
                self.host, self.port, self.metrics_url = m.group(1), int(m.group(2)), m.group(3)
                return

    def error_tail(self, lines: int = 15) -> str:
        self.stderr.flush()
        self.stderr.seek(0)
        return "\n".join(self.stderr.read().splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def drive(
    host: str, port: int, bodies: list[bytes], concurrency: int, timeout: float
) -> tuple[float, list[float], int]:
    """Send every body once from ``concurrency`` keep-alive connections; the wall time, each
    request's latency (ms) and the number of non-200 answers."""
    counter = itertools.count()
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    failures: list[BaseException] = []
    start = threading.Barrier(concurrency + 1)
    headers = {"Content-Type": "application/json"}

    def client(k: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        mine = latencies[k]
        try:
            conn.connect()
            start.wait()
            while True:
                i = next(counter)
                if i >= len(bodies):
                    break
                t0 = time.perf_counter()
                conn.request("POST", "/predict", bodies[i], headers)
                resp = conn.getresponse()
                resp.read()
                mine.append((time.perf_counter() - t0) * 1e3)
                if resp.status != 200:
                    errors[k] += 1
        except BaseException as e:
            failures.append(e)
            start.abort()
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(concurrency)]
    for t in threads:
        t.start()
    try:
        start.wait()
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    if failures:
        raise RuntimeError(f"client failed: {failures[0]!r}")
    return elapsed, [x for xs in latencies for x in xs], sum(errors)


def post_labels(host: str, port: int, n: int, timeout: float) -> int:
    """Labels for the timed requests, 1000 per POST /labels; how many the server accepted."""
    rng = np.random.default_rng(0)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    accepted = 0
    try:
        for lo in range(0, n, 1000):
            ids = [f"req-{i}" for i in range(lo, min(lo + 1000, n))]
            labels = rng.integers(0, 2, len(ids)).tolist()
            conn.request("POST", "/labels", json.dumps({"ids": ids, "labels": labels}))
            resp = conn.getresponse()
            body = json.loads(resp.read())
            accepted += int(body.get("accepted", 0))
    finally:
        conn.close()
    return accepted


def scrape(url: str, timeout: float) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        text = r.read().decode()
    out: dict[str, Any] = {"bytes": len(text)}
    try:
        from prometheus_client.parser import text_string_to_metric_families

        fams = list(text_string_to_metric_families(text))
        out["families"] = len(fams)
        out["series"] = sum(len(f.samples) for f in fams)
        for f in fams:
            if f.name in ("driftline_requests", "driftline_exporter_errors"):
                out[f.name + "_total"] = f.samples[0].value
    except ImportError:
        pass
    return out


def run(name: str, monitored: bool, bodies: list[bytes], args: argparse.Namespace) -> Run:
    result = Run(name)
    try:
        server = Server(monitored, args.window, args.start_timeout)
    except Exception as e:
        result.failure = str(e)
        return result
    try:
        warm = payloads(args.warmup, prefix="warm")
        drive(server.host, server.port, warm, min(args.concurrency, 2), args.timeout)
        elapsed, lat, errors = drive(
            server.host, server.port, bodies, args.concurrency, args.timeout
        )
        result.requests, result.seconds, result.latencies_ms, result.errors = (
            len(bodies),
            elapsed,
            lat,
            errors,
        )
        if monitored:
            result.metrics["labels_accepted"] = post_labels(
                server.host, server.port, len(bodies), args.timeout
            )
            if server.metrics_url:
                result.metrics.update(scrape(server.metrics_url, args.timeout))
        if server.proc.poll() is not None:
            raise RuntimeError("server exited during the run:\n" + server.error_tail())
    except Exception as e:
        result.failure = f"{e}\n{server.error_tail()}"
    finally:
        server.stop()
    return result


def fmt(x: float, spec: str = ".1f") -> str:
    return "—" if x != x else format(x, spec)


def table(plain: Run, monitored: Run, args: argparse.Namespace) -> str:
    rows = [
        "| server | requests | errors | requests/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in (plain, monitored):
        if r.failure is not None:
            rows.append(f"| {r.name} | failed | | | | |")
            continue
        rows.append(
            f"| {r.name} | {r.requests} | {r.errors} | {fmt(r.rps, '.0f')} | "
            f"{fmt(r.quantile(0.5), '.2f')} | {fmt(r.quantile(0.99), '.2f')} |"
        )
    if plain.failure is None and monitored.failure is None:
        rows.append(
            f"| monitored / plain | | | {fmt(monitored.rps / plain.rps, '.3f')}{X} | "
            f"{fmt(monitored.quantile(0.5) / plain.quantile(0.5), '.3f')}{X} | "
            f"{fmt(monitored.quantile(0.99) / plain.quantile(0.99), '.3f')}{X} |"
        )
    head = (
        f"examples/server.py on loopback: {args.rounds} x {args.requests} POST /predict "
        f"(each after {args.warmup} warm-up), {args.concurrency} keep-alive client threads, "
        f"window {args.window}; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.\n\n"
    )
    return head + "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=5000, help="timed requests per run")
    ap.add_argument("--concurrency", type=int, default=8, help="client threads")
    ap.add_argument("--warmup", type=int, default=200, help="untimed requests first")
    ap.add_argument("--rounds", type=int, default=1, help="alternated runs of each server, pooled")
    ap.add_argument("--window", default="1m", help="the monitor's window")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request timeout (s)")
    ap.add_argument("--start-timeout", type=float, default=120.0, help="server start-up (s)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    if min(args.requests, args.concurrency, args.rounds) < 1 or args.warmup < 0:
        ap.error("--requests, --concurrency and --rounds must be positive")

    bodies = payloads(args.requests)
    plain, monitored = Run("no monitor"), Run("driftline monitor")
    for _ in range(args.rounds):  # alternated, so that drift in the machine's speed is shared
        for total, monitor in ((plain, False), (monitored, True)):
            r = run(total.name, monitor, bodies, args)
            total.add(r)
    print(table(plain, monitored, args))
    if monitored.metrics:
        print("\nlast monitored run, after its timed requests: " + json.dumps(monitored.metrics))
    for r in (plain, monitored):
        if r.failure is not None:
            print(f"\n{r.name} failed:\n{r.failure}", file=sys.stderr)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    r.name: {
                        "requests": r.requests,
                        "errors": r.errors,
                        "seconds": r.seconds,
                        "rps": r.rps,
                        "p50_ms": r.quantile(0.5),
                        "p99_ms": r.quantile(0.99),
                        "failure": r.failure,
                        "metrics": r.metrics,
                    }
                    for r in (plain, monitored)
                },
                indent=2,
            )
        )
    return 0 if plain.failure is None and monitored.failure is None else 1


if __name__ == "__main__":
    sys.exit(main())
