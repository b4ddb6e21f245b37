"""A server on 127.0.0.1 that answers too slowly, byte by byte, for the fetch's deadline.

``page_server`` (``tests/support/webpages.py``) can only trickle a body, through
``http.server``; the faults here come before it (the status line, the headers, endless
interim responses, a TLS handshake), so the answer is written on a bare socket.
"""

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Stall:
    url: str
    hung_up: threading.Event = field(default_factory=threading.Event)  # the client closed


@contextlib.contextmanager
def stalling_server(chunks, delay, give_up=10.0, scheme="http"):
    """Accept one connection; send ``chunks`` (any iterable of bytes) one every ``delay``
    seconds until the client hangs up, the chunks run out or ``give_up`` seconds pass.

    Yields a ``Stall`` whose ``hung_up`` is set as soon as the client closes its end: a fetch
    that gave up must not leave the socket open.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    stall = Stall(f"{scheme}://127.0.0.1:{listener.getsockname()[1]}/x")
    thread = threading.Thread(
        target=_serve, args=(listener, stall, chunks, delay, give_up), daemon=True
    )
    thread.start()
    try:
        yield stall
    finally:
        thread.join(timeout=give_up + 5)
        listener.close()


def _serve(listener, stall, chunks, delay, give_up):
    listener.settimeout(give_up)
    try:
        connection, _ = listener.accept()
    except OSError:
        return
    ends = time.monotonic() + give_up
    with connection:
        # The request (or a TLS ClientHello) is not looked at: the answer is the same.
        connection.settimeout(give_up)
        try:
            connection.recv(65536)
            for chunk in chunks:
                if time.monotonic() > ends:
                    return
                connection.sendall(chunk)
                if _hung_up(connection, delay):
                    stall.hung_up.set()
                    return
            # Out of chunks: hold the connection until the client hangs up or time is up.
            if _hung_up(connection, max(ends - time.monotonic(), 0.01)):
                stall.hung_up.set()
        except OSError:  # a reset: the client closed with our bytes unread
            stall.hung_up.set()


def _hung_up(connection, seconds):
    """Wait ``seconds`` for the client to close its end; whether it did."""
    connection.settimeout(seconds)
    try:
        while data := connection.recv(65536):
            del data  # more of the request; the client is still there
        return True
    except TimeoutError:
        return False
