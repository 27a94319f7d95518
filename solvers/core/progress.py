"""A minimal progress report on standard error (no dependency).

On a terminal it is a bar that redraws itself in place (``\\r``); anywhere
else (a log file, a pipe, a CI console) it is a plain line now and then and
a last one at the end, so a redirected log never fills with frames.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "PLAIN_INTERVAL_S"]

PLAIN_INTERVAL_S = 20.0
"""Seconds between two plain progress lines when the stream is not a terminal."""

_FRAME_INTERVAL_S = 0.1  # between two redraws of the bar on a terminal


def _is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal; streams without ``isatty`` (or closed ones) are not."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """Counts, rate and ETA of a long loop, on ``stream`` (standard error by default).

    On a terminal (``stream.isatty()``) one self-overwriting line, redrawn
    about 10 times a second.  Elsewhere the same text as plain lines: one
    at most every ``interval`` seconds (default :data:`PLAIN_INTERVAL_S`)
    and a final one when the loop ends, never a ``\\r``.  Disabled reports
    cost nothing.

    Examples
    --------
    >>> with Progress(3, "demo", enabled=False) as bar:
    ...     for _ in range(3):
    ...         bar.advance()
    >>> bar.done
    3
    >>> import io
    >>> log = io.StringIO()
    >>> with Progress(2, "demo", stream=log) as bar:
    ...     bar.advance(2)
    >>> print(log.getvalue(), end="")  # doctest: +ELLIPSIS
    demo [########################] 2/2 ...s eta 0.0s
    """

    def __init__(
        self,
        total: int | None,
        label: str,
        *,
        enabled: bool = True,
        stream: TextIO | None = None,
        interval: float | None = None,
    ) -> None:
        self.total, self.label, self.enabled = total, label, enabled
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = enabled and _is_terminal(self.stream)
        self.interval = (_FRAME_INTERVAL_S if self.terminal else PLAIN_INTERVAL_S) if interval is None else interval
        self.done = 0
        self.start = time.perf_counter()
        self._last = self.start if not self.terminal else 0.0
        self._note = ""

    def __enter__(self) -> "Progress":
        return self

    def advance(self, count: int = 1, note: str = "") -> None:
        """Record ``count`` finished items; ``note`` is shown after the counts."""
        self.done += count
        self._note = note
        if self.enabled:
            now = time.perf_counter()
            finished = self.done == self.total
            if now - self._last >= self.interval or (self.terminal and finished):
                self._last = now
                self._write(note)

    def _text(self, note: str) -> str:
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.total:
            frac = min(1.0, self.done / self.total)
            bar = "#" * int(24 * frac) + "-" * (24 - int(24 * frac))
            eta = (self.total - self.done) / rate if rate > 0 else float("nan")
            text = f"{self.label} [{bar}] {self.done}/{self.total} {elapsed:.1f}s eta {eta:.1f}s {note}"
        else:
            text = f"{self.label} {self.done} done {elapsed:.1f}s {note}"
        return text.rstrip()

    def _write(self, note: str) -> None:
        text = self._text(note)
        if self.terminal:
            self.stream.write("\r" + text[:120].ljust(80))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled and self.done:
            self._write(self._note)
            if self.terminal:
                self.stream.write("\n")
            self.stream.flush()
