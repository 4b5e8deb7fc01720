"""What the benchmarks share: their own scratch databases, and manage.py run against them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
# The only databases a benchmark may drop: never the app's or the tests'.
BENCH_DATABASES = frozenset(
    {"ocop_bench", "ocop_catalog_bench", "ocop_checkout_bench", "ocop_load_bench", "ocop_search_quality"}
    | {f"ocop_storefront_bench_{size}" for size in (1_000, 10_000, 100_000)}
)


def log(message: str = "") -> None:
    print(message, file=sys.stderr, flush=True)


def recreate_database(name: str, *, keep: bool) -> str:
    """Drop and create the benchmark database `name` (or keep it if it exists)."""
    import psycopg
    from psycopg import sql

    assert name in BENCH_DATABASES, "a benchmark only ever drops its own database"
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and keep:
            return "kept"
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return "re-created" if exists else "created"


def manage(*args: str, database: str, settings: str = "config.settings.local") -> float:
    """Run `manage.py ARGS` against the benchmark database in a subprocess; its wall seconds."""
    assert database in BENCH_DATABASES
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER_URL}/{database}",
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_DEBUG": "false",
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(
    *,
    database: str,
    workers: int,
    threads: int = 1,
    settings: str = "config.settings.local",
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """gunicorn over the benchmark database, DEBUG off; yields its base URL once /graphql/ answers."""

    assert database in BENCH_DATABASES
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER_URL}/{database}",
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads), "--log-level", "warning", "--backlog", "256"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_serving(base: str, process: subprocess.Popen, *, seconds: float = 60) -> None:
    """Wait until the gunicorn `process` at `base` answers a GraphQL query; SystemExit if it dies or takes longer."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.post(f"{base}/graphql/", json={"query": "{ shop { name } }"}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)


def start_redis(port: int, *, seconds: float = 10) -> subprocess.Popen:
    """A redis-server of our own on `port` (loopback, nothing saved), once it answers PING."""
    import redis

    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + seconds
    while True:
        try:
            redis.Redis(port=port).ping()
            return child
        except redis.ConnectionError:
            if time.monotonic() > deadline or child.poll() is not None:
                child.kill()
                raise SystemExit(f"redis-server did not start on port {port}") from None
            time.sleep(0.05)


def add_delivery_zone(channel) -> None:
    """A delivery zone for Đồng Nai in `channel`, with a standard and an express method (Django set up)."""
    from marketplace.shipping.models import ShippingMethod, ShippingZone

    zone = ShippingZone.objects.create(name="Đồng Nai", provinces=["75"])
    zone.channels.add(channel)
    ShippingMethod.objects.create(
        zone=zone, name="Giao tiêu chuẩn", name_en="Standard delivery", price_amount=30_000, maximum_delivery_days=3
    )
    ShippingMethod.objects.create(
        zone=zone, name="Giao nhanh", name_en="Express", price_amount=60_000, maximum_delivery_days=1
    )
