"""Faults under a light load, each on servers of the script's own: what was lost, and how long recovery took.

    .venv/bin/python bench/faults.py                               # every scenario
    .venv/bin/python bench/faults.py --scenario postgres-restart [--outage 3] [--workers 3] [--no-health-checks]

Each scenario starts its OWN PostgreSQL cluster (initdb into a temporary folder with the server's binaries in
/usr/lib/postgresql/*/bin, on a free port of 127.0.0.1, fsync off) and its own redis-server on a free port, fills
a small shop (bench/checkout.py's `fill`: listed products, collection points, a delivery zone), serves it with
gunicorn (config.settings.local, DEBUG off) and runs a light load (`LightLoad`: visitors reading pages and the
API, buyers checking out with cash, a buyer retrying `checkoutComplete` after a 503 as a client should). Nothing
touches the shared PostgreSQL on 5432 or the shared Redis; everything started is stopped on exit.

Scenarios:

- `postgres-restart`: after a warm-up (every gunicorn worker holding a persistent connection), PostgreSQL is
  stopped (`pg_ctl stop -m fast`), stays down for --outage seconds, and is started again. Measured: the
  requests during the outage by outcome (ok, a clean 503: the bilingual page or `{"errors": [...]}` with code
  DATABASE_UNAVAILABLE and Retry-After; anything else is unclean: a 500, a traceback, a dropped connection, a
  GraphQL 200 with errors), the failed requests after the database is back (stale connections), the seconds
  from the database accepting connections again until the service answers and until its last failure, and
  half-written orders (bench/check_consistency.py over the run: every complete one whole order, stock adding up).
  Targets: 0 unclean answers, 0 half-written orders, service back within 5 s of the database.
- `postgres-restart-idle`: the same, but the clients pause from 2 s before the stop until the database is back,
  so every worker meets the restart with the connection it kept from before (CONN_MAX_AGE): without health
  checks (--no-health-checks) each worker's first request after it fails on that stale connection.

- `payments-stripe`: bench/faults_payments.py in its own process (its own database `ocop_payfaults_bench` and its
  own localstripe): Stripe unreachable at transactionInitialize and checkoutComplete, webhooks that never arrive,
  and processes SIGKILLed between the charge and the order, then the payment reconciliation. Target: lost 0.

The figures go to bench/out/faults-last.json; the exit status is 1 when a target is missed.

- `redis-away`: bench/faults_redis.py in its own process (its own PostgreSQL, Redis, gunicorn and Celery worker
  with beat): Redis shut down under the load and started again, then the worker stopped and started again.
  Targets: 0 answers not ok, every e-mail of the orders placed meanwhile sent once, outbox drained within 60 s.

Other scenarios (Redis, payments) plug in as functions in SCENARIOS that take the parsed arguments and return
their figures with a `missed` list.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import free_port, log, start_redis, wait_until_serving  # noqa: E402

OUT_DIR = ROOT / "bench" / "out"
SETTINGS = "config.settings.local"
DATABASE = "ocop_faults"
SERVICE_BACK_TARGET_SECONDS = 5.0
INITDB_OPTIONS = ("-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
UNAVAILABLE_PAGE_MARK = "Cửa hàng tạm thời gián đoạn"
UNAVAILABLE_CODE = "DATABASE_UNAVAILABLE"


# Servers of our own


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise SystemExit("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class OwnPostgres:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1:port, trust authentication, fsync off."""

    folder: Path
    port: int
    bin: Path = field(default_factory=_pg_bin)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _ctl(self, *args: str) -> None:
        command = _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-t", "60", *args])
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self) -> None:
        (self.folder / "sockets").mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            shutil.chown(self.folder / "sockets", "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.folder / "data"),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    *INITDB_OPTIONS,
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder / 'sockets'} -c listen_addresses=127.0.0.1 -c fsync=off"
        options += " -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        self._ctl("-o", options, "-l", str(self.folder / "server.log"), "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def create_database(self, name: str) -> str:
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"{self.url}/{name}"


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    folder = Path(tempfile.mkdtemp(prefix="ocop-faults-pg-"))
    cluster = OwnPostgres(folder=folder, port=free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def own_redis() -> Iterator[str]:
    """A redis-server of our own on a free port, nothing saved; yields its URL (database 0)."""
    port = free_port()
    child = start_redis(port)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        child.terminate()
        child.wait(timeout=10)


def app_env(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "OCOP_SYNC_IMAGES": "false",
    }


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"migrate failed:\n{done.stdout}{done.stderr}")


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log_path: Path) -> Iterator[str]:

    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning", "--timeout", "60"]
    with log_path.open("ab") as out:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, child)
        yield base
    finally:
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()


