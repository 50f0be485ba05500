"""API lists at partner scale: each list's throughput divided by ``/healthz`` throughput on the same server.

The portal is served by gunicorn (2 sync workers, bound to 127.0.0.1 on a free port) on the scratch
database. A small load generator, in this process, keeps ``CONNECTIONS`` connections busy for
``SECONDS`` seconds on one URL (one request per connection, as gunicorn's sync workers close it), never
more than ``MAX_REQUESTS`` requests: the number of answers per second is the throughput. ``/healthz``
(one database query, and the broker when one is configured) is measured before the first list and after
each one, and each list is compared with the mean of the two runs around it, so that a drift of the
machine's load during the run weighs on both sides.

Each list is read as an anonymous visitor (the public data) and as INCa staff (every pole, every status:
the largest answers), with ``page_size=50``. Goal: list ÷ healthz ≥ 0.35 for every list.
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CONNECTIONS = 8
SECONDS = 4.0
WARM_UP_SECONDS = 1.0
MAX_REQUESTS = 50_000
GOAL = 0.35
PAGE_SIZE = 50
LISTS = ["values", "rollups", "contracts", "canceropoles", "indicators"]
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Measure:
    path: str
    viewer: str
    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*, database_url: str, port: int) -> subprocess.Popen:
    """gunicorn with 2 workers on 127.0.0.1:port, production settings apart from HTTPS and throttling."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY")
        or "bench-only-secret-key-not-used-for-anything-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        # The load generator is one client: the portal's rates would answer it 429 within a second.
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "API_THROTTLE_PARTNER_KEY": "100000000/minute",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _request(port, "/healthz", {})[0] == 200:
            return server
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering /healthz.")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s.")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _request(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """(status, body bytes) of one GET on a fresh connection; status 0 when the connection failed."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: application/json", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
    except OSError:
        return 0, 0
    answer = b"".join(chunks)
    try:
        return int(answer[9:12]), len(answer)
    except ValueError:
        return 0, len(answer)


def load(port: int, path: str, headers: dict[str, str], *, seconds: float, viewer: str) -> Measure:
    """Keep CONNECTIONS connections busy on ``path`` for ``seconds`` (at most MAX_REQUESTS requests)."""
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop_at:
            with lock:
                if counts["ok"] + counts["errors"] >= MAX_REQUESTS:
                    return
            status, _size = _request(port, path, headers)
            with lock:
                counts["ok" if status == 200 else "errors"] += 1

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Measure(path, viewer, counts["ok"], counts["errors"], time.monotonic() - start)


def staff_session_cookie() -> dict[str, str]:
    """A session of an INCa staff account created for the run, as the Cookie header of a browser."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user, _created = User.objects.get_or_create(
        email="bench-inca@bench.example.org", defaults={"is_inca_staff": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def measure(*, database_url: str) -> dict:
    viewers = {"anonymous": {}, "INCa staff": staff_session_cookie()}
    port = _free_port()
    server = start_server(database_url=database_url, port=port)
    try:
        paths = ["/healthz"] + [f"/api/v1/{name}/?page_size={PAGE_SIZE}" for name in LISTS]
        for path in paths:  # warm-up: connections, caches, lazy imports of both workers
            for headers in viewers.values():
                load(port, path, headers, seconds=WARM_UP_SECONDS, viewer="warm-up")
        # /healthz between every two lists: each list is compared with the two runs around it.
        healthz = [load(port, "/healthz", {}, seconds=SECONDS, viewer="anonymous")]
        lists = []
        for path in paths[1:]:
            for viewer, headers in viewers.items():
                lists.append(load(port, path, headers, seconds=SECONDS, viewer=viewer))
                healthz.append(load(port, "/healthz", {}, seconds=SECONDS, viewer="anonymous"))
    finally:
        stop_server(server)
    return {"healthz": healthz, "lists": lists}


def report(results: dict) -> str:
    around = [
        statistics.mean([results["healthz"][index].per_second, results["healthz"][index + 1].per_second])
        for index in range(len(results["lists"]))
    ]
    healthz = statistics.mean(m.per_second for m in results["healthz"])
    rates = [m.per_second for m in results["healthz"]]
    runs = f"{min(rates):.0f}–{max(rates):.0f}"
    lines = [
        f"API lists on the same server (gunicorn, 2 workers, {CONNECTIONS} connections, "
        f"{SECONDS:.0f} s each)",
        "",
        f"{'list':<40} {'viewer':<12} {'req/s':>8} {'errors':>7} {'÷ healthz':>10}  goal    result",
        f"{'/healthz (mean of its runs)':<40} {'anonymous':<12} {healthz:>8.0f} {'':>7} {'':>10}  "
        f"(runs: {runs} req/s)",
    ]
    misses = []
    for m, reference in zip(results["lists"], around, strict=True):
        ratio = m.per_second / reference if reference else 0.0
        met = ratio >= GOAL and not m.errors
        lines.append(
            f"{m.path:<40} {m.viewer:<12} {m.per_second:>8.1f} {m.errors:>7} {ratio:>10.3f}  ≥ {GOAL}  "
            f"{'PASS' if met else 'MISS'}"
        )
        if not met:
            misses.append(f"MISS: {m.path} as {m.viewer}: {ratio:.3f} of /healthz (goal ≥ {GOAL}).")
    return "\n".join(lines + misses)
