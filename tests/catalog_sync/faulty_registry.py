"""A fault-injecting proxy in front of registry_sim.py: the registry's network edge, misbehaving on cue.

Each request takes the next behaviour from a script; "pass" forwards it to the real stand-in.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultyRegistry:
    def __init__(self, upstream: str, script: list[str], *, then: str = "pass") -> None:
        self.upstream = upstream.rstrip("/")
        self.script = list(script)
        self.then = then
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                with proxy._lock:
                    behaviour = proxy.script.pop(0) if proxy.script else proxy.then
                    proxy.requests.append((self.path, behaviour))
                proxy.behave(self, behaviour)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def behave(self, handler: BaseHTTPRequestHandler, behaviour: str) -> None:
        if behaviour == "pass":
            request = urllib.request.Request(self.upstream + handler.path, headers=dict(handler.headers))
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status, headers, body = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                status, headers, body = error.code, error.headers, error.read()
            return self._send(handler, status, body, headers.get("Content-Type", "application/json"))
        if behaviour == "503":
            return self._send(
                handler, 503, b'{"error": {"code": "unavailable", "message": "down"}}', extra={"Retry-After": "1"}
            )
        if behaviour == "429":
            return self._send(
                handler, 429, b'{"error": {"code": "rate_limited", "message": "slow down"}}', extra={"Retry-After": "2"}
            )
        if behaviour == "500":
            return self._send(handler, 500, b"Internal Server Error", "text/plain")
        if behaviour == "broken_json":
            return self._send(handler, 200, b'{"data": [{"certificate_id": "DN-', "application/json")
        if behaviour == "hang":
            time.sleep(1.5)
            return self._send(handler, 503, b"{}")
        if behaviour == "close":
            handler.close_connection = True
            handler.connection.close()
            return None
        raise ValueError(f"unknown behaviour {behaviour}")

    @staticmethod
    def _send(handler, status, body, content_type="application/json", extra=None):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
