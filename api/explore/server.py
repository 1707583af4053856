"""The explorer's HTTP server: the standard library's ThreadingHTTPServer, one page, JSON.

GET `/` is the page (explore/page.py); GET `/api/view` the current view; POST `/api/step`
(`{"index": n}`), `/api/back`, `/api/reset` (`{"initial": i}`), `/api/follow` (the loaded
counterexample's next step) and `/api/counterexample` (search one, load it) change the
session and answer with the new view.  A bad request is a 400 with `{"error": ...}`.
Bound to 127.0.0.1 unless the caller says otherwise: the explorer is a local tool.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from numaspec.explore.page import PAGE
from numaspec.explore.session import Session
from numaspec.model.findings import Finding

Finder = Callable[[], Finding | None]


class Explorer:
    """A session, its lock, and what each POST does to it."""

    def __init__(self, session: Session, find: Finder):
        self.session, self.find, self.lock = session, find, threading.Lock()

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            session = self.session
            if path == "/api/step":
                session.step(int(body.get("index", -1)))
            elif path == "/api/back":
                session.back()
            elif path == "/api/reset":
                session.reset(int(body.get("initial", 0)))
                session.plan = None
            elif path == "/api/follow":
                planned = session.view()["plan"]
                if planned is None or planned["next"] is None:
                    raise ValueError("not on the loaded counterexample")
                session.step(planned["next"])
            elif path == "/api/counterexample":
                finding = self.find()
                if finding is None:
                    raise ValueError("no counterexample: every property holds")
                session.load(finding)
            else:
                raise LookupError(path)
            return session.view()

    def view(self) -> dict[str, Any]:
        with self.lock:
            return self.session.view()


def make_server(explorer: Explorer, host: str, port: int) -> ThreadingHTTPServer:
    """A server for `explorer` (port 0: any free port; raises OSError if it cannot bind)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the explorer prints its address only

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path in ("/", "/index.html"):
                self._send(200, PAGE.encode(), "text/html; charset=utf-8")
            elif self.path == "/api/view":
                self._json(200, explorer.view())
            else:
                self._json(404, {"error": f"no page {self.path}"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
                self._json(200, explorer.post(self.path, body if isinstance(body, dict)
                                              else {}))
            except LookupError:
                self._json(404, {"error": f"no action {self.path}"})
            except (ValueError, TypeError) as err:
                self._json(400, {"error": str(err)})

        def _json(self, status: int, data: dict[str, Any]) -> None:
            self._send(status, json.dumps(data).encode(), "application/json")

        def _send(self, status: int, payload: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(payload)

    return ThreadingHTTPServer((host, port), Handler)
