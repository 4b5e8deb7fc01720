"""Stripe in the tests is localstripe, a real HTTP server (see payments/stripe/localstripe_server.py)."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from payments.stripe.localstripe_server import LocalStripe


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory) -> Iterator[str]:
    """One localstripe for the session (its log in the session's tmp folder); yields its base URL."""
    log_path = tmp_path_factory.mktemp("localstripe") / "localstripe.log"
    with log_path.open("wb") as log, LocalStripe(log=log) as server:
        yield server.base_url


@pytest.fixture
def stripe_settings(localstripe, settings):
    """Point payments.stripe at localstripe (the keys come from config/settings/test.py)."""
    settings.STRIPE_API_BASE = localstripe
    return settings


@dataclass(frozen=True)
class Delivery:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


class WebhookInbox:
    """A tiny HTTP server that answers 200 to every POST and keeps the raw deliveries, as our endpoint would."""

    def __init__(self) -> None:
        self.deliveries: queue.Queue[Delivery] = queue.Queue()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                inbox.deliveries.put(Delivery(headers=dict(self.headers.items()), body=body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/stripe/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, *, event_type: str, object_id: str, timeout: float = 10.0) -> Delivery:
        """The first delivery of `event_type` about `object_id`; localstripe sends about a second after the fact."""
        seen = []
        while True:
            try:
                delivery = self.deliveries.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {event_type} for {object_id} within {timeout}s; got {seen}") from None
            event = delivery.event
            if event["type"] == event_type and event["data"]["object"]["id"] == object_id:
                return delivery
            seen.append(event["type"])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_inbox() -> Iterator[WebhookInbox]:
    inbox = WebhookInbox()
    yield inbox
    inbox.stop()
