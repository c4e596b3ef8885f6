"""A webhook subscriber on 127.0.0.1 that verifies our signatures like a real one.

Shared by the webhook delivery tests and the chat-alert tests (Slack/Mattermost-like incoming
webhooks): each records what it received and answers with scripted statuses.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from claims.services import webhook_http


class SignedReceiver:
    """`requests`: one dict per POST (headers, body, whether the signature was valid).

    Answers the next of `statuses` (the last one repeats); with `reject_invalid`, a request with
    a bad signature gets 401 instead, as a subscriber checking signatures would answer.
    """

    def __init__(
        self, *, path: str = "/hook", statuses: Iterable[int] = (200,), reject_invalid=True
    ):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.secret = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                valid = webhook_http.webhook_signature_valid(
                    secret=receiver.secret,
                    timestamp=self.headers[webhook_http.TIMESTAMP_HEADER],
                    body=body,
                    signature=self.headers[webhook_http.SIGNATURE_HEADER],
                )
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": json.loads(body), "valid": valid}
                )
                statuses = receiver.statuses
                status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
                self.send_response(401 if reject_invalid and not valid else status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
