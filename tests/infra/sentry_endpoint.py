"""An HTTP endpoint standing in for Sentry: it accepts what sentry-sdk posts to a DSN's
envelope URL and keeps each envelope's items, decoded, for a test to read."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_envelope(raw):
    """An envelope: a header line, then items, each a header line and its payload."""
    header_line, _, rest = raw.partition(b"\n")
    items = []
    while rest.strip():
        item_header_line, _, rest = rest.partition(b"\n")
        item_header = json.loads(item_header_line)
        if "length" in item_header:
            payload, rest = rest[: item_header["length"]], rest[item_header["length"] + 1 :]
        else:
            payload, _, rest = rest.partition(b"\n")
        try:
            payload = json.loads(payload)
        except ValueError:
            payload = payload.decode("utf-8", "replace")
        items.append((item_header, payload))
    return {
        "header": json.loads(header_line),
        "items": items,
        "raw": raw.decode("utf-8", "replace"),
    }


class SentryEndpoint:
    def __init__(self):
        self.envelopes = []
        self._server = None

    @property
    def dsn(self):
        host, port = self._server.server_address
        return f"http://public-key@{host}:{port}/1"

    def events(self):
        """Every error event received so far (items of type "event")."""
        return [p for e in self.envelopes for h, p in e["items"] if h.get("type") == "event"]

    def clear(self):
        self.envelopes.clear()

    def start(self):
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                if self.path.endswith("/envelope/"):
                    endpoint.envelopes.append(parse_envelope(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
