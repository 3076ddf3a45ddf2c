"""``manage.py klarna_emulator --port 8089``: serve only the Klarna emulator over HTTP.

Point the shop at it with ``KLARNA_API_URL=http://127.0.0.1:8089`` (and ``KLARNA_JS_SDK_URL=
http://127.0.0.1:8089/kp/lib/v1/api.js``). A background ticker fires due notifications every
``--tick`` seconds. Uses the shop's database, so the shop and the emulator may share state.
A pool of threads serves requests; under load, serve ``klarna_emulator.wsgi`` with
gunicorn instead (see that module).
"""

import queue
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections

from klarna_emulator.wsgi import EmulatorWSGIHandler

__all__ = ["Command", "EmulatorWSGIHandler"]

# Requests served at once. The threads are kept, so each keeps its database connection
# (CONN_MAX_AGE) instead of opening one per request; a request beyond this many waits.
THREADS = 16


class _ThreadingWSGIServer(WSGIServer):
    """Requests served by a fixed set of daemon threads (exit does not wait for them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._requests = queue.SimpleQueue()
        for number in range(THREADS):
            threading.Thread(target=self._serve, name=f"klarna-emulator-{number}", daemon=True).start()

    def process_request(self, request, client_address):
        self._requests.put((request, client_address))

    def server_close(self):
        super().server_close()
        for _ in range(THREADS):
            self._requests.put(None)

    def _serve(self):
        try:
            while (item := self._requests.get()) is not None:
                self._handle(*item)
        finally:
            connections.close_all()  # this thread's own database connection

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - a broken client connection must not stop the server
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class _QuietHandler(WSGIRequestHandler):
    # A client that connects and sends nothing gives its pool thread back after this long.
    timeout = 60

    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        import sys

        sys.stderr.write("[klarna-emulator] " + (format % args) + "\n")


class Command(BaseCommand):
    help = "Serve the Klarna emulator (Payments v1, Order Management v1, JS SDK) over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8089)
        parser.add_argument(
            "--tick", type=float, default=5.0, help="seconds between notification runs (0: off)"
        )

    def handle(self, *args, host, port, tick, **options):
        stop = threading.Event()
        if tick > 0:
            threading.Thread(target=self._ticker, args=(stop, tick), daemon=True).start()
        server = make_server(host, port, EmulatorWSGIHandler(), _ThreadingWSGIServer, _QuietHandler)
        self.stdout.write(f"Klarna emulator on http://{host}:{server.server_port}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()

    @staticmethod
    def _ticker(stop: threading.Event, every: float):
        from klarna_emulator.callbacks import fire_due

        while not stop.wait(every):
            try:
                fire_due()
            finally:
                close_old_connections()
