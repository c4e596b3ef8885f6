"""A small threaded HTTP(S) server on 127.0.0.1 for tests that fetch pages.

Copy-friendly and free of pytest and Django, so integration tests can reuse it::

    from tests.ingest.server import LocalServer, PAGES_DIR

    with LocalServer() as server:
        server.add("/a", body=(PAGES_DIR / "article_de.html").read_bytes())
        server.add_redirect("/old", "/a")
        url = server.url("/a")          # http://127.0.0.1:<random port>/a
        ...
        server.requests                 # what the server saw (path, headers)

Fetch it with ``FetchPolicy(allowed_private_networks=("127.0.0.1/32",))``; the default policy
refuses 127.0.0.1. Routes can delay, trickle, lie about Content-Length, use chunked encoding,
gzip the body, answer conditional GETs with 304, or stream a generated body of any size.
"""

from __future__ import annotations

import contextlib
import gzip
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"

AUTO = "auto"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    trickle: float | None = None  # seconds between body chunks
    chunk_size: int = 1024
    # AUTO: the real length; None: no header (body ends when the connection closes); int: a lie
    content_length: int | str | None = AUTO
    chunked: bool = False  # Transfer-Encoding: chunked (content_length ignored)
    gzip: bool = False  # Content-Encoding: gzip
    generated_size: int | None = None  # stream this many b"x" bytes instead of ``body``
    etag: str | None = None  # answer If-None-Match with 304 when it matches
    last_modified: str | None = None  # answer If-Modified-Since with 304 when equal
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None  # full control


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    server_name: str | None  # TLS SNI, None for plain HTTP


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        owner = self.server.owner
        sni = getattr(self.connection, "_sni_name", None)
        owner._record(
            SeenRequest("GET", self.path, {k.lower(): v for k, v in self.headers.items()}, sni)
        )
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            route = Route(status=404, body=b"<html><body><h1>Not found</h1></body></html>")
        # OSError: the client gave up (size cap, timeout), which these tests provoke on purpose.
        with contextlib.suppress(OSError):
            self._serve(route)
        self.close_connection = True

    def _serve(self, route: Route) -> None:
        if route.delay:
            time.sleep(route.delay)
        if route.handler is not None:
            route.handler(self)
            return
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self._not_modified(route)
            return
        if route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified:
            self._not_modified(route)
            return
        body = route.body
        if route.gzip:
            body = gzip.compress(body)
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif route.content_length == AUTO:
            size = route.generated_size if route.generated_size is not None else len(body)
            self.send_header("Content-Length", str(size))
        elif route.content_length is not None:
            self.send_header("Content-Length", str(route.content_length))
        self.send_header("Connection", "close")
        self.end_headers()
        for chunk in self._chunks(route, body):
            if route.chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:
                self.wfile.write(chunk)
            self.wfile.flush()
            if route.trickle:
                time.sleep(route.trickle)
        if route.chunked:
            self.wfile.write(b"0\r\n\r\n")

    @staticmethod
    def _chunks(route: Route, body: bytes):  # type: ignore[no-untyped-def]
        if route.generated_size is not None:
            left = route.generated_size
            block = b"x" * route.chunk_size
            while left > 0:
                piece = block[: min(left, route.chunk_size)]
                left -= len(piece)
                yield piece
            return
        for start in range(0, len(body), route.chunk_size):
            yield body[start : start + route.chunk_size]

    def _not_modified(self, route: Route) -> None:
        self.send_response(304)
        if route.etag:
            self.send_header("ETag", route.etag)
        self.send_header("Connection", "close")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up mid-response are part of the tests, not errors


class LocalServer:
    """Threaded HTTP server on 127.0.0.1 with a random port; ``tls`` makes it HTTPS."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._tls = tls
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- routes -------------------------------------------------------------------------------
    def add(self, path: str, **route: Any) -> str:
        """Serve ``path`` as described by Route fields; returns the full URL."""
        self.routes[path] = Route(**route)
        return self.url(path)

    def add_page(self, path: str, page: str, **route: Any) -> str:
        """Serve a file from tests/pages."""
        return self.add(path, body=(PAGES_DIR / page).read_bytes(), **route)

    def add_redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.add(path, status=status, headers={"Location": location}, content_type=None)

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        scheme = "https" if self._tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def url(self, path: str, host: str | None = None) -> str:
        """Full URL for ``path``; ``host`` swaps 127.0.0.1 for a name (resolve it in the test)."""
        scheme = "https" if self._tls else "http"
        return f"{scheme}://{host or '127.0.0.1'}:{self.port}{path}"

    def start(self) -> LocalServer:
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        if self._tls is not None:
            context = self._tls

            def remember_sni(sslobj: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
                # Exposed to the handler so tests can assert which SNI the client sent.
                sslobj._sni_name = name  # type: ignore[union-attr]

            context.sni_callback = remember_sni  # type: ignore[assignment]
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _record(self, request: SeenRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def seen(self, path: str) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]
