"""localstripe (PyPI: a fake, stateful Stripe server) as the Stripe of the tests and the demo.

    python -m payments.stripe.localstripe_server --port 8420     # then STRIPE_API_BASE=http://127.0.0.1:8420

Stripe's servers are out of reach here, so tests and the demo talk to localstripe instead, at the network edge:
payments/stripe/client.py sends exactly what it would send to api.stripe.com. localstripe 1.15 differs from
Stripe in a few ways that matter to us; the ones that would make our correct requests fail are bridged by a thin
HTTP shim in front of it (this module), so the workarounds never leak into client.py:

- Idempotency-Key is ignored: the same key creates a second object. The shim replays the first answer for a
  repeated key with the same parameters and answers 400 idempotency_error for different ones, as Stripe does.
- receipt_email on a PaymentIntent is refused (400 "Unexpected receipt_email"). The shim keeps it aside and puts
  it back into the intents it returns.
- POST /v1/payment_intents/{id}/confirm with payment_method answers 500 "Not implemented". The shim first sets
  the payment method on the intent (POST /v1/payment_intents/{id}, which Stripe accepts too) and then confirms.
- PaymentIntents have no amount_received. The shim adds it: the amount once succeeded, else 0.

Quirks left alone, because nothing of ours depends on them (tests must not either):

- Declines: 4000000000000002 (pm_card_visa_chargeDeclined) is only refused when attached to a customer; a
  PaymentIntent charges it successfully. Use 4000000000000341 (pm_card_chargeCustomerFail) for a declined
  charge: 402 card_declined, no decline_code. Test payment methods pm_card_visa, pm_card_visa_chargeDeclined and
  pm_card_chargeCustomerFail exist, and POST /v1/payment_methods takes raw card numbers.
- Refunds on a payment intent work, full (no amount) and partial, but nothing stops refunding more than was paid.
- latest_charge on an intent is the whole charge, not its id.
- Any currency is accepted, "vnd" included, and amounts are stored as sent (150000 stays 150000).
- Webhooks are signed the Stripe way: header Stripe-Signature "t=<event.created>,v1=<hex HMAC-SHA256 of
  '<t>.<body>' under the secret>", about a second after the event. They go to every URL registered with
  POST /_config/webhooks/<name> {url, secret, events} (register_webhook below); there is no way to unregister.
  Delivery is tried once: no retries.
- Any key starting with sk_ is accepted. The state is pickled to /tmp/localstripe.pickle after every change (a
  fixed path); we start it with --from-scratch so a run never reads another run's file.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

START_TIMEOUT_SECONDS = 15.0
UPSTREAM_TIMEOUT_SECONDS = 30.0

PAYMENT_INTENT_PATH = re.compile(r"^/v1/payment_intents(?:/(?P<id>pi_\w+))?$")
CONFIRM_PATH = re.compile(r"^/v1/payment_intents/(?P<id>pi_\w+)/confirm$")
FORM = "application/x-www-form-urlencoded"


def register_webhook(
    base_url: str, *, url: str, secret: str, events: list[str] | None = None, name: str = "marketplace"
) -> None:
    """Ask localstripe at base_url to POST events to `url`, signed with `secret` (all events when events is None).

    Registering the same name again replaces that webhook.
    """
    body: dict[str, Any] = {"url": url, "secret": secret}
    if events is not None:
        body["events"] = list(events)
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/_config/webhooks/{name}",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=UPSTREAM_TIMEOUT_SECONDS) as response:
        response.read()


class LocalStripe:
    """localstripe on a private port, the shim on `port` (0 = any free one); base_url is what to call."""

    def __init__(self, *, port: int = 0, host: str = "127.0.0.1", log: IO[bytes] | None = None) -> None:
        executable = Path(sys.executable).with_name("localstripe")
        upstream_port = free_port()
        self.upstream_url = f"http://127.0.0.1:{upstream_port}"
        self.process = subprocess.Popen(
            [str(executable), "--port", str(upstream_port), "--from-scratch"],
            stdin=subprocess.DEVNULL,
            # localstripe logs every request; a pipe nobody reads would fill up and stall it.
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        )
        try:
            self._wait_until_it_answers()
            self.shim = _ShimServer((host, port), _ShimHandler, upstream_url=self.upstream_url)
        except BaseException:
            self._stop_process()
            raise
        self.base_url = f"http://{host}:{self.shim.server_address[1]}"
        self._thread = threading.Thread(target=self.shim.serve_forever, name="localstripe-shim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shim.shutdown()
        self.shim.server_close()
        self._stop_process()

    def __enter__(self) -> LocalStripe:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"localstripe exited with status {self.process.returncode} at start")
            try:
                urllib.request.urlopen(f"{self.upstream_url}/v1/balance", timeout=1).close()
                return
            except urllib.error.HTTPError:
                return  # 401 without a key: it is up
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"localstripe did not answer on {self.upstream_url}") from None
                time.sleep(0.1)

    def _stop_process(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the shim ---

Response = tuple[int, bytes]


class _ShimServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *, upstream_url: str) -> None:
        self.upstream_url = upstream_url
        self.idempotency_lock = threading.Lock()
        # key -> (what was asked, what was answered); Stripe keeps them 24 hours, we keep them for the run.
        self.replays: dict[str, tuple[tuple[str, str, tuple], Response]] = {}
        self.receipt_emails: dict[str, str] = {}
        super().__init__(address, handler)


class _ShimHandler(BaseHTTPRequestHandler):
    server: _ShimServer

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:  # CORS preflight of the fake Stripe.js in a page
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # localstripe logs the requests already

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        key = self.headers.get("Idempotency-Key") if self.command == "POST" else None
        if key:
            status, payload, replayed = self._idempotent(key, body)
        else:
            (status, payload), replayed = self._forward(body), False
        self.send_response(status)
        # localstripe's own type (its fake Stripe.js is JavaScript) and CORS headers, so pages can use it.
        passthrough = getattr(self, "_passthrough", {})
        self.send_header("Content-Type", passthrough.pop("Content-Type", "application/json"))
        for name, value in passthrough.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if key:
            self.send_header("Idempotency-Key", key)
        if replayed:
            self.send_header("Idempotent-Replayed", "true")
        self.end_headers()
        self.wfile.write(payload)

    def _idempotent(self, key: str, body: bytes) -> tuple[int, bytes, bool]:
        asked = (self.command, self.path, tuple(sorted(parse_qsl(body.decode("utf-8"), keep_blank_values=True))))
        with self.server.idempotency_lock:
            if key in self.server.replays:
                first_asked, (status, payload) = self.server.replays[key]
                if first_asked != asked:
                    return (
                        400,
                        _error(
                            "idempotency_error",
                            "Keys for idempotent requests can only be used with the same parameters they were "
                            f"first used with. Try using a key other than '{key}' if you meant to execute a "
                            "different request.",
                        ),
                        False,
                    )
                return status, payload, True
            status, payload = self._forward(body)
            # Like Stripe: a request refused before it ran (bad parameters, bad key) is not remembered.
            if status < 400 or status in (402, 500):
                self.server.replays[key] = (asked, (status, payload))
            return status, payload, False

    def _forward(self, body: bytes) -> Response:
        path = urlsplit(self.path).path
        is_form = (self.headers.get("Content-Type") or "").startswith(FORM)
        fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True) if is_form else []
        receipt_email = None
        intent_id = None

        if self.command == "POST" and is_form and (match := PAYMENT_INTENT_PATH.match(path)):
            intent_id = match["id"]
            receipt_email = next((value for name, value in fields if name == "receipt_email"), None)
            fields = [(name, value) for name, value in fields if name != "receipt_email"]
            body = urlencode(fields).encode("utf-8")

        if self.command == "POST" and is_form and (match := CONFIRM_PATH.match(path)):
            payment_method = [(name, value) for name, value in fields if name == "payment_method"]
            if payment_method:
                status, payload = self._upstream(
                    "POST", f"/v1/payment_intents/{match['id']}", urlencode(payment_method)
                )
                if status >= 400:
                    return status, payload
                fields = [(name, value) for name, value in fields if name != "payment_method"]
                body = urlencode(fields).encode("utf-8")

        status, payload = self._upstream(self.command, self.path, body.decode("utf-8") if body else None)
        return status, self._complete(payload, receipt_email=receipt_email, intent_id=intent_id)

    def _upstream(self, method: str, path: str, body: str | None) -> Response:
        headers = {"Content-Type": self.headers.get("Content-Type") or FORM}
        for name in ("Authorization", "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"):
            if self.headers.get(name):
                headers[name] = self.headers[name]
        request = urllib.request.Request(
            self.server.upstream_url + path,
            data=body.encode("utf-8") if body is not None else None,
            headers=headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=UPSTREAM_TIMEOUT_SECONDS) as response:
                self._keep_headers(response.headers)
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            self._keep_headers(exc.headers)
            return exc.code, exc.read()

    def _keep_headers(self, headers: Any) -> None:
        self._passthrough = {
            name.title(): value
            for name, value in headers.items()
            if name.lower() == "content-type" or name.lower().startswith("access-control-")
        }

    def _complete(self, payload: bytes, *, receipt_email: str | None, intent_id: str | None) -> bytes:
        """Add what localstripe leaves out of payment intents (amount_received, receipt_email)."""
        try:
            document = json.loads(payload)
        except ValueError:
            return payload
        if receipt_email is not None:
            created_id = document.get("id") if isinstance(document, dict) else None
            target = intent_id or created_id
            if target:
                self.server.receipt_emails[target] = receipt_email
        _walk(document, self._complete_intent)
        return json.dumps(document).encode("utf-8")

    def _complete_intent(self, obj: dict[str, Any]) -> None:
        if obj.get("object") != "payment_intent":
            return
        obj.setdefault("amount_received", obj.get("amount", 0) if obj.get("status") == "succeeded" else 0)
        obj.setdefault("receipt_email", self.server.receipt_emails.get(obj.get("id", "")))


def _walk(value: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(value, dict):
        visit(value)
        for item in value.values():
            _walk(item, visit)
    elif isinstance(value, list):
        for item in value:
            _walk(item, visit)


def _error(error_type: str, message: str) -> bytes:
    return json.dumps({"error": {"type": error_type, "message": message}}).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="localstripe behind the shim; STRIPE_API_BASE=http://HOST:PORT")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook-url", help="register this URL for all events (e.g. the marketplace's endpoint)")
    parser.add_argument("--webhook-secret", help="the secret to sign them with (STRIPE_WEBHOOK_SECRET)")
    args = parser.parse_args()
    # Stopped with SIGTERM (a process manager) as with Ctrl-C: leave the `with` so localstripe is stopped too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    with LocalStripe(port=args.port, host=args.host, log=sys.stderr.buffer) as server:
        if args.webhook_url:
            if not args.webhook_secret:
                parser.error("--webhook-url needs --webhook-secret")
            register_webhook(server.base_url, url=args.webhook_url, secret=args.webhook_secret)
        print(f"listening on {server.base_url}", flush=True)
        try:
            while server.process.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
