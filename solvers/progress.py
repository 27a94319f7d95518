"""A minimal progress bar on standard error (no dependency)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Counts, rate and ETA on one self-overwriting line of ``stream``.

    Disabled bars cost nothing.  Updates are throttled to about 10 per second.

    Examples
    --------
    >>> with Progress(3, "demo", enabled=False) as bar:
    ...     for _ in range(3):
    ...         bar.advance()
    >>> bar.done
    3
    """

    def __init__(self, total: int | None, label: str, *, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.total, self.label, self.enabled = total, label, enabled
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.start = time.perf_counter()
        self._last = 0.0
        self._note = ""

    def __enter__(self) -> "Progress":
        return self

    def advance(self, count: int = 1, note: str = "") -> None:
        """Record ``count`` finished items; ``note`` is shown after the counts."""
        self.done += count
        self._note = note
        if self.enabled:
            now = time.perf_counter()
            if now - self._last >= 0.1 or self.done == self.total:
                self._last = now
                self._draw(note)

    def _draw(self, note: str) -> None:
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.total:
            frac = self.done / self.total
            bar = "#" * int(24 * frac) + "-" * (24 - int(24 * frac))
            eta = (self.total - self.done) / rate if rate > 0 else float("nan")
            text = f"{self.label} [{bar}] {self.done}/{self.total} {elapsed:.1f}s eta {eta:.1f}s {note}"
        else:
            text = f"{self.label} {self.done} done {elapsed:.1f}s {note}"
        self.stream.write("\r" + text[:120].ljust(80))
        self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled and self.done:
            self._draw(self._note)
            self.stream.write("\n")
            self.stream.flush()
