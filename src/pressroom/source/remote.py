"""Remote images, fetched once per build with ``--allow-remote``: http(s)
only, redirects only to http(s), an image content type, at most
:data:`MAX_REMOTE_BYTES`, and one deadline of :data:`TIMEOUT_SECONDS` for the
whole fetch however slowly the server answers."""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from ..version import __version__

__all__ = ["MAX_REMOTE_BYTES", "TIMEOUT_SECONDS", "Unusable", "fetch"]

# Limits of a remote image: it is fetched while the build waits.
MAX_REMOTE_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
_CHUNK = 64 * 1024


class Unusable(Exception):
    """An image no product can use: ``code`` (PR119, PR121, PR122) and ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) address: never to ``file:``,
    ``ftp:`` or ``data:``, which would read the building machine."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise Unusable("PR121", f"the server redirected to '{newurl}'; only http(s) redirects are followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Deadline:
    """One deadline for a whole fetch: connecting, every redirect, the
    headers and the body.

    A socket timeout bounds each read, not their sum: a server that sends a
    byte every few seconds never trips it, and ``read(n)`` waits for all
    ``n`` bytes. So every socket the fetch opens is recorded, and when the
    time is up a timer thread shuts them down, which ends any read blocked
    on them at once (POSIX shutdown(2)); the fetch then reports the timeout.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # The plain socket's shutdown, also for a TLS socket: SSLSocket's own
        # would drop its TLS state under the thread reading from it.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the time is up (at once if it is)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired.is_set():
                self._shut(sock)

    def handlers(self) -> list[urllib.request.BaseHandler]:
        """urllib handlers whose connections :meth:`watch` their sockets."""
        deadline = self

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)

        class SecureConnection(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)

        class Http(urllib.request.HTTPHandler):
            def http_open(self, req: Any) -> Any:
                return self.do_open(Connection, req)

        class Https(urllib.request.HTTPSHandler):
            def https_open(self, req: Any) -> Any:
                return self.do_open(SecureConnection, req, context=ssl.create_default_context())

        return [Http(), Https()]


def _redirect_problem(exc: urllib.error.HTTPError) -> Unusable:
    """What a 3xx answer that urllib did not follow means."""
    target = exc.headers.get("Location", "") if exc.headers else ""
    if str(exc.msg).startswith(urllib.request.HTTPRedirectHandler.inf_msg):
        # urllib gives up on the same address 4 times or on 10 redirects.
        limit = urllib.request.HTTPRedirectHandler.max_redirections
        return Unusable(
            "PR121", f"the server redirected in a loop or more than {limit} times (the last time to '{target}')"
        )
    if target and urlsplit(target).scheme.lower() not in ("", "http", "https"):
        # urllib itself refuses a redirect to file: or data: (as HTTPError).
        return Unusable("PR121", f"the server redirected to '{target}'; only http(s) redirects are followed")
    where = f" to '{target}'" if target else " without saying where to"
    return Unusable("PR121", f"the server answered {exc.code} {exc.reason}{where}, which is not followed")


def fetch(url: str, timeout: float | None = None) -> bytes:
    """The bytes of the image at ``url``: http(s) only, an ``image/*``
    content type, at most :data:`MAX_REMOTE_BYTES`, within ``timeout``
    seconds (:data:`TIMEOUT_SECONDS`) in all, however slowly the server
    answers. Raises :class:`Unusable` (PR121 when it cannot be fetched,
    PR122 when the answer breaks a limit)."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise Unusable("PR121", "only http(s) images are fetched")
    seconds = TIMEOUT_SECONDS if timeout is None else timeout
    request = urllib.request.Request(url, headers={"User-Agent": f"pressroom/{__version__}", "Accept": "image/*"})
    limit_mb = MAX_REMOTE_BYTES // (1024 * 1024)
    with _Deadline(seconds) as deadline:
        opener = urllib.request.build_opener(_HttpOnlyRedirects, *deadline.handlers())
        try:
            with opener.open(request, timeout=seconds) as response:
                content_type = response.headers.get_content_type()
                if not content_type.startswith("image/"):
                    raise Unusable("PR122", f"the server sent the content type '{content_type}', not an image type")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > MAX_REMOTE_BYTES:
                    raise Unusable("PR122", f"it is {int(declared)} bytes, more than the {limit_mb} MB limit")
                chunks: list[bytes] = []
                size = 0
                while chunk := response.read(_CHUNK):
                    size += len(chunk)
                    if size > MAX_REMOTE_BYTES:
                        raise Unusable("PR122", f"it is more than the {limit_mb} MB limit")
                    chunks.append(chunk)
                if deadline.expired.is_set():
                    raise TimeoutError  # the answer was cut off when the time was up
                return b"".join(chunks)
        except urllib.error.HTTPError as exc:
            if deadline.expired.is_set():
                raise Unusable("PR121", f"it timed out after {seconds:g} s") from exc
            if 300 <= exc.code < 400:
                raise _redirect_problem(exc) from exc
            raise Unusable("PR121", f"the server answered {exc.code} {exc.reason}") from exc
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            if deadline.expired.is_set() or isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
                raise Unusable("PR121", f"it timed out after {seconds:g} s") from exc
            raise Unusable("PR121", f"it cannot be fetched ({reason})") from exc
