"""A loopback TCP forwarder between a Bolt client and a real Neo4j that a test can cut.

``TcpProxy(port)`` listens on a free loopback port and forwards every connection to
``127.0.0.1:port`` with two threads per connection. The test then drops connections the way a
network does:

- ``up_rate`` (bytes per second, None: unlimited) slows what clients send, to make a load last;
- :meth:`TcpProxy.cut` closes both sockets of every open connection, at once;
- :meth:`TcpProxy.cut_after_upload` does so once the clients have sent a number of bytes;
- :meth:`TcpProxy.cut_at_commit` does so at the next Bolt ``COMMIT``: either before it reaches the
  server (``forward=False``: the server never commits) or after it reached the server but before
  the server's answer reaches the client (``forward=True``: the server commits, the client cannot
  know).

New connections are still accepted after a cut (a client can reconnect), until :meth:`close`,
except for the ``refuse_after`` seconds that :meth:`TcpProxy.cut_at_commit` can ask for.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

# A Bolt COMMIT message: chunk of 2 bytes (struct marker B0 = no fields, signature 0x12), then the
# end-of-message marker 00 00. The driver sends it on its own and then waits for the answer.
BOLT_COMMIT = b"\x00\x02\xb0\x12\x00\x00"


class TcpProxy:
    def __init__(
        self, target_port: int, target_host: str = "127.0.0.1", up_rate: float | None = None
    ) -> None:
        self.target = (target_host, target_port)
        self.up_rate = up_rate
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = int(self.listener.getsockname()[1])
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.bytes_up = 0  # client -> server, over all connections
        self.cuts = 0
        self.commits_seen = 0
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._cut_after: int | None = None
        self._commit_mode: str | None = None  # None, "drop" or "forward"
        self._refuse_after_cut = 0.0
        self._refuse_until = 0.0  # until then, new connections are closed at once
        self.refused = 0
        self._commit_forwarded: set[int] = set()  # ids of client sockets whose COMMIT went on
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    # -- the faults ------------------------------------------------------------------------------

    def cut(self) -> None:
        """Close both ends of every open connection (the client sees the connection drop)."""
        with self._lock:
            self.cuts += 1
            self._refuse_until = time.monotonic() + self._refuse_after_cut
            self._refuse_after_cut = 0.0
        self._drop_all()

    def _drop_all(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                _close(sock)

    def cut_after_upload(self, nbytes: int) -> None:
        """Cut every connection once clients have sent ``nbytes`` more bytes."""
        with self._lock:
            self._cut_after = self.bytes_up + nbytes

    def cut_at_commit(self, forward: bool, refuse_after: float = 0.0) -> None:
        """Cut at the next COMMIT: before it reaches the server, or after it did (see module);
        then refuse new connections for ``refuse_after`` seconds (the server seems gone)."""
        with self._lock:
            self._commit_mode = "forward" if forward else "drop"
            self._refuse_after_cut = refuse_after

    def close(self) -> None:
        self._closed = True
        _close(self.listener)
        self._drop_all()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- forwarding ------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if time.monotonic() < self._refuse_until:
                self.refused += 1
                _close(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=10)
                server.settimeout(None)
            except OSError:
                _close(client)  # the server is down: the client sees the connection refused/closed
                continue
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()
            threading.Thread(target=self._down, args=(client, server), daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket) -> None:
        """Client -> server, watching for the faults that depend on what the client sends."""
        while True:
            data = _recv(client)
            if not data:
                break
            cut_now = False
            with self._lock:
                self.bytes_up += len(data)
                if self._cut_after is not None and self.bytes_up >= self._cut_after:
                    self._cut_after = None
                    cut_now = True
                if data.endswith(BOLT_COMMIT):
                    self.commits_seen += 1
                    if self._commit_mode == "drop":
                        self._commit_mode = None
                        cut_now = True
                    elif self._commit_mode == "forward":
                        self._commit_mode = None
                        self._commit_forwarded.add(id(client))
            if cut_now:
                self.cut()
                return
            if not _send(server, data):
                break
            if self.up_rate:
                time.sleep(len(data) / self.up_rate)
        self._end(client, server)

    def _down(self, client: socket.socket, server: socket.socket) -> None:
        """Server -> client; after a forwarded COMMIT, the answer is swallowed and both cut."""
        while True:
            data = _recv(server)
            if not data:
                break
            with self._lock:
                swallow = id(client) in self._commit_forwarded
                self._commit_forwarded.discard(id(client))
            if swallow:
                self.cut()
                return
            if not _send(client, data):
                break
        self._end(client, server)

    def _end(self, client: socket.socket, server: socket.socket) -> None:
        with self._lock:
            if (client, server) in self._pairs:
                self._pairs.remove((client, server))
        _close(client)
        _close(server)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _send(sock: socket.socket, data: bytes) -> bool:
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def _close(sock: Any) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
