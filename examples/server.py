"""A small model server instrumented with driftline.

    python examples/server.py [--port 8000] [--metrics-port 9100] [--no-monitor]

At start-up it trains a scikit-learn LogisticRegression on driftline's built-in example data
(with a synthetic churn label), profiles the training data as the monitor's baseline, and
serves, with the standard library's ThreadingHTTPServer (HTTP/1.1 keep-alive):

- ``POST /predict`` ``{"features": {...}, "id": "optional request id"}`` ->
  ``{"id": ..., "prediction": 0 | 1, "probability": p}``; every request is logged with
  ``monitor.log(features, prediction, score=p, latency_ms=..., id=request_id)``, a request the
  model cannot score with ``error=True`` (and answered with status 400);
- ``POST /labels`` ``{"ids": [...], "labels": [...]}`` -> ``{"accepted": n}``: delayed ground
  truth, joined to the logged predictions by id (``monitor.log_labels``);
- ``GET /healthz`` -> ``ok``.

The monitor's Prometheus metrics are served on ``--metrics-port`` (``monitor.serve_metrics``).
``--port 0``/``--metrics-port 0`` bind free ports; the bound addresses are printed on one line
(``listening http://... metrics http://...``) once the server is ready.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pyarrow as pa
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

import driftline
from driftline._demo import DEVICES, example_data

#: The request features and their kinds (``score``, a column of the example data, is left out:
#: the model's own score is logged as ``score=``).
FEATURES = {
    "age": "numeric",
    "income": "numeric",
    "session_s": "numeric",
    "tenure_days": "numeric",
    "city": "categorical",
    "device": "categorical",
}
NUMERIC = [n for n, k in FEATURES.items() if k == "numeric"]
MODEL = driftline.ModelSpec(
    "binary", label="churned", prediction="prediction", scores="probability", labels=[0, 1]
)
MAX_BODY = 1 << 20


class Model:
    """Standardised numeric features (log income) and a one-hot device, into a logistic
    regression."""

    def __init__(self, rows: int = 20_000, seed: int = 0) -> None:
        table = example_data(rows, seed=seed).drop_columns(["score"])
        self.train = table
        self.fill = {n: float(np.median(table[n].to_numpy())) for n in NUMERIC}
        x = self.matrix(table.to_pylist())
        rng = np.random.default_rng(seed)
        self.y = (rng.random(rows) < _churn_probability(x)).astype(np.int64)
        scaler = StandardScaler().fit(x)
        self.mean, self.scale = scaler.mean_, scaler.scale_
        self.lr = LogisticRegression(max_iter=500).fit(self.standardise(x), self.y)

    def standardise(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        # Done in NumPy rather than in a Pipeline: per request, sklearn's input validation in
        # each pipeline step costs more than the model.
        return np.asarray((x - self.mean) / self.scale)

    def matrix(self, rows: list[dict[str, Any]]) -> np.ndarray[Any, Any]:
        """Model inputs of feature dicts. A missing, null or non-finite numeric feature is
        imputed with the training median (the monitor still sees it as missing or NaN); one
        that is not a number raises ValueError or TypeError."""
        out = np.empty((len(rows), len(NUMERIC) + len(DEVICES) - 1))
        for i, r in enumerate(rows):
            nums = []
            for n in NUMERIC:
                v = r.get(n)
                v = self.fill[n] if v is None else float(v)
                nums.append(v if math.isfinite(v) else self.fill[n])
            nums[1] = math.log1p(max(nums[1], 0.0))  # income
            out[i, : len(NUMERIC)] = nums
            out[i, len(NUMERIC) :] = [float(r.get("device") == d) for d in DEVICES[1:]]
        return out

    def predict(self, features: dict[str, Any]) -> tuple[int, float]:
        p = float(self.lr.predict_proba(self.standardise(self.matrix([features])))[0, 1])
        return int(p >= 0.5), p

    def baseline(self) -> driftline.Profile:
        """The training data with the model's outputs and labels, profiled twice so that the
        baseline carries exact histograms on its own quantile bins."""
        p = self.lr.predict_proba(self.standardise(self.matrix(self.train.to_pylist())))[:, 1]
        table = (
            self.train.append_column("prediction", pa.array((p >= 0.5).astype(np.int64)))
            .append_column("probability", pa.array(p))
            .append_column("churned", pa.array(self.y))
        )
        first = driftline.profile(table, FEATURES, model=MODEL)
        return driftline.profile(table, FEATURES, baseline=first, model=MODEL)


def _churn_probability(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The synthetic ground truth: young, short-tenure, web users churn more."""
    age, log_income, session, tenure, _ios, web = x.T
    logit = (
        -0.8
        - 0.03 * (age - 40.0)
        - 0.3 * (log_income - 10.5)
        + 0.002 * (session - 120.0)
        - 0.003 * (tenure - 400.0)
        + 0.8 * web
    )
    return np.asarray(1.0 / (1.0 + np.exp(-logit)))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm holds the
    # body until the client's delayed ACK of the headers (~40 ms per request on Linux).
    disable_nagle_algorithm = True
    server_version = "driftline-example/1"
    model: Model
    monitor: Any = None

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would cost more than the model

    def _reply(self, status: int, body: Any) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        ctype = "text/plain" if isinstance(body, str) else "application/json"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_BODY:
            self.close_connection = True  # the unread body would be taken for the next request
            raise ValueError("request body too large")
        return json.loads(self.rfile.read(n) or b"null")

    def do_GET(self) -> None:
        if self.path == "/healthz":
            self._reply(200, "ok")
        else:
            self._reply(404, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path == "/predict":
            self._predict()
        elif self.path == "/labels":
            self._labels()
        else:
            self._reply(404, {"error": "not found"})

    def _predict(self) -> None:
        t0 = time.perf_counter()
        features: Any = None
        request_id = uuid.uuid4().hex
        try:
            body = self._body()
            if not isinstance(body, dict) or not isinstance(body.get("features"), dict):
                raise ValueError('expected {"features": {...}}')
            features = body["features"]
            request_id = str(body.get("id") or request_id)
            prediction, p = self.model.predict(features)
        except (ValueError, TypeError) as e:
            if self.monitor is not None:
                latency = (time.perf_counter() - t0) * 1e3
                self.monitor.log(
                    features if isinstance(features, dict) else {},
                    None,
                    latency_ms=latency,
                    id=request_id,
                    error=True,
                )
            self._reply(400, {"id": request_id, "error": str(e)})
            return
        if self.monitor is not None:
            latency = (time.perf_counter() - t0) * 1e3
            self.monitor.log(features, prediction, score=p, latency_ms=latency, id=request_id)
        self._reply(200, {"id": request_id, "prediction": prediction, "probability": p})

    def _labels(self) -> None:
        try:
            body = self._body()
            ids, labels = body["ids"], body["labels"]
            if not isinstance(ids, list) or not isinstance(labels, list):
                raise TypeError("ids and labels must be lists")
            if len(ids) != len(labels):
                raise ValueError("ids and labels must have the same length")
        except (ValueError, KeyError, TypeError) as e:
            self._reply(400, {"error": str(e)})
            return
        if self.monitor is None:
            self._reply(200, {"accepted": 0, "monitoring": False})
            return
        self.monitor.log_labels([str(i) for i in ids], labels)
        self._reply(200, {"accepted": len(ids)})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default listen backlog of 5 drops bursts of new clients


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--metrics-port", type=int, default=9100)
    ap.add_argument("--no-monitor", action="store_true", help="serve without driftline")
    ap.add_argument("--window", default="1m", help="monitoring window (default 1m)")
    ap.add_argument("--train-rows", type=int, default=20_000)
    args = ap.parse_args(argv)

    model = Model(args.train_rows)
    monitor = metrics = None
    if not args.no_monitor:
        monitor = driftline.Monitor(
            FEATURES,
            baseline=model.baseline(),
            window=args.window,
            model=MODEL,
            name="churn",
            version="1",
        )
        metrics = monitor.serve_metrics(args.metrics_port)

    class Bound(Handler):
        pass

    Bound.model = model
    Bound.monitor = monitor
    httpd = Server((args.host, args.port), Bound)

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host, port = httpd.server_address[:2]
    line = f"listening http://{host}:{port}"
    line += f" metrics {metrics.url}" if metrics is not None else " (no monitor)"
    print(line, flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        httpd.server_close()
        if metrics is not None:
            metrics.close()
        if monitor is not None:
            monitor.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
