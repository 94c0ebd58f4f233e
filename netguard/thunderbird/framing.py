"""Native-messaging framing: a 4-byte native-endian length, then that many bytes of UTF-8 JSON.

Requests larger than ``REQUEST_LIMIT`` are refused, read past in chunks so the next one
still parses; answers are kept under Thunderbird's 1 MiB limit for a host's message.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

REQUEST_LIMIT = 4 * 1024 * 1024
ANSWER_LIMIT = 1024 * 1024
_LENGTH = struct.Struct("=I")
_CHUNK = 64 * 1024


class FrameError(ValueError):
    """A request that is not one JSON object within the limit (the stream stays usable)."""


class StreamEnded(EOFError):
    """The browser closed our stdin (or cut a message short)."""


def read_message(stream: BinaryIO, limit: int = REQUEST_LIMIT) -> dict[str, Any]:
    """The next request as a dict; ``FrameError`` for a bad one, ``StreamEnded`` at the end."""
    length = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size))[0]
    if length > limit:
        _skip(stream, length)
        raise FrameError(f"message of {length} bytes is over the limit of {limit}")
    return _decode(_read_exactly(stream, length))


def write_message(stream: BinaryIO, data: dict[str, Any]) -> None:
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    if len(payload) > ANSWER_LIMIT:
        raise ValueError(f"answer of {len(payload)} bytes is over the limit of {ANSWER_LIMIT}")
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _decode(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FrameError(f"not UTF-8 JSON: {err}") from None
    if not isinstance(data, dict):
        raise FrameError("not a JSON object")
    return data


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise StreamEnded
        data += chunk
    return data


def _skip(stream: BinaryIO, size: int) -> None:
    while size > 0:
        chunk = stream.read(min(size, _CHUNK))
        if not chunk:
            raise StreamEnded
        size -= len(chunk)
