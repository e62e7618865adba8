"""A worker process that lays out one body part of a book.

Run as ``python -m pressroom.engine.parts.worker PARENT_PID`` by
:mod:`pressroom.engine.parts.layout`, which speaks to it over stdin and
stdout in length-prefixed pickles (both ends are this package):

1. in: ``(product, part, name)``;
2. out: ``("paginated", page_count, {anchor: page})``; in: the folio offset;
3. out: ``("done", PdfFile)`` or ``("error", PressroomError)``.

The parent stops the worker (SIGKILL) when it no longer needs it, and the
worker ends by itself when the parent dies: Linux sends it SIGTERM, and
elsewhere its next read finds the pipe closed. SIGINT and SIGHUP, which
reach a whole process group from a terminal, are left to the parent.
"""

from __future__ import annotations

import pickle
import struct
import sys
from typing import IO, Any

from ...errors import PressroomError

__all__ = ["main", "receive", "send"]


def send(stream: IO[bytes], message: Any) -> None:
    """Write one message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """Read one message; EOFError if the other end has gone."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the other end closed the pipe")
    (size,) = struct.unpack(">Q", header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other end closed the pipe")
    # Both ends are this package, over a private pipe: unpickling is safe here.
    return pickle.loads(data)


def main() -> int:
    """Serve one part, then exit."""
    from ...processes import die_with_parent, ignore_stop_requests

    if len(sys.argv) > 1:
        die_with_parent(int(sys.argv[1]))
    ignore_stop_requests()
    from .part import PartHooks, lay_out_part

    channel_in, channel_out = sys.stdin.buffer, sys.stdout.buffer
    # Anything printed by accident must not corrupt the channel.
    sys.stdout = sys.stderr
    product, part, name = receive(channel_in)

    def offset(pages: int, anchors: dict[str, int]) -> int:
        send(channel_out, ("paginated", pages, anchors))
        number: int = receive(channel_in)
        return number

    try:
        laid_out = lay_out_part(product, part, name, PartHooks(offset=offset, folio_start=product.folio_start))
        send(channel_out, ("done", laid_out.write()))
    except PressroomError as exc:
        send(channel_out, ("error", exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