@contextmanager
def small_shop(
    stack: ExitStack, *, workers: int, products: int = 120, health_checks: bool = True
) -> Iterator[dict[str, Any]]:
    """Our own PostgreSQL and Redis, a migrated and filled shop, gunicorn over it; Django set up on it here."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    cluster = stack.enter_context(own_postgres())
    redis_url = stack.enter_context(own_redis())
    database_url = cluster.create_database(DATABASE)
    env = app_env(database_url, redis_url)
    if not health_checks:
        env["DATABASE_CONN_HEALTH_CHECKS"] = "false"
    log(f"own PostgreSQL on port {cluster.port}, own Redis {redis_url}; migrating …")
    migrate(env)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    if connection.settings_dict["PORT"] != cluster.port and str(connection.settings_dict["PORT"]) != str(cluster.port):
        raise SystemExit(f"refusing: Django points at port {connection.settings_dict['PORT']}")
    from bench.checkout import fill, shop_variants

    fill(products=products, producers=6, seed=1)
    variants = shop_variants()
    slugs = _slugs()
    base = stack.enter_context(gunicorn(env, workers=workers, log_path=OUT_DIR / "faults-web.log"))
    yield {"cluster": cluster, "redis": redis_url, "base": base, "variants": variants, "slugs": slugs, "env": env}


def _slugs() -> list[str]:
    from marketplace.catalogue.models import Product

    return list(Product.objects.filter(listing_state="listed").values_list("slug", flat=True))


# The light load


@dataclass
class Outcome:
    kind: str
    started: float
    ended: float
    status: int
    verdict: str  # "ok", "503" (a clean 503) or "unclean"
    note: str = ""


PRODUCTS = '{ products(first: 12, channel: "default-channel") { totalCount edges { node { id name slug } } } }'
CREATE = """
mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id availableCollectionPoints { id } } errors { field code message } } }"""
DELIVERY = """
mutation($id: ID!, $method: ID!) { checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
  checkout { id } errors { field code message } } }"""
CASH = """
mutation($id: ID!) { transactionInitialize(id: $id, paymentGateway: {id: "ocop.payments.cash"}) {
  transaction { id } errors { field code message } } }"""
COMPLETE = """
mutation($id: ID!) { checkoutComplete(id: $id) { order { id number } errors { field code message } } }"""


class LightLoad:
    """A few visitor and buyer threads over httpx, every answer judged: ok, a clean 503, or unclean."""

    def __init__(self, base: str, *, variants: list[str], slugs: list[str], visitors: int = 3, buyers: int = 2):
        self.base = base
        self.variants = variants
        self.slugs = slugs
        self.outcomes: list[Outcome] = []
        self.orders: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.running = threading.Event()  # cleared: the threads wait (no traffic) before their next request
        self.running.set()
        self.threads = [threading.Thread(target=self._visitor, args=(n,), daemon=True) for n in range(visitors)]
        self.threads += [threading.Thread(target=self._buyer, args=(n,), daemon=True) for n in range(buyers)]

    def __enter__(self) -> LightLoad:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.running.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _record(self, outcome: Outcome) -> Outcome:
        with self.lock:
            self.outcomes.append(outcome)
        return outcome

    def _judge(self, kind: str, started: float, response: Any, *, field: str | None = None) -> tuple[Outcome, Any]:
        ended = time.monotonic()
        status = response.status_code
        content_type = response.headers.get("content-type", "")
        text = response.text
        if status == 503:
            clean = response.headers.get("retry-after") and (
                UNAVAILABLE_PAGE_MARK in text
                if content_type.startswith("text/html")
                else content_type.startswith("application/json") and UNAVAILABLE_CODE in text
            )
            verdict = "503" if clean and "Traceback" not in text else "unclean"
            return self._record(Outcome(kind, started, ended, status, verdict, text[:200] if not clean else "")), None
        if status != 200:
            return self._record(Outcome(kind, started, ended, status, "unclean", text[:300])), None
        if field is None:
            return self._record(Outcome(kind, started, ended, status, "ok")), None
        body = response.json()
        data = (body.get("data") or {}).get(field)
        if body.get("errors") or data is None or (isinstance(data, dict) and data.get("errors")):
            note = json.dumps(body, ensure_ascii=False)[:300]
            return self._record(Outcome(kind, started, ended, status, "unclean", note)), None
        return self._record(Outcome(kind, started, ended, status, "ok")), data

    def _get(self, client: Any, kind: str, path: str) -> Outcome:
        started = time.monotonic()
        try:
            response = client.get(path)
        except Exception as error:  # a dropped connection, a timeout
            return self._record(Outcome(kind, started, time.monotonic(), 0, "unclean", repr(error)[:200]))
        return self._judge(kind, started, response)[0]

    def _graphql(
        self, client: Any, kind: str, query: str, variables: dict[str, Any], field: str
    ) -> tuple[Outcome, Any]:
        started = time.monotonic()
        try:
            response = client.post("/graphql/", json={"query": query, "variables": variables})
        except Exception as error:
            return self._record(Outcome(kind, started, time.monotonic(), 0, "unclean", repr(error)[:200])), None
        return self._judge(kind, started, response, field=field)

    def _visitor(self, number: int) -> None:
        import httpx

        rng = random.Random(number)
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stopping.is_set():
                self.running.wait()
                choice = rng.randrange(4)
                if choice == 0:
                    self._get(client, "page: catalogue", "/products/?q=ca+phe")
                elif choice == 1:
                    self._get(client, "page: provenance", f"/p/{rng.choice(self.slugs)}/")
                elif choice == 2:
                    self._get(client, "page: home", "/")
                else:
                    self._graphql(client, "api: products", PRODUCTS, {}, "products")
                time.sleep(rng.uniform(0.05, 0.25))

    def _buyer(self, number: int) -> None:
        import httpx

        rng = random.Random(1000 + number)
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stopping.is_set():
                self.running.wait()
                self._journey(client, rng)
                time.sleep(rng.uniform(0.05, 0.25))

    def _journey(self, client: Any, rng: random.Random) -> None:
        lines = [{"variantId": variant, "quantity": 1} for variant in rng.sample(self.variants, rng.randint(1, 2))]
        payload = {"channel": "default-channel", "email": f"b{rng.randrange(10**9)}@example.test", "lines": lines}
        outcome, created = self._graphql(client, "buy: checkoutCreate", CREATE, {"input": payload}, "checkoutCreate")
        if outcome.verdict != "ok":
            return
        checkout = created["checkout"]
        variables = {"id": checkout["id"], "method": rng.choice(checkout["availableCollectionPoints"])["id"]}
        outcome, _ = self._graphql(client, "buy: deliveryMethod", DELIVERY, variables, "checkoutDeliveryMethodUpdate")
        if outcome.verdict != "ok":
            return
        outcome, _ = self._graphql(client, "buy: cash", CASH, {"id": checkout["id"]}, "transactionInitialize")
        if outcome.verdict != "ok":
            return
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # a client retries a 503 (the answer says Retry-After)
            outcome, placed = self._graphql(
                client, "buy: checkoutComplete", COMPLETE, {"id": checkout["id"]}, "checkoutComplete"
            )
            if outcome.verdict == "ok":
                import base64

                with self.lock:
                    self.orders.append(base64.b64decode(placed["order"]["id"]).decode().split(":", 1)[1])
                return
            if outcome.verdict != "503":
                return
            time.sleep(0.5)


def tally(outcomes: list[Outcome]) -> dict[str, int]:
    counts = {"ok": 0, "503": 0, "unclean": 0}
    for outcome in outcomes:
        counts[outcome.verdict] += 1
    return counts


# The scenarios


def postgres_restart(args: argparse.Namespace, *, idle: bool = False) -> dict[str, Any]:
    """PostgreSQL stops and starts again under the light load (idle: while the clients pause, so every gunicorn
    worker still holds its connection from before when they come back: the stale-connection case)."""
    from bench.check_consistency import check_consistency, stock_baseline

    with ExitStack() as stack:
        shop = stack.enter_context(small_shop(stack, workers=args.workers, health_checks=not args.no_health_checks))
        cluster: OwnPostgres = shop["cluster"]
        from django.db import connection

        baseline = stock_baseline()
        connection.close()
        log(f"light load for {args.before} s, then PostgreSQL stops for {args.outage} s …")
        with LightLoad(shop["base"], variants=shop["variants"], slugs=shop["slugs"]) as load:
            time.sleep(args.before)
            if idle:
                load.running.clear()
                time.sleep(2.0)  # the requests under way end
            down = time.monotonic()
            cluster.stop("fast")
            stopped = time.monotonic()
            time.sleep(args.outage)
            cluster.start()
            up = time.monotonic()
            log(f"  PostgreSQL stopped in {stopped - down:.1f} s, back after {up - down:.1f} s; load goes on …")
            load.running.set()
            time.sleep(args.after)
        outcomes = sorted(load.outcomes, key=lambda o: o.started)
        before = [o for o in outcomes if o.ended < down]
        window = [o for o in outcomes if o.ended >= down and o.started <= up]
        after = [o for o in outcomes if o.started > up]
        first_ok = next((o.ended - up for o in after if o.verdict == "ok"), None)
        failed_after = [o for o in after if o.verdict != "ok"]
        last_failure = max((o.ended - up for o in failed_after), default=0.0)
        connection.close()
        problems = check_consistency(baseline=baseline, completed=load.orders)
        unclean = [o for o in outcomes if o.verdict == "unclean"]
        result = {
            "scenario": "postgres-restart-idle" if idle else "postgres-restart",
            "workers": args.workers,
            "health_checks": not args.no_health_checks,
            "outage_seconds": round(up - down, 2),
            "requests": len(outcomes),
            "before": tally(before),
            "during_outage": tally(window),
            "after_database_back": tally(after),
            "failed_after_database_back": len(failed_after),
            "first_success_after_database_back_s": None if first_ok is None else round(first_ok, 2),
            "service_back_after_database_s": round(max(last_failure, first_ok or 0.0), 2),
            "orders_completed": len(load.orders),
            "unclean": [vars(o) | {"started": round(o.started - down, 2)} for o in unclean[:20]],
            "consistency": problems,
            "load_average": os.getloadavg(),
        }
    missed = []
    if unclean:
        missed.append(f"{len(unclean)} unclean answers (500, traceback, dropped connection or GraphQL error)")
    if problems:
        missed.append(f"consistency: {len(problems)} problems (half-written or lost orders)")
    if first_ok is None or result["service_back_after_database_s"] > SERVICE_BACK_TARGET_SECONDS:
        missed.append(f"service back after {result['service_back_after_database_s']} s > {SERVICE_BACK_TARGET_SECONDS}")
    result["missed"] = missed
    return result


def payments_stripe_faults(args: argparse.Namespace) -> dict[str, Any]:
    """Stripe unreachable, lost webhooks and processes killed between the charge and the order: bench/faults_payments.py
    in its own process (its own database and localstripe), its figures from bench/out/payfaults-last.json."""
    figures_path = OUT_DIR / "payfaults-last.json"
    figures_path.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "faults_payments.py")], cwd=ROOT, capture_output=True, text=True
    )
    figures = json.loads(figures_path.read_text()) if figures_path.exists() else {}
    result: dict[str, Any] = {"scenario": "payments-stripe", **{k: v for k, v in figures.items() if k != "problems"}}
    missed = [f"lost: {figures.get('lost')}"] if figures.get("lost") else []
    if not figures:
        missed.append(f"bench/faults_payments.py failed ({done.returncode}): {done.stderr[-2000:]}")
    result["missed"] = missed
    return result


def redis_away_faults(args: argparse.Namespace) -> dict[str, Any]:
    """Redis (cache and broker) shut down under the load and started again, then the Celery worker stopped and
    started again: bench/faults_redis.py in its own process, its figures from bench/out/faults-redis-last.json."""
    figures_path = OUT_DIR / "faults-redis-last.json"
    figures_path.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "faults_redis.py"), "--workers", str(args.workers)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if figures_path.exists():
        return json.loads(figures_path.read_text())
    failure = f"bench/faults_redis.py failed ({done.returncode}): {done.stderr[-2000:]}"
    return {"scenario": "redis-away", "missed": [failure]}


SCENARIOS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "postgres-restart": postgres_restart,
    "redis-away": redis_away_faults,
    "postgres-restart-idle": lambda args: postgres_restart(args, idle=True),
    "payments-stripe": payments_stripe_faults,
}


def report(result: dict[str, Any]) -> None:
    print(f"\n{result['scenario']}:")
    for key, value in result.items():
        if key not in ("scenario", "unclean", "missed"):
            print(f"  {key}: {value}")
    for outcome in result.get("unclean", [])[:10]:
        print(f"  unclean: {outcome}")
    print(f"  targets: {'met' if not result['missed'] else 'MISSED: ' + '; '.join(result['missed'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append", help="default: every scenario")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--before", type=float, default=8.0, help="seconds of load before the fault")
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--after", type=float, default=12.0, help="seconds of load after the database is back")
    parser.add_argument(
        "--no-health-checks",
        action="store_true",
        help="serve with DATABASE_CONN_HEALTH_CHECKS=false, as before: a stale connection fails its first request",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR / "faults-last.json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    names = args.scenario or sorted(SCENARIOS)
    results = []
    if len(names) == 1:
        log(f"scenario {names[0]} …")
        result = SCENARIOS[names[0]](args)
        report(result)
        results.append(result)
    else:  # each scenario in a process of its own: Django is set up once per process, on that scenario's servers
        options = [f"--workers={args.workers}", f"--before={args.before}", f"--outage={args.outage}"]
        options += [f"--after={args.after}", *(["--no-health-checks"] if args.no_health_checks else [])]
        for name in names:
            out = OUT_DIR / f"faults-{name}.json"
            out.unlink(missing_ok=True)
            subprocess.run([sys.executable, __file__, "--scenario", name, "--out", str(out), *options], check=False)
            found = json.loads(out.read_text()) if out.exists() else [{"scenario": name, "missed": ["did not run"]}]
            results.extend(found)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    return 1 if any(result["missed"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
