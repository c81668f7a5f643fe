"""List paging: opaque, tamper-evident ``nextToken`` values and page windows.

A token names the position after the last item served (the item's creation sequence number,
negated for newest-first lists), bound to the operation and the list's filter, and signed with
an HMAC key private to the emulator. So a token survives deletes between pages, and a forged,
truncated or foreign token (another operation's, another filter's, another emulator's) is
answered with ``InvalidNextTokenException``.
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import os

from .errors import invalid_next_token

DEFAULT_MAX_RESULTS = 100


class Pager:
    def __init__(self, secret: bytes | None = None):
        self._secret = secret or os.urandom(32)

    # -- tokens ---------------------------------------------------------------------------

    def _sign(self, message: bytes) -> bytes:
        return hmac.new(self._secret, message, hashlib.sha256).digest()[:16]

    def encode(self, operation: str, scope: str, after: int) -> str:
        message = f"{operation}\n{scope}\n{after}".encode()
        return base64.urlsafe_b64encode(self._sign(message) + message).decode("ascii")

    def decode(self, operation: str, scope: str, token: str) -> int:
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise invalid_next_token() from None
        signature, message = raw[:16], raw[16:]
        if len(signature) < 16 or not hmac.compare_digest(signature, self._sign(message)):
            raise invalid_next_token()
        op, _, rest = message.decode("utf-8", "replace").partition("\n")
        token_scope, _, after = rest.rpartition("\n")
        if op != operation or token_scope != scope:
            raise invalid_next_token()
        return int(after)

    # -- windows --------------------------------------------------------------------------

    def window(self, operation: str, ranks: list[int], after: int | None,
               limit: int) -> tuple[int, int, int | None]:
        """Given the ascending ``ranks`` of the listed items, answer ``(start, stop, next)``:
        serve ``items[start:stop]``, and hand out a token for ``next`` if it is not None."""
        start = 0 if after is None else bisect.bisect_right(ranks, after)
        stop = min(start + limit, len(ranks))
        return start, stop, (ranks[stop - 1] if stop < len(ranks) else None)

    def page(self, operation: str, scope: str, items: list, ranks: list[int],
             token: str | None, max_results: int | None) -> tuple[list, str | None]:
        after = self.decode(operation, scope, token) if token else None
        limit = max_results or DEFAULT_MAX_RESULTS
        start, stop, nxt = self.window(operation, ranks, after, limit)
        next_token = self.encode(operation, scope, nxt) if nxt is not None else None
        return items[start:stop], next_token
