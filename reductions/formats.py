"""File formats: DIMACS CNF, hMETIS hypergraphs, DIMACS graphs, training sets, networks.

Each text format has four functions, ``read_X(path)``, ``parse_X(text)``,
``write_X(obj, path)`` and ``format_X(obj) -> str``; the binary and JSON
formats have ``load``/``save`` pairs.  :data:`FORMATS` maps every file
extension to its reader and writer and is the one list of extensions (the CLI
builds its help text from it); :func:`read_instance` and
:func:`write_instance` dispatch on it.

======================  ==============================  ======================
extension               contents                        type
======================  ==============================  ======================
``.cnf``, ``.dimacs``   DIMACS CNF                      :class:`CNF`
``.nae``                DIMACS CNF, clauses read as     :class:`NAEFormula`
                        not-all-equal constraints
``.hgr``                hMETIS hypergraph               :class:`Hypergraph`
``.col``                DIMACS graph (``p edge``)       :class:`Graph`
``.npz``                numpy archive of a training     :class:`TrainingSet`
                        set, with exact coordinates
``.csv``                CSV training set: a row per     :class:`TrainingSet`
                        point, the label in a column
                        (see :func:`parse_csv`)
``.json``               ``trainhard-network`` JSON      :class:`ThresholdNetwork`
``.json``               ``trainhard-loading`` JSON      :class:`~reductions.loading.LoadingInstance`
                        (chosen by its ``"format"``)
======================  ==============================  ======================

The text formats may also be gzipped (``.cnf.gz``, ``.hgr.gz``, ``.csv.gz``, ...).

Conventions
-----------
* Every malformed input raises :class:`~reductions.errors.FormatError` (a
  ``ValueError``) naming the file and the 1-based line of the offending token
  (a count that disagrees with the data: its header's line; in a CSV file
  also the column, ``(column 'x')``), or
  ``line=None`` when no single line is at fault (an empty file, anything in a
  binary ``.npz``).  A missing file is reported the same way, as
  ``FormatError(path, None, "no such file")``, so that every reader fails
  with one exception type; errors while *writing* (a missing directory, no
  permission) are plain :class:`OSError`.  A file of another kind is named as
  such ("expected a trainhard network JSON file, got a zip archive (an .npz
  training set?)").
* Nothing is allocated for a size a file only declares: a header may declare
  at most :data:`MAX_DECLARED_SIZE` variables or vertices, an ``.npz`` array
  is built on the bytes it really holds (its shape checked first), and what
  would not fit in memory is refused up front (:func:`check_memory`).
* Files are UTF-8.  On reading, gzip is recognised by its magic bytes,
  whatever the name; on writing, a name ending in ``.gz`` is gzipped.
* Writers are deterministic: the same object gives the same bytes (gzip with
  ``mtime=0``, zip entries dated 1980-01-01).  Comments are not kept on reading.
* Parsing is linear in the file size: a 400-variable 3-CNF with 1,700 clauses
  or a hypergraph with 10^5 edges parses in well under a second.

This module is pure Python and numpy: it imports neither torch nor pysat.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import math
import os
import re
import struct
import zipfile
import zlib
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

import numpy as np

from .errors import FormatError, InvalidInstanceError
from .loading import LOADING_FORMAT, LoadingInstance, format_loading, loading_from_text_obj
from .problems import CNF, Graph, Hypergraph, NAEFormula, OutputFunction, ThresholdNetwork, TrainingSet, as_exact

__all__ = [
    "FORMATS",
    "FileFormat",
    "MAX_DECLARED_SIZE",
    "check_declared_size",
    "check_memory",
    "show_integer",
    "available_memory",
    "read_text",
    "NETWORK_FORMAT",
    "NETWORK_VERSION",
    "TRAINING_SET_VERSION",
    "read_cnf",
    "parse_cnf",
    "write_cnf",
    "format_cnf",
    "read_nae",
    "parse_nae",
    "write_nae",
    "format_nae",
    "read_hgr",
    "parse_hgr",
    "write_hgr",
    "format_hgr",
    "read_col",
    "parse_col",
    "write_col",
    "format_col",
    "save_training_set",
    "load_training_set",
    "CSV_DELIMITERS",
    "read_csv",
    "parse_csv",
    "write_csv",
    "format_csv",
    "save_network",
    "load_network",
    "network_to_json",
    "network_from_json",
    "read_instance",
    "write_instance",
    "format_instance",
    "format_of",
]

PathLike = str | os.PathLike

NETWORK_FORMAT = "trainhard-network"
"""The ``"format"`` field of a network JSON file."""
NETWORK_VERSION = 1
"""The ``"version"`` of network JSON files this module writes and reads."""
TRAINING_SET_VERSION = 1
"""The ``format_version`` of ``.npz`` training sets this module writes and reads."""

MAX_DECLARED_SIZE = 10_000_000
"""The most variables, vertices, points or dimensions a file (or an instance) may declare.

A header's count is trusted by nothing that allocates: a witness has one
entry per declared variable or vertex whether or not the data uses it, and
its check and its ``v`` lines one more each, about 100 bytes per declared
item in all, so ten million is about a gigabyte.  A larger count cannot be
a real trainhard instance and is refused (:func:`check_declared_size`) with
the file and the header's line.  Clause and edge counts need no cap: they
are checked against the clauses and edges the file holds.
"""

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_INT_TOKEN = re.compile(r"[+-]?[0-9]+\Z")
_DIGITS = re.compile(r"-?[0-9]+\Z")
_RATIONAL = re.compile(r"\s*(-?[0-9]+)(?:/([0-9]+))?\s*\Z")
_CHUNK = 4000  # digits per int()/str() call, under Python's default limit of 4300


# ---------------------------------------------------------------------------
# bytes, text and lines
# ---------------------------------------------------------------------------


def _read_bytes(path: PathLike) -> bytes:
    """The file's bytes; a missing file or a directory is a :class:`FormatError`."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise FormatError(str(path), None, "no such file") from None
    except IsADirectoryError:
        raise FormatError(str(path), None, "is a directory, not a file") from None


def _gunzip(data: bytes, source: str) -> bytes:
    """Decompress ``data`` if it starts with the gzip magic bytes."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise FormatError(source, None, f"corrupt gzip data: {exc}") from None


def available_memory() -> int:
    """Bytes this process may allocate at most: the smallest of physical memory and its limits.

    The limits read are ``RLIMIT_AS`` and ``RLIMIT_DATA`` (``ulimit -v``,
    ``ulimit -d``) and a cgroup v2 ``memory.max`` (containers); what other
    processes use is not subtracted, so this is an upper bound.
    """
    limits = []
    try:
        limits.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        pass
    try:
        import resource

        for which in (resource.RLIMIT_AS, resource.RLIMIT_DATA):
            soft = resource.getrlimit(which)[0]
            if soft != resource.RLIM_INFINITY and soft > 0:
                limits.append(soft)
    except (ImportError, AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        pass
    try:
        with open("/sys/fs/cgroup/memory.max") as f:
            value = f.read().strip()
        if value.isdigit():
            limits.append(int(value))
    except OSError:
        pass
    return min(limits) if limits else 2**63


def _bytes_text(n: int) -> str:
    """``n`` bytes for a message: ``"9.3 GB"``."""
    for unit, size in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}" if n < 10**15 else f"{show_integer(n // 10**12)} TB"
    return f"{n} bytes"


def check_memory(needed: int, what: str, *, source: str | None = None) -> int:
    """Refuse ``what`` up front when its estimated ``needed`` bytes exceed :func:`available_memory`.

    The one place that decides whether a size fits in memory; the message
    gives the estimate and the memory available.  With ``source`` the error
    is a :class:`FormatError` naming the file, else an
    :class:`InvalidInstanceError`.  Returns ``needed``.

    Examples
    --------
    >>> check_memory(10**30, "a hypergraph with 10**29 edges")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reductions.errors.InvalidInstanceError: a hypergraph with 10**29 edges needs about 1000000000000000000 TB of memory, ...
    """
    available = available_memory()
    if needed > available:
        message = (
            f"{what} needs about {_bytes_text(needed)} of memory, "
            f"more than the {_bytes_text(available)} this process may use"
        )
        if source is not None:
            raise FormatError(source, None, message)
        raise InvalidInstanceError(message)
    return needed


# Magic bytes of files that are often given where a text file belongs.
_BINARY_KINDS = (
    (b"PK\x03\x04", "a zip archive (an .npz training set?)"),
    (b"PK\x05\x06", "an empty zip archive (an .npz training set?)"),
    (b"\x93NUMPY", "a numpy .npy array"),
    (b"SQLite format 3\x00", "an SQLite database (a sweep's results?)"),
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
)


def _binary_kind(data: bytes) -> str | None:
    """What a binary file looks like, from its first bytes, or None."""
    return next((what for magic, what in _BINARY_KINDS if data.startswith(magic)), None)


def _file_kind(data: bytes) -> str:
    """A few words on what ``data`` is, for "expected X, got Y" messages."""
    kind = _binary_kind(data)
    if kind is not None:
        return kind
    if data.startswith(_GZIP_MAGIC):
        return "gzip data"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 4090:  # not a character cut at the end of the sample
            return "binary data"
    return "a text file"


def _decode(data: str | bytes | bytearray, source: str, expected: str = "UTF-8 text") -> str:
    """UTF-8 text of ``data`` (a leading byte-order mark is dropped).

    ``expected`` names the kind of file the caller reads, for the message
    when ``data`` is binary: ``"expected a DIMACS CNF file, got a zip
    archive (an .npz training set?)"``.
    """
    if isinstance(data, str):
        text = data
    else:
        data = _gunzip(bytes(data), source)
        kind = _binary_kind(data)
        if kind is not None:
            raise FormatError(source, None, f"expected {expected}, got {kind}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise FormatError(
                source, line,
                f"expected {expected}, got binary data (byte 0x{data[exc.start]:02x} is not UTF-8 text)",
            ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_text(path: PathLike, *, expected: str) -> str:
    """The UTF-8 text of a file (gzipped or not), for readers outside this module.

    Parameters
    ----------
    path : path
    expected : str
        What the file should be (``"a trainhard-loading JSON file"``), for
        the message when it is binary or missing.

    Raises
    ------
    FormatError
        No such file, a directory, corrupt gzip data, or binary data
        (``expected ..., got a zip archive (an .npz training set?)``).
    """
    return _decode(_read_bytes(path), str(path), expected)


def check_declared_size(value: int, what: str, *, source: str | None = None, line: int | None = None) -> int:
    """Refuse a declared count above :data:`MAX_DECLARED_SIZE`; return it otherwise.

    The one place that decides whether a declared size can be real.

    Parameters
    ----------
    value : int
        The declared count.
    what : str
        What is counted, plural (``"variables"``).
    source, line : optional
        The file and the line of the declaration; with ``source`` the error
        is a :class:`FormatError`, else an :class:`InvalidInstanceError`.

    Examples
    --------
    >>> check_declared_size(10, "variables")
    10
    >>> check_declared_size(10**20, "variables", source="f.cnf", line=1)
    Traceback (most recent call last):
    ...
    reductions.errors.FormatError: f.cnf:1: 100000000000000000000 variables: more than the 10000000 trainhard accepts (MAX_DECLARED_SIZE)
    """
    if value > MAX_DECLARED_SIZE:
        message = f"{show_integer(value)} {what}: more than the {MAX_DECLARED_SIZE} trainhard accepts (MAX_DECLARED_SIZE)"
        if source is not None:
            raise FormatError(source, line, message)
        raise InvalidInstanceError(message)
    return value


def _write_bytes(path: PathLike, data: bytes) -> None:
    if str(path).lower().endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    with open(path, "wb") as f:
        f.write(data)


def _write_text(path: PathLike, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _lines(text: str) -> list[str]:
    """Lines split on ``\\n`` only, so numbers match what editors show."""
    return text.split("\n")


def _to_decimal(n: int) -> str:
    """``str(n)`` for ints of any size (Python refuses more than 4300 digits at once)."""
    try:
        return str(n)
    except ValueError:
        high, low = divmod(abs(n), 10**_CHUNK)
        return ("-" if n < 0 else "") + _to_decimal(high) + str(low).zfill(_CHUNK)


def _from_decimal(text: str) -> int:
    """``int(text)`` for a string of ASCII digits with an optional sign, of any length."""
    try:
        return int(text)
    except ValueError:
        digits = text.lstrip("+-")
        value = 0
        for start in range(0, len(digits), _CHUNK):
            chunk = digits[start : start + _CHUNK]
            value = value * 10 ** len(chunk) + int(chunk)
        return -value if text.startswith("-") else value


def show_integer(n: int) -> str:
    """An integer for an error message, abbreviated when it is very long."""
    text = _to_decimal(n)
    return text if len(text) <= 40 else f"{text[:12]}...{text[-6:]} ({len(text.lstrip('-'))} digits)"


def _fraction_text(value: Fraction) -> str:
    """``str(value)`` for fractions of any size."""
    if value.denominator == 1:
        return _to_decimal(value.numerator)
    return f"{_to_decimal(value.numerator)}/{_to_decimal(value.denominator)}"


def _comment_lines(prefix: str, comments: Iterable[str]) -> list[str]:
    out = []
    for comment in comments:
        for line in str(comment).split("\n"):
            out.append(f"{prefix} {line}".rstrip())
    return out


def _ints(tokens: list[str], line: str, source: str, lineno: int) -> list[int]:
    """The tokens as ints; anything but an optionally signed ASCII integer is an error."""
    if line.isascii() and "_" not in line:
        try:
            return [int(t) for t in tokens]
        except ValueError:
            pass
    values = []
    for t in tokens:
        if not _INT_TOKEN.match(t):
            shown = t if len(t) <= 40 else f"{t[:30]}..."
            raise FormatError(source, lineno, f"expected an integer, got {shown!r}")
        values.append(_from_decimal(t))
    return values


def _counts(
    tokens: list[str], line: str, source: str, lineno: int, names: tuple[str, ...], *, capped: str
) -> list[int]:
    """Non-negative header counts; the count named ``capped`` (variables or vertices) at most :data:`MAX_DECLARED_SIZE`.

    The other counts (clauses, edges) are checked against the data instead.
    """
    values = _ints(tokens, line, source, lineno)
    for name, value in zip(names, values):
        if value < 0:
            raise FormatError(source, lineno, f"the number of {name} must be >= 0, got {show_integer(value)}")
        if name == capped:
            check_declared_size(value, name, source=source, line=lineno)
    return values


def _data_before_header(lines: list[str], lineno: int, source: str, header: str, what: str) -> FormatError:
    """The error for data on ``lineno`` before any header: misplaced or missing."""
    for k in range(lineno, len(lines)):
        stripped = lines[k].strip()
        if stripped == "%":
            break
        if stripped.startswith("p"):
            return FormatError(
                source, k + 1, f"the {header!r} header must come before the {what} (first one on line {lineno})"
            )
    return FormatError(source, lineno, f"missing {header!r} header before the first of the {what}")


def _missing_header(lines: list[str], source: str, header: str) -> FormatError:
    empty = all(not line.strip() for line in lines)
    return FormatError(source, None, f"missing {header!r} header" + (" (empty file)" if empty else ""))


def _build(make: Callable[[], Any], source: str) -> Any:
    """Construct a type; its own validation errors become :class:`FormatError`."""
    try:
        return make()
    except FormatError:
        raise
    except InvalidInstanceError as exc:
        raise FormatError(source, None, str(exc)) from None


def _check_type(obj: Any, types: tuple[type, ...], path: PathLike) -> None:
    if not isinstance(obj, types):
        want = " or ".join(t.__name__ for t in types)
        fits = [ext for ext, fmt in FORMATS.items() if isinstance(obj, fmt.types)]
        hint = f"; a {type(obj).__name__} goes to {', '.join(fits)}" if fits else ""
        raise FormatError(str(path), None, f"cannot write a {type(obj).__name__} here, expected a {want}{hint}")


# ---------------------------------------------------------------------------
# DIMACS CNF
# ---------------------------------------------------------------------------


def parse_cnf(text: str | bytes, *, source: str = "<string>") -> CNF:
    """Parse DIMACS CNF text.

    ``c`` lines are comments (anywhere), ``p cnf VARIABLES CLAUSES`` is the
    header, and clauses are literals terminated by ``0``; a clause may span
    lines and a line may hold several clauses.  A line that is exactly ``%``
    ends the formula (SATLIB files end with ``%`` and a stray ``0``).

    Parameters
    ----------
    text : str or bytes
        The file's contents; bytes are UTF-8, possibly gzipped.
    source : str
        Name used in error messages.

    Returns
    -------
    CNF

    Raises
    ------
    FormatError
        If the text is not a well-formed DIMACS CNF: missing, repeated,
        misplaced or malformed header; a token that is not an integer; a
        literal outside ``±1..±VARIABLES``; a last clause without ``0``; a
        number of clauses other than the header's.

    Examples
    --------
    >>> parse_cnf("c example\\np cnf 3 2\\n1 -2 0 2\\n3 0\\n").clauses
    ((1, -2), (2, 3))
    >>> parse_cnf("p cnf 2 1\\n1 3 0\\n", source="f.cnf")
    Traceback (most recent call last):
    ...
    reductions.errors.FormatError: f.cnf:2: literal 3 is out of range for 2 variables
    """
    text = _decode(text, source, "a DIMACS CNF file")
    lines = _lines(text)
    num_vars = num_clauses = -1
    header_line = 0
    clauses: list[tuple[int, ...]] = []
    current: list[int] = []
    clause_line = 0
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line[0] == "c":
            continue
        if line == "%":
            break
        tokens = line.split()
        if line[0] == "p":
            if num_vars >= 0:
                raise FormatError(source, lineno, "duplicate 'p cnf' header")
            if len(tokens) != 4 or tokens[0] != "p" or tokens[1] != "cnf":
                raise FormatError(source, lineno, f"malformed header {line!r}, expected 'p cnf VARIABLES CLAUSES'")
            num_vars, num_clauses = _counts(
                tokens[2:], line, source, lineno, ("variables", "clauses"), capped="variables"
            )
            header_line = lineno
            continue
        if num_vars < 0:
            raise _data_before_header(lines, lineno, source, "p cnf", "clauses")
        for lit in _ints(tokens, line, source, lineno):
            if lit == 0:
                if len(clauses) == num_clauses:
                    raise FormatError(
                        source, clause_line or lineno, f"more clauses than the {show_integer(num_clauses)} the header declares"
                    )
                clauses.append(tuple(current))
                current = []
                clause_line = 0
            elif lit > num_vars or -lit > num_vars:
                raise FormatError(source, lineno, f"literal {show_integer(lit)} is out of range for {show_integer(num_vars)} variables")
            else:
                if not current:
                    clause_line = lineno
                current.append(lit)
    if num_vars < 0:
        raise _missing_header(lines, source, "p cnf")
    if current:
        raise FormatError(source, clause_line, "the last clause is not terminated by 0")
    if len(clauses) != num_clauses:
        raise FormatError(
            source, header_line, f"the header declares {show_integer(num_clauses)} clauses but the file has {len(clauses)}"
        )
    return _build(lambda: CNF(num_vars, tuple(clauses)), source)


def read_cnf(path: PathLike) -> CNF:
    """Read a DIMACS CNF file (gzipped or not); see :func:`parse_cnf`."""
    return parse_cnf(_read_bytes(path), source=str(path))


def format_cnf(cnf: CNF, *, comments: Iterable[str] = ()) -> str:
    """DIMACS CNF text: comment lines, the header, one clause per line.

    Examples
    --------
    >>> print(format_cnf(CNF(3, [(1, -2), (2, 3), ()]), comments=["example"]), end="")
    c example
    p cnf 3 3
    1 -2 0
    2 3 0
    0
    """
    _check_type(cnf, (CNF,), "<string>")
    check_declared_size(cnf.num_vars, "variables")  # a file no reader would take back
    out = _comment_lines("c", comments)
    out.append(f"p cnf {cnf.num_vars} {cnf.num_clauses}")
    out.extend(" ".join(map(str, clause + (0,))) for clause in cnf.clauses)
    return "\n".join(out) + "\n"


def write_cnf(cnf: CNF, path: PathLike, *, comments: Iterable[str] = ()) -> None:
    """Write ``cnf`` as DIMACS CNF; a name ending in ``.gz`` is gzipped."""
    _check_type(cnf, (CNF,), path)
    _write_text(path, format_cnf(cnf, comments=comments))


# NAE-SAT: DIMACS CNF syntax, a different question.

_NAE_COMMENT = "NAE-SAT: every clause needs a true and a false literal"


def parse_nae(text: str | bytes, *, source: str = "<string>") -> NAEFormula:
    """Parse DIMACS CNF text as an NAE-SAT formula; see :func:`parse_cnf`."""
    return NAEFormula(parse_cnf(text, source=source))


def read_nae(path: PathLike) -> NAEFormula:
    """Read a ``.nae`` file: DIMACS CNF whose clauses are not-all-equal constraints."""
    return NAEFormula(read_cnf(path))


def format_nae(formula: NAEFormula, *, comments: Iterable[str] = ()) -> str:
    """DIMACS CNF text of an NAE formula, with a first comment saying what it is."""
    _check_type(formula, (NAEFormula,), "<string>")
    return format_cnf(formula.cnf, comments=[_NAE_COMMENT, *comments])


def write_nae(formula: NAEFormula, path: PathLike, *, comments: Iterable[str] = ()) -> None:
    """Write an NAE formula as DIMACS CNF; a name ending in ``.gz`` is gzipped."""
    _check_type(formula, (NAEFormula,), path)
    _write_text(path, format_nae(formula, comments=comments))


# ---------------------------------------------------------------------------
# hMETIS hypergraphs
# ---------------------------------------------------------------------------

_HGR_FMTS = {0: (False, False), 1: (True, False), 10: (False, True), 11: (True, True)}


def parse_hgr(text: str | bytes, *, source: str = "<string>") -> Hypergraph:
    """Parse an hMETIS hypergraph.

    The first line (after ``%`` comment lines) is ``EDGES VERTICES [FMT]``,
    then one line per edge listing its vertices, numbered from 1 in the file
    and from 0 in the :class:`Hypergraph`.  Weighted files are read and their
    weights checked (non-negative integers) and then ignored, since they do
    not change whether a splitting or colouring exists: with ``FMT`` 1 or 11
    each edge line starts with the edge's weight, with 10 or 11 the edges are
    followed by one weight line per vertex.

    Raises
    ------
    FormatError
        Missing or malformed header, an unknown ``FMT``, a token that is not
        an integer, a vertex outside ``1..VERTICES``, a vertex repeated in an
        edge, an empty edge line, or a number of edges (or vertex weights)
        other than the header's.

    Examples
    --------
    >>> parse_hgr("% two edges\\n2 4\\n1 2 3\\n3 4\\n").edges
    ((0, 1, 2), (2, 3))
    """
    text = _decode(text, source, "an hMETIS hypergraph (.hgr)")
    lines = _lines(text)
    while lines and not lines[-1].strip():  # blank lines that end the file are no empty edges
        lines.pop()
    num_edges = num_vertices = -1
    header_line = 0
    edge_weights = vertex_weights = False
    edges: list[tuple[int, ...]] = []
    weights_read = 0
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("%"):
            continue
        if num_edges < 0:
            if not line:
                continue
            tokens = line.split()
            if len(tokens) not in (2, 3):
                raise FormatError(source, lineno, f"malformed header {line!r}, expected 'EDGES VERTICES [FMT]'")
            values = _counts(tokens, line, source, lineno, ("edges", "vertices"), capped="vertices")
            header_line = lineno
            num_edges, num_vertices = values[0], values[1]
            fmt = values[2] if len(values) == 3 else 0
            if fmt not in _HGR_FMTS:
                raise FormatError(source, lineno, f"unknown hMETIS fmt {show_integer(fmt)}, expected 0, 1, 10 or 11")
            edge_weights, vertex_weights = _HGR_FMTS[fmt]
            continue
        if len(edges) < num_edges:
            tokens = line.split()
            values = _ints(tokens, line, source, lineno)
            if edge_weights and values:
                if values[0] < 0:
                    raise FormatError(source, lineno, f"edge weight {show_integer(values[0])} is negative")
                values = values[1:]
            if not values:
                raise FormatError(source, lineno, f"edge {len(edges) + 1} is empty; an edge needs a vertex")
            if min(values) < 1 or max(values) > num_vertices:
                bad = next(v for v in values if not 1 <= v <= num_vertices)
                raise FormatError(source, lineno, f"vertex {show_integer(bad)} is out of range 1..{show_integer(num_vertices)}")
            if len(set(values)) != len(values):
                seen: set[int] = set()
                bad = next(v for v in values if v in seen or seen.add(v))  # type: ignore[func-returns-value]
                raise FormatError(source, lineno, f"vertex {show_integer(bad)} is repeated in edge {len(edges) + 1}")
            edges.append(tuple(v - 1 for v in values))
        elif vertex_weights and weights_read < num_vertices:
            tokens = line.split()
            if len(tokens) != 1:
                raise FormatError(source, lineno, f"expected the weight of vertex {weights_read + 1}, got {line!r}")
            (weight,) = _ints(tokens, line, source, lineno)
            if weight < 0:
                raise FormatError(source, lineno, f"vertex weight {show_integer(weight)} is negative")
            weights_read += 1
        elif line:
            extra = "vertex weights" if vertex_weights else "edges"
            raise FormatError(source, lineno, f"more {extra} than the header declares")
    if num_edges < 0:
        raise _missing_header(lines, source, "EDGES VERTICES")
    if len(edges) != num_edges:
        raise FormatError(source, header_line, f"the header declares {show_integer(num_edges)} edges but the file has {len(edges)}")
    if vertex_weights and weights_read != num_vertices:
        raise FormatError(
            source, header_line,
            f"the header declares {show_integer(num_vertices)} vertex weights but the file has {weights_read}",
        )
    return _build(lambda: Hypergraph(num_vertices, tuple(edges)), source)


def read_hgr(path: PathLike) -> Hypergraph:
    """Read an hMETIS ``.hgr`` file (gzipped or not); see :func:`parse_hgr`."""
    return parse_hgr(_read_bytes(path), source=str(path))


def format_hgr(hypergraph: Hypergraph, *, comments: Iterable[str] = ()) -> str:
    """hMETIS text (unweighted, ``FMT`` omitted), vertices numbered from 1.

    Examples
    --------
    >>> print(format_hgr(Hypergraph(4, [(0, 1, 2), (2, 3)])), end="")
    2 4
    1 2 3
    3 4
    """
    _check_type(hypergraph, (Hypergraph,), "<string>")
    check_declared_size(hypergraph.num_vertices, "vertices")  # a file no reader would take back
    out = _comment_lines("%", comments)
    out.append(f"{hypergraph.num_edges} {hypergraph.num_vertices}")
    out.extend(" ".join(str(v + 1) for v in edge) for edge in hypergraph.edges)
    return "\n".join(out) + "\n"


def write_hgr(hypergraph: Hypergraph, path: PathLike, *, comments: Iterable[str] = ()) -> None:
    """Write an hMETIS ``.hgr`` file; a name ending in ``.gz`` is gzipped."""
    _check_type(hypergraph, (Hypergraph,), path)
    _write_text(path, format_hgr(hypergraph, comments=comments))


# ---------------------------------------------------------------------------
# DIMACS graphs
# ---------------------------------------------------------------------------


def parse_col(text: str | bytes, *, source: str = "<string>") -> Graph:
    """Parse a DIMACS graph (the colouring challenge's ``.col`` format).

    ``c`` lines are comments, ``p edge VERTICES EDGES`` (or ``p col``) is the
    header, and ``e U V`` lines are edges, numbered from 1 in the file and
    from 0 in the :class:`Graph`.  Other line types (``n`` vertex weights)
    are refused.  Edges are kept as listed, so a file that lists each edge in
    both directions gives parallel edges.

    Raises
    ------
    FormatError
        Missing, repeated, misplaced or malformed header; an unknown line
        type; a malformed ``e`` line; a vertex outside ``1..VERTICES``; a
        self-loop; a number of edges other than the header's.

    Examples
    --------
    >>> parse_col("c triangle\\np edge 3 3\\ne 1 2\\ne 2 3\\ne 1 3\\n").edges
    ((0, 1), (1, 2), (0, 2))
    """
    text = _decode(text, source, "a DIMACS graph (.col)")
    lines = _lines(text)
    num_vertices = num_edges = -1
    header_line = 0
    edges: list[tuple[int, int]] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line[0] == "c":
            continue
        tokens = line.split()
        kind = tokens[0]
        if kind == "e":
            if num_vertices < 0:
                raise _data_before_header(lines, lineno, source, "p edge", "edges")
            if len(tokens) != 3:
                raise FormatError(source, lineno, f"malformed edge line {line!r}, expected 'e U V'")
            u, v = _ints(tokens[1:], line, source, lineno)
            for w in (u, v):
                if not 1 <= w <= num_vertices:
                    raise FormatError(source, lineno, f"vertex {show_integer(w)} is out of range 1..{show_integer(num_vertices)}")
            if u == v:
                raise FormatError(source, lineno, f"self-loop on vertex {show_integer(u)}")
            if len(edges) == num_edges:
                raise FormatError(source, lineno, f"more edges than the {show_integer(num_edges)} the header declares")
            edges.append((u - 1, v - 1))
        elif kind == "p":
            if num_vertices >= 0:
                raise FormatError(source, lineno, "duplicate 'p edge' header")
            if len(tokens) != 4 or tokens[1] not in ("edge", "col"):
                raise FormatError(source, lineno, f"malformed header {line!r}, expected 'p edge VERTICES EDGES'")
            num_vertices, num_edges = _counts(
                tokens[2:], line, source, lineno, ("vertices", "edges"), capped="vertices"
            )
            header_line = lineno
        else:
            raise FormatError(source, lineno, f"unknown line type {kind!r}, expected 'c', 'p' or 'e'")
    if num_vertices < 0:
        raise _missing_header(lines, source, "p edge")
    if len(edges) != num_edges:
        raise FormatError(source, header_line, f"the header declares {show_integer(num_edges)} edges but the file has {len(edges)}")
    return _build(lambda: Graph(num_vertices, tuple(edges)), source)


def read_col(path: PathLike) -> Graph:
    """Read a DIMACS ``.col`` graph (gzipped or not); see :func:`parse_col`."""
    return parse_col(_read_bytes(path), source=str(path))


def format_col(graph: Graph, *, comments: Iterable[str] = ()) -> str:
    """DIMACS graph text (``p edge``), vertices numbered from 1.

    Examples
    --------
    >>> print(format_col(Graph(3, [(0, 1), (1, 2)])), end="")
    p edge 3 2
    e 1 2
    e 2 3
    """
    _check_type(graph, (Graph,), "<string>")
    check_declared_size(graph.num_vertices, "vertices")  # a file no reader would take back
    out = _comment_lines("c", comments)
    out.append(f"p edge {graph.num_vertices} {graph.num_edges}")
    out.extend(f"e {u + 1} {v + 1}" for u, v in graph.edges)
    return "\n".join(out) + "\n"


def write_col(graph: Graph, path: PathLike, *, comments: Iterable[str] = ()) -> None:
    """Write a DIMACS ``.col`` graph; a name ending in ``.gz`` is gzipped."""
    _check_type(graph, (Graph,), path)
    _write_text(path, format_col(graph, comments=comments))


# ---------------------------------------------------------------------------
# training sets (.npz)
# ---------------------------------------------------------------------------


def _float_view(numerators: np.ndarray, denominator: int) -> np.ndarray:
    """``numerators / denominator`` correctly rounded to float64 (±inf beyond range)."""
    if numerators.dtype.kind in "iu" and denominator < 2**53 and (
        numerators.size == 0 or (int(numerators.max()) < 2**53 and int(numerators.min()) > -(2**53))
    ):
        # Both operands are exact in float64, so one IEEE division rounds correctly.
        return numerators.astype(np.float64) / float(denominator)
    out = np.empty(numerators.shape, dtype=np.float64)
    for index, x in np.ndenumerate(numerators):
        try:
            out[index] = int(x) / denominator  # Python's int division rounds correctly
        except OverflowError:
            out[index] = math.copysign(math.inf, int(x))
    return out


def _exact_from_floats(x: np.ndarray) -> tuple[np.ndarray, int]:
    """Exact numerators and the smallest power-of-two denominator of finite floats."""
    if x.size == 0 or not x.any():
        return np.zeros(x.shape, dtype=np.int64), 1
    mantissa, exponent = np.frexp(x)
    m = np.ldexp(mantissa, 53).astype(np.int64)  # x == m * 2**(exponent - 53), exactly
    nonzero = m != 0
    low = m[nonzero] & -m[nonzero]  # lowest set bit, a power of two
    trailing = np.frexp(low.astype(np.float64))[1] - 1
    k = max(0, int(-(exponent[nonzero] - 53 + trailing).min()))  # denominator 2**k
    with np.errstate(over="ignore"):
        fits = bool(np.ldexp(np.abs(x).max(), k) < 2.0**62)
    if fits:
        return np.ldexp(x, k).astype(np.int64), 2**k
    nums = np.empty(x.shape, dtype=object)
    for index, value in np.ndenumerate(x):
        p, q = float(value).as_integer_ratio()
        nums[index] = p * (2**k // q)
    return nums, 2**k


def _npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """A deterministic ``.npz`` archive (fixed dates, no pickles)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def save_training_set(training_set: TrainingSet, path: PathLike) -> None:
    """Save a training set as a numpy ``.npz`` archive with exact coordinates.

    Arrays: ``format_version`` (1); ``X``, the points as float64 for numpy
    users (correctly rounded); ``y``, the labels as uint8; ``X_numerators``
    and ``X_denominator``, the exact points ``X_numerators / X_denominator``
    (int64, or arrays of decimal strings when the integers do not fit);
    ``metadata``, a 0-d string array holding ``training_set.metadata`` as JSON
    (so tuples in it come back as lists).  Nothing is pickled:
    ``numpy.load(path)`` reads it with the default ``allow_pickle=False``.
    """
    _check_type(training_set, (TrainingSet,), path)
    nums = training_set.numerators
    den = training_set.denominator
    if nums.dtype == np.int64:
        exact_nums = nums
    else:
        exact_nums = np.array([_to_decimal(int(x)) for x in nums.flat], dtype=str).reshape(nums.shape)
    arrays = {
        "format_version": np.array(TRAINING_SET_VERSION, dtype=np.int64),
        "X": _float_view(nums, den),
        "y": training_set.labels.astype(np.uint8),
        "X_numerators": exact_nums,
        "X_denominator": np.array(den, dtype=np.int64) if den < 2**63 else np.array(_to_decimal(den)),
        "metadata": np.array(json.dumps(training_set.metadata, ensure_ascii=False)),
    }
    _write_bytes(path, _npz_bytes(arrays))


_NPZ_ARRAYS = ("format_version", "X", "y", "X_numerators", "X_denominator", "metadata")
# What zipfile and numpy raise on damaged archives (a flipped byte can claim
# encryption, an unknown compression, a bad CRC, a huge or garbled .npy header).
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error, KeyError, IndexError, TypeError,
    NotImplementedError, OverflowError, MemoryError, SyntaxError, struct.error, UnicodeError,
)


def load_training_set(path: PathLike) -> TrainingSet:
    """Load a training set from an ``.npz`` archive.

    Reads the files :func:`save_training_set` writes, and also plain archives
    holding only ``X`` (a 2-D array of numbers, floats taken at their exact
    binary value) and ``y`` (0/1 labels), such as ``numpy.savez(path, X=X,
    y=y)`` makes.  Other arrays are ignored.  Nothing is unpickled.

    Raises
    ------
    FormatError
        With ``line=None`` and the array's name in the message: not a zip
        archive or a corrupt one; ``y`` missing, or both ``X`` and
        ``X_numerators`` missing; wrong shapes or dtypes; a NaN or infinite
        coordinate or label (its index is given); a label other than 0 or 1;
        ``X`` disagreeing with ``X_numerators / X_denominator``; metadata
        that is not a JSON object; an unknown ``format_version``; an array
        whose header declares more than it holds, more than
        :data:`MAX_DECLARED_SIZE` points or dimensions, or more than fits
        in memory (checked before anything is allocated).
    """
    source = str(path)
    data = _read_bytes(path)
    if not data.startswith(b"PK"):
        raise FormatError(source, None, f"expected an .npz training set (a zip archive), got {_file_kind(data)}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ARCHIVE_ERRORS as exc:
        raise FormatError(source, None, f"corrupt .npz archive: {exc}") from None
    arrays: dict[str, np.ndarray] = {}
    with archive:
        members = set(archive.namelist())
        for name in _NPZ_ARRAYS:
            member = next((m for m in (f"{name}.npy", name) if m in members), None)
            if member is None:
                continue
            try:
                arrays[name] = _npy_member(archive, member, name, source)
            except FormatError:
                raise
            except _ARCHIVE_ERRORS as exc:
                raise FormatError(source, None, f"array {name!r} cannot be read: {exc}") from None
    return _training_set_from_arrays(arrays, source)


_NPY_HEADERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
_AXES = ("points", "dimensions")


def _short_array(source: str, name: str, shape: tuple[int, ...], expected: int, held: int) -> FormatError:
    return FormatError(
        source, None, f"array {name!r}: its header declares shape {shape} ({expected} bytes) but it holds {max(held, 0)} bytes"
    )


def _npy_member(archive: zipfile.ZipFile, member: str, name: str, source: str) -> np.ndarray:
    """One ``.npy`` member, allocated only for bytes the archive really holds.

    ``numpy.load`` allocates the shape its header declares before reading a
    byte; here the shape is checked first (:func:`check_declared_size` per
    axis) and the array is built on the bytes actually decompressed.
    """
    with archive.open(member) as f:
        version = np.lib.format.read_magic(f)
        if version not in _NPY_HEADERS:
            raise FormatError(source, None, f"array {name!r}: unsupported .npy format version {version}")
        shape, fortran, dtype = _NPY_HEADERS[version](f)
        if dtype.hasobject:
            raise FormatError(source, None, f"array {name!r} holds pickled Python objects; refused")
        for axis, size in enumerate(shape):
            what = _AXES[axis] if axis < len(_AXES) else "entries"
            check_declared_size(size, f"array {name!r}: {what}", source=source)
        count = math.prod(shape)
        if dtype.itemsize == 0:
            if count:
                raise FormatError(source, None, f"array {name!r} has {count} entries of an empty dtype {dtype}")
            return np.empty(shape, dtype=dtype)
        expected = count * dtype.itemsize
        held = archive.getinfo(member).file_size - f.tell()  # what the zip directory says the member holds
        if expected > held:
            raise _short_array(source, name, shape, expected, held)
        check_memory(expected, f"array {name!r} of shape {shape}", source=source)
        payload = f.read(expected)
    if len(payload) != expected:
        raise _short_array(source, name, shape, expected, len(payload))
    array = np.frombuffer(payload, dtype=dtype, count=count)
    return array.reshape(shape, order="F" if fortran else "C")


def _scalar_int(array: np.ndarray, name: str, source: str) -> int:
    if array.size != 1 or array.ndim > 1:
        raise FormatError(source, None, f"array {name!r} must hold one integer, got shape {array.shape}")
    value = array.reshape(()).item()
    if array.dtype.kind in "iu":
        return int(value)
    if array.dtype.kind == "U" and _DIGITS.match(str(value)):
        return _from_decimal(str(value))
    raise FormatError(source, None, f"array {name!r} must hold an integer, got {value!r}")


def _labels(y: np.ndarray, source: str) -> np.ndarray:
    if y.ndim != 1:
        raise FormatError(source, None, f"array 'y' must be 1-D (one label per point), got shape {y.shape}")
    if y.dtype.kind not in "biuf":
        raise FormatError(source, None, f"array 'y' must hold 0/1 labels, got dtype {y.dtype}")
    if y.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(y))
        if bad.size:
            raise FormatError(source, None, f"array 'y': y[{bad[0]}] is {y[bad[0]]}; labels must be 0 or 1")
    bad = np.flatnonzero((y != 0) & (y != 1))
    if bad.size:
        raise FormatError(source, None, f"array 'y': y[{bad[0]}] is {y[bad[0]]}; labels must be 0 or 1")
    return y.astype(np.uint8)


def _exact_numerators(array: np.ndarray, source: str) -> np.ndarray:
    name = "X_numerators"
    if array.ndim != 2:
        raise FormatError(source, None, f"array {name!r} must be 2-D (points x dims), got shape {array.shape}")
    if array.dtype.kind in "iu":
        if array.dtype.kind == "u" and array.size and int(array.max()) >= 2**63:
            return np.array(array.tolist(), dtype=object).reshape(array.shape)
        return array.astype(np.int64)
    if array.dtype.kind == "U":
        out = np.empty(array.shape, dtype=object)
        for index, text in np.ndenumerate(array):
            if not _DIGITS.match(str(text)):
                where = ", ".join(map(str, index))
                raise FormatError(source, None, f"array {name!r}: {name}[{where}] is {str(text)!r}, not an integer")
            out[index] = _from_decimal(str(text))
        return out
    raise FormatError(source, None, f"array {name!r} must hold integers, got dtype {array.dtype}")


def _training_set_from_arrays(arrays: Mapping[str, np.ndarray], source: str) -> TrainingSet:
    if "format_version" in arrays:
        version = _scalar_int(arrays["format_version"], "format_version", source)
        if version != TRAINING_SET_VERSION:
            raise FormatError(
                source, None, f"unsupported format_version {show_integer(version)}; this version reads {TRAINING_SET_VERSION}"
            )
    if "y" not in arrays:
        raise FormatError(source, None, "missing array 'y' (the labels)")
    if "X" not in arrays and "X_numerators" not in arrays:
        raise FormatError(source, None, "missing array 'X' (the points)")
    labels = _labels(arrays["y"], source)
    x = arrays.get("X")
    if x is not None:
        if x.ndim != 2:
            raise FormatError(source, None, f"array 'X' must be 2-D (points x dims), got shape {x.shape}")
        if x.dtype.kind not in "biuf":
            raise FormatError(source, None, f"array 'X' must hold numbers, got dtype {x.dtype}")
    if "X_numerators" in arrays:
        nums = _exact_numerators(arrays["X_numerators"], source)
        den = _scalar_int(arrays["X_denominator"], "X_denominator", source) if "X_denominator" in arrays else 1
        if den <= 0:
            raise FormatError(source, None, f"array 'X_denominator' must be positive, got {show_integer(den)}")
        if x is not None:
            if x.shape != nums.shape:
                raise FormatError(
                    source, None, f"X and X_numerators disagree: shapes {x.shape} and {nums.shape}"
                )
            expected = _float_view(nums, den)
            differ = np.argwhere(~(x.astype(np.float64) == expected))
            if differ.size:
                i, j = differ[0]
                raise FormatError(
                    source, None,
                    f"X and X_numerators disagree at X[{i}, {j}]: X has {x[i, j]!r}, "
                    f"X_numerators / X_denominator is {expected[i, j]!r}",
                )
    else:
        assert x is not None
        if x.dtype.kind == "f":
            bad = np.argwhere(~np.isfinite(x))
            if bad.size:
                i, j = bad[0]
                raise FormatError(
                    source, None, f"array 'X': X[{i}, {j}] (row {i}, column {j}) is {x[i, j]}; coordinates must be finite"
                )
            nums, den = _exact_from_floats(x.astype(np.float64))
        elif x.dtype.kind == "u" and x.size and int(x.max()) >= 2**63:
            nums, den = np.array(x.tolist(), dtype=object).reshape(x.shape), 1
        else:
            nums, den = x.astype(np.int64), 1
    if nums.shape[0] != labels.shape[0]:
        raise FormatError(
            source, None, f"array 'y' has {labels.shape[0]} labels but there are {nums.shape[0]} points"
        )
    metadata: Any = {}
    if "metadata" in arrays:
        meta = arrays["metadata"]
        if meta.dtype.kind != "U" or meta.size != 1:
            raise FormatError(source, None, f"array 'metadata' must be one JSON string, got {meta.dtype} {meta.shape}")
        try:
            metadata = json.loads(str(meta.reshape(()).item()))
        except (ValueError, RecursionError) as exc:
            raise FormatError(source, None, f"array 'metadata' is not valid JSON: {exc}") from None
        if not isinstance(metadata, dict):
            raise FormatError(source, None, f"array 'metadata' must be a JSON object, got {type(metadata).__name__}")
    return _build(lambda: TrainingSet(nums, labels, den, metadata), source)


# ---------------------------------------------------------------------------
# training sets (.csv)
# ---------------------------------------------------------------------------

CSV_DELIMITERS = (",", ";", "\t")
"""The delimiters :func:`parse_csv` recognises, in order of preference when a sample fits several."""

_CSV_METADATA = "# trainhard-metadata:"
_CSV_MEMORY_PER_BYTE = 32
"""Peak bytes of memory per byte of CSV text while it is parsed.

Measured with :mod:`tracemalloc`: 17 for one-digit fields, 14 for 6-place
decimals; twice that leaves room for longer rows and big integers.
"""
_CSV_MAX_EXPONENT = 1000
_CSV_SNIFF_LINES = 20
_CSV_LABELS_SHOWN = 8
_CSV_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?\Z")
_CSV_SLASH = re.compile(r"([+-]?[0-9]+)/([0-9]+)\Z")
_CSV_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+\Z")
_CSV_NON_FINITE = frozenset(s + w for s in ("", "+", "-") for w in ("nan", "inf", "infinity"))
_CSV_MISSING = frozenset({"", "na", "n/a", "null", "none", "?"})
_CSV_BOOLEANS = {"false": 0, "true": 1}
_CSV_LABELS = {**_CSV_BOOLEANS, "0": 0, "1": 1}

ColumnKey = str | int
"""A CSV column: a header name, or a 0-based index (negative: from the end)."""


def _csv_number(field: str) -> tuple[int, int]:
    """The exact value of one field as ``(numerator, denominator)``, not reduced.

    A field is an integer, a decimal (``-2.5``, ``1e-3``, ``.5``; the
    denominator a power of ten) or a fraction ``p/q``.

    Raises
    ------
    ValueError
        With a message for the user: a missing value, NaN or an infinity, a
        decimal comma, an exponent beyond ±1000, anything else that is not
        a number.
    """
    text = field.strip()
    match = _CSV_DECIMAL.match(text)
    if match and (match.group(2) or match.group(3)):
        sign, whole, fraction, exponent = match.groups()
        fraction = fraction or ""
        power = int(exponent or 0)
        if abs(power) > _CSV_MAX_EXPONENT:
            raise ValueError(f"{_quoted(text)}: its exponent is beyond ±{_CSV_MAX_EXPONENT}")
        mantissa = _from_decimal((whole or "0") + fraction) * (-1 if sign == "-" else 1)
        power -= len(fraction)
        return (mantissa * 10**power, 1) if power >= 0 else (mantissa, 10**-power)
    match = _CSV_SLASH.match(text)
    if match:
        denominator = _from_decimal(match.group(2))
        if denominator == 0:
            raise ValueError(f"{_quoted(text)} divides by zero")
        return _from_decimal(match.group(1)), denominator
    lower = text.lower()
    if not text:
        raise ValueError("empty field, a missing value")
    if lower in _CSV_NON_FINITE:
        raise ValueError(f"{_quoted(text)} is not a finite number")
    if lower in _CSV_MISSING:
        raise ValueError(f"{_quoted(text)} marks a missing value")
    if _CSV_DECIMAL_COMMA.match(text):
        raise ValueError(f"{_quoted(text)} is not a number; write decimals with a point, not a comma")
    raise ValueError(f"{_quoted(text)} is not a number")


def _csv_label(field: str) -> int:
    """A label: a number equal to 0 or 1, or ``true``/``false`` (any case); ValueError otherwise."""
    known = _CSV_LABELS.get(field.strip().lower())
    if known is not None:
        return known
    numerator, denominator = _csv_number(field)
    if numerator not in (0, denominator):
        raise ValueError(f"{_quoted(field.strip())} is not a label")
    return int(numerator == denominator)


def _quoted(text: str) -> str:
    """A field for a message, shortened when long."""
    return repr(text if len(text) <= 40 else f"{text[:30]}...")


def _is_value(field: str) -> bool:
    """Whether a field reads as a value (a number, a label word, NaN, a missing-value marker), not a name."""
    text = field.strip().lower()
    if text in _CSV_MISSING or text in _CSV_NON_FINITE or text in _CSV_BOOLEANS:
        return True
    match = _CSV_DECIMAL.match(text)
    return bool(match and (match.group(2) or match.group(3))) or bool(_CSV_SLASH.match(text))


def _is_fraction(field: str) -> bool:
    """Whether a field is a number that is no integer as written (``0.5``, ``1e-3``, ``1/3``): never a name."""
    text = field.strip()
    match = _CSV_DECIMAL.match(text)
    if match and (match.group(2) or match.group(3)):
        return bool((match.group(3) or "").strip("0")) or (match.group(4) or "0").startswith("-")
    return bool(_CSV_SLASH.match(text))


def _is_header(row: list[str]) -> bool:
    """The header rule of :func:`parse_csv`: some field is a name, and no field is a fraction."""
    return any(not _is_value(f) for f in row) and not any(_is_fraction(f) for f in row)


def _csv_lines(text: str, start: int = 0) -> Iterator[str]:
    """The lines of ``text`` from offset ``start``, split on ``\\n`` only, each with its ``\\n``."""
    end = len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            yield text[start:]
            return
        yield text[start : stop + 1]
        start = stop + 1


def _sniff_delimiter(text: str, start: int) -> str:
    """The delimiter of :data:`CSV_DELIMITERS` that splits the first lines into equally many fields.

    Among those that do, the one giving the most fields (ties: the order of
    :data:`CSV_DELIMITERS`); if none does, the one giving the first line the
    most fields; a file without any of them has one column (``","``).
    """
    sample = list(itertools.islice((line for line in _csv_lines(text, start) if line.strip()), _CSV_SNIFF_LINES))
    best: tuple[int, int, int] = (0, 0, 0)  # (consistent, fields, -preference)
    choice = CSV_DELIMITERS[0]
    for preference, delimiter in enumerate(CSV_DELIMITERS):
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=delimiter) if row]
        except csv.Error:
            counts = []
        if not counts or counts[0] < 2:
            continue
        key = (int(len(set(counts)) == 1), counts[0], -preference)
        if key > best:
            best, choice = key, delimiter
    return choice


def _records(text: str, start: int, offset: int, delimiter: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of every record that is not blank; ``line`` is where the record starts."""
    reader = csv.reader(_csv_lines(text, start), delimiter=delimiter, strict=True)
    while True:
        line = offset + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FormatError(source, line, _csv_error_text(str(exc))) from None
        if len(row) > 1 or (row and row[0].strip()):
            yield line, row


def _csv_error_text(message: str) -> str:
    """The csv module's complaint in the user's terms."""
    if "new-line character" in message:
        return "a carriage return inside a field (lines must end in \\n or \\r\\n)"
    if "end of data" in message:
        return "a quoted field that is never closed"
    if "expected after" in message:
        return f"text after the closing quote of a field ({message})"
    return f"malformed CSV: {message}"


def _csv_bytes(path: PathLike) -> bytes:
    """The bytes of a CSV file, refused up front when parsing them would not fit in memory."""
    source = str(path)
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise FormatError(source, None, "no such file") from None
    check_memory(size * _CSV_MEMORY_PER_BYTE, f"parsing a CSV file of {_bytes_text(size)}", source=source)
    return _read_bytes(path)


def _gunzip_bounded(data: bytes, source: str) -> bytes:
    """Gunzip ``data`` (layer after layer) without ever holding more text than memory can parse."""
    limit = max(available_memory() // _CSV_MEMORY_PER_BYTE, 1)
    while data.startswith(_GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                data = f.read(limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise FormatError(source, None, f"corrupt gzip data: {exc}") from None
        if len(data) > limit:
            check_memory(
                (limit + 1) * _CSV_MEMORY_PER_BYTE, f"parsing more than {_bytes_text(limit)} of CSV text", source=source
            )
    return data


class _Columns:
    """The columns of a CSV file: how many, their names (a header) or none, and how they are shown."""

    def __init__(self, row: list[str], header: bool, line: int, source: str) -> None:
        self.count = len(row)
        self.names = [field.strip() for field in row] if header else None
        self.line = line
        self.source = source

    def key(self, j: int) -> ColumnKey:
        """Column ``j`` as the metadata records it: its name, else its index."""
        return self.names[j] if self.names and self.names[j] else j

    def show(self, j: int) -> str:
        """Column ``j`` for a message: ``'petal width'`` or ``2``."""
        return repr(self.names[j]) if self.names and j < self.count and self.names[j] else str(j)

    def index(self, key: Any, role: str) -> int:
        """The index of ``key`` (a name, an ``int`` or a string of digits); FormatError at the header's line."""
        if isinstance(key, str) and self.names is not None and key.strip() in self.names:
            found = [j for j, name in enumerate(self.names) if name == key.strip()]
            if len(found) > 1:
                raise FormatError(
                    self.source, self.line,
                    f"{role}: {len(found)} columns are named {key.strip()!r} (indices {', '.join(map(str, found))}); "
                    "choose one by its index",
                )
            return found[0]
        if isinstance(key, str) and _INT_TOKEN.match(key.strip()):
            key = int(key)
        if isinstance(key, bool) or not isinstance(key, (int, np.integer)):
            if self.names is None:
                raise FormatError(
                    self.source, self.line,
                    f"{role}: {key!r} names a column, but the file has no header row (its first row holds values); "
                    "give a 0-based column index",
                )
            shown = ", ".join(repr(n) for n in self.names[:12]) + (", ..." if self.count > 12 else "")
            raise FormatError(self.source, self.line, f"{role}: no column {key!r}; the columns are {shown}")
        if not -self.count <= key < self.count:
            raise FormatError(
                self.source, self.line,
                f"{role}: column {key} is out of range; the file has {self.count} columns (0..{self.count - 1})",
            )
        return int(key) % self.count


def _csv_provenance(label: ColumnKey, columns: list[ColumnKey]) -> dict[str, Any]:
    """The metadata of a training set read from a CSV file without a metadata line."""
    return {"source": "csv", "label": label, "columns": columns}


def parse_csv(
    text: str | bytes,
    *,
    source: str = "<string>",
    label: ColumnKey | None = None,
    columns: Sequence[ColumnKey] | None = None,
) -> TrainingSet:
    """Parse a training set from CSV text: one point per row, the label in one column.

    * **Delimiter**: ``,``, ``;`` or tab, whichever splits the first lines
      into equally many fields (:data:`CSV_DELIMITERS`).  Fields may be
      quoted (``"..."``, a quote doubled inside); lines end in ``\\n`` or
      ``\\r\\n``; a UTF-8 byte-order mark is dropped; blank lines are
      skipped; bytes may be gzipped.
    * **Header**: the first row is a header when one of its fields is a
      name, not a value (a number, ``true``/``false``, a missing-value
      marker such as an empty field, ``NA`` or ``NaN``), and none of its
      fields is a fraction such as ``0.5`` (which no name is).  So a data row
      with one bad field is reported, not taken for a header, while pandas'
      integer column names (``,0,1,2,label``) still make a header.
    * **Columns** are numbered from 0, in messages too.  ``label`` and the
      entries of ``columns`` are header names or indices (negative: from
      the end; a string of digits that is no header name is an index).  The
      label defaults to the last column and the features to all other
      columns, in file order; columns not chosen are not read, so they may
      hold anything (an id, a species name).
    * **Features** are exact: integers, decimals (``-2.5``, ``1e-3``,
      ``.5``; exponents up to ±1000) and fractions ``p/q``, with optional
      surrounding spaces; ``"0.1"`` is exactly 1/10, not a float.
    * **Labels** are 0 and 1 (``1.0`` too) or ``true`` and ``false`` (any
      case).  Other values must be mapped to 0/1 before training.
    * **Metadata**: ``{"source": "csv", "label": L, "columns": [...]}``,
      names from the header (else indices).  A first line
      ``# trainhard-metadata: {...}`` (which :func:`format_csv` writes when
      a set's metadata is another) gives the metadata instead, and lets the
      file hold no rows or no feature column (an empty set written on
      purpose); without it, those are errors.

    Parameters
    ----------
    text : str or bytes
        The file's contents; bytes are UTF-8, possibly gzipped.
    source : str
        Name used in error messages.
    label : str or int, optional
        The label column (default: the last one).
    columns : sequence of str or int, optional
        The feature columns, in this order (default: every other column).

    Returns
    -------
    TrainingSet
        ``rows`` points in ``len(columns)`` dimensions.  Parsing takes time
        linear in the text (plus the exact arithmetic of the common
        denominator).

    Raises
    ------
    FormatError
        One error, with the line where the record starts and, for a field,
        ``(column NAME)``: a field that is empty, ``NA``, NaN, an infinity
        or not a number; a label other than 0/1 or true/false (the message
        lists the values found); a row with another number of fields than
        the first; a malformed quote; a label or feature column that does
        not exist or is named twice; no data rows; no feature column; more
        rows or columns than :data:`MAX_DECLARED_SIZE`; exact values that
        would not fit in memory (:func:`check_memory`).

    Examples
    --------
    >>> ts = parse_csv("x,y,label\\n0.1,-2,1\\n1e-3,3/4,false\\n")
    >>> ts.point(0), ts.labels.tolist()
    ((Fraction(1, 10), Fraction(-2, 1)), [1, 0])
    >>> ts.metadata
    {'source': 'csv', 'label': 'label', 'columns': ['x', 'y']}
    >>> parse_csv("x;y;label\\n1;NA;0\\n", source="d.csv")
    Traceback (most recent call last):
    ...
    reductions.errors.FormatError: d.csv:2: 'NA' marks a missing value (column 'y')
    """
    if not isinstance(text, str):
        text = _gunzip_bounded(bytes(text), source)
    text = _decode(text, source, "a CSV training set")
    start = offset = 0
    metadata: dict[str, Any] | None = None
    if text.startswith(_CSV_METADATA):
        start = text.find("\n") + 1 if "\n" in text else len(text)
        offset = 1
        metadata = _csv_metadata_line(text[len(_CSV_METADATA) : start], source)
    records = _records(text, start, offset, _sniff_delimiter(text, start), source)
    first = next(records, None)
    if first is None:
        raise FormatError(source, None, "no data rows (an empty file)")
    line, row = first
    check_declared_size(len(row), "columns", source=source, line=line)
    cols = _Columns(row, _is_header(row), line, source)
    label_j = cols.index(-1 if label is None else label, "label")
    if columns is None:
        features = [j for j in range(cols.count) if j != label_j]
    else:
        if isinstance(columns, (str, bytes)):
            raise FormatError(source, line, f"columns must be a list of column names or indices, got {columns!r}")
        features = [cols.index(key, "feature column") for key in columns]
        for j in features:
            if j == label_j:
                raise FormatError(source, line, f"column {cols.show(j)} is the label; it cannot also be a feature")
        if len(set(features)) != len(features):
            j = next(j for k, j in enumerate(features) if j in features[:k])
            raise FormatError(source, line, f"column {cols.show(j)} is chosen twice as a feature")
    if not features and metadata is None:
        if columns is not None:
            raise FormatError(source, line, "no feature column chosen")
        raise FormatError(
            source, line, "only one column, the label; no features (the delimiters read are ',', ';' and tab)"
        )
    numerators: list[int] = []  # row after row, not reduced
    denominators: list[int] = []
    labels: list[int] = []
    seen: dict[str, None] = {}  # the first distinct label fields, for a message
    data = records if cols.names is not None else itertools.chain([first], records)
    for line, row in data:
        if len(row) != cols.count:
            j = min(len(row), cols.count)
            what = "is missing" if len(row) < cols.count else "is extra"
            raise FormatError(
                source, line,
                f"{len(row)} fields, but the first row has {cols.count} (column {cols.show(j)} {what})",
            )
        for j in features:
            try:
                numerator, denominator = _csv_number(row[j])
            except ValueError as exc:
                raise FormatError(source, line, f"{exc} (column {cols.show(j)})") from None
            numerators.append(numerator)
            denominators.append(denominator)
        if len(seen) <= _CSV_LABELS_SHOWN:
            seen.setdefault(row[label_j].strip(), None)
        try:
            labels.append(_csv_label(row[label_j]))
        except ValueError:
            raise FormatError(
                source, line,
                f"label {_quoted(row[label_j].strip())} is not 0/1 or true/false; the column holds "
                f"{_label_values(seen, records, label_j)} (column {cols.show(label_j)})",
            ) from None
        if len(labels) > MAX_DECLARED_SIZE:
            check_declared_size(len(labels), "rows", source=source, line=line)
    if not labels and metadata is None:
        raise FormatError(source, cols.line, "a header but no data rows")
    if metadata is None:
        metadata = _csv_provenance(cols.key(label_j), [cols.key(j) for j in features])
    return _exact_training_set(numerators, denominators, labels, len(features), metadata, source)


def _label_values(seen: dict[str, None], records: Iterator[tuple[int, list[str]]], j: int) -> str:
    """The distinct values of label column ``j``: ``seen`` so far and those of the rest of ``records``."""
    for _, row in records:
        if len(seen) > _CSV_LABELS_SHOWN:
            break
        if j < len(row):
            seen.setdefault(row[j].strip(), None)
    shown = [_quoted(v) for v in itertools.islice(seen, _CSV_LABELS_SHOWN)]
    return ", ".join(shown) + (", ..." if len(seen) > _CSV_LABELS_SHOWN else "")


def _csv_metadata_line(text: str, source: str) -> dict[str, Any]:
    """The JSON object of a ``# trainhard-metadata:`` line."""
    try:
        metadata = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FormatError(source, 1, f"the metadata line is not valid JSON: {exc}") from None
    if not isinstance(metadata, dict):
        raise FormatError(source, 1, f"the metadata line must hold a JSON object, got {type(metadata).__name__}")
    return metadata


def _exact_training_set(
    numerators: list[int], denominators: list[int], labels: list[int], dim: int, metadata: dict[str, Any], source: str
) -> TrainingSet:
    """The training set of the values ``numerators[i] / denominators[i]``, row after row.

    The common denominator is the smallest; the memory its numerators need
    is checked (:func:`check_memory`) before they are built.
    """
    common = 1
    for d in set(denominators):
        common = math.lcm(common, d)
    count = len(numerators)
    bits = max(map(abs, numerators), default=0).bit_length() + common.bit_length()
    check_memory(
        count * (64 + bits // 8),
        f"{count} exact coordinates of up to {bits} bits (a common denominator of {common.bit_length()} bits)",
        source=source,
    )
    scale = {d: common // d for d in set(denominators)}
    scaled = [n * scale[d] for n, d in zip(numerators, denominators)]
    divisor = math.gcd(common, *scaled)
    if divisor > 1:
        scaled = [n // divisor for n in scaled]
        common //= divisor
    small = max(map(abs, scaled), default=0) < 2**62  # TrainingSet.from_points' rule for int64
    nums = np.array(scaled, dtype=np.int64 if small else object).reshape(len(labels), dim)
    return _build(lambda: TrainingSet(nums, np.array(labels, dtype=np.uint8), common, metadata), source)


def read_csv(
    path: PathLike, *, label: ColumnKey | None = None, columns: Sequence[ColumnKey] | None = None
) -> TrainingSet:
    """Read a CSV training set (gzipped or not); see :func:`parse_csv`.

    The file's size is checked against memory (:func:`check_memory`) before
    a byte is read, and gzipped text is never decompressed beyond what can
    be parsed.
    """
    return parse_csv(_csv_bytes(path), source=str(path), label=label, columns=columns)


def _decimal_text(value: Fraction) -> str:
    """``value`` as an exact decimal (``-0.125``) when its denominator is ``2**a * 5**b``, else ``p/q``."""
    den = value.denominator
    twos = (den & -den).bit_length() - 1
    fives, rest = 0, den >> twos
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return _fraction_text(value)
    places = max(twos, fives)
    if places == 0:
        return _to_decimal(value.numerator)
    digits = _to_decimal(abs(value.numerator) * (10**places // den)).zfill(places + 1)
    return ("-" if value < 0 else "") + digits[:-places] + "." + digits[-places:]


def _csv_names(training_set: TrainingSet) -> tuple[list[str], str]:
    """Header names (features, label): the metadata's ``columns`` and ``label`` names, else ``x0, x1, ..., label``."""
    meta = training_set.metadata
    names, label = meta.get("columns"), meta.get("label")
    usable = isinstance(names, list) and len(names) == training_set.dim and all(
        isinstance(n, str) and n and n == n.strip() and "\n" not in n and "\r" not in n for n in [*names, label]
    )
    if usable and _is_header([*names, label]):
        return list(names), str(label)
    return [f"x{j}" for j in range(training_set.dim)], "label"


def format_csv(training_set: TrainingSet) -> str:
    """CSV text of a training set: a header, then one row per point, the label last.

    Values are exact: decimals where the denominator allows (``0.125``),
    else fractions ``p/q``.  The header names are the metadata's
    ``columns`` and ``label`` (which a set read from a CSV file records),
    else ``x0, x1, ..., label``.  A first line
    ``# trainhard-metadata: {...}`` keeps the metadata when it is not just
    that provenance (a reduction's ``hidden_units``, say) or when the set
    has no point or no dimension, so :func:`parse_csv` gives back an equal
    set (pandas reads the file with ``comment="#"``).

    Examples
    --------
    >>> ts = TrainingSet.from_points([["1/8", 2], ["1/3", 0]], [1, 0], metadata={"k": 2})
    >>> print(format_csv(ts), end="")
    # trainhard-metadata: {"k": 2}
    x0,x1,label
    0.125,2,1
    1/3,0,0
    >>> parse_csv(format_csv(ts)) == ts
    True
    """
    _check_type(training_set, (TrainingSet,), "<string>")
    names, label = _csv_names(training_set)
    out = io.StringIO()
    if (
        training_set.metadata != _csv_provenance(label, list(names))
        or training_set.num_points == 0 or training_set.dim == 0
    ):
        out.write(f"{_CSV_METADATA} {json.dumps(training_set.metadata, ensure_ascii=False)}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*names, label])
    den = training_set.denominator
    for point, y in zip(training_set.numerators, training_set.labels):
        writer.writerow([*(_decimal_text(Fraction(int(x), den)) for x in point), int(y)])
    return out.getvalue()


def write_csv(training_set: TrainingSet, path: PathLike) -> None:
    """Write a training set as CSV (see :func:`format_csv`); a name ending in ``.gz`` is gzipped."""
    _check_type(training_set, (TrainingSet,), path)
    _write_text(path, format_csv(training_set))


# ---------------------------------------------------------------------------
# threshold networks (JSON)
# ---------------------------------------------------------------------------


def _output_json(output: OutputFunction) -> dict[str, Any]:
    if output.name in OutputFunction.NAMES:
        try:
            if OutputFunction.named(output.name, output.arity).table == output.table:
                return {"name": output.name}
        except InvalidInstanceError:  # pragma: no cover - every arity has named functions
            pass
    return {"table": [int(b) for b in output.table]}


def network_to_json(network: ThresholdNetwork) -> dict[str, Any]:
    """The JSON object of a network; numbers are exact fractions as strings.

    Examples
    --------
    >>> net = ThresholdNetwork.from_numbers([[1, "-1/2"]], ["1/3"], "and")
    >>> network_to_json(net)["hidden"]
    [{'weights': ['1', '-1/2'], 'threshold': '1/3'}]
    >>> network_from_json(network_to_json(net)) == net
    True
    """
    _check_type(network, (ThresholdNetwork,), "<string>")
    return {
        "format": NETWORK_FORMAT,
        "version": NETWORK_VERSION,
        "hidden": [
            {"weights": [_fraction_text(w) for w in row], "threshold": _fraction_text(t)}
            for row, t in zip(network.weights, network.thresholds)
        ],
        "output": _output_json(network.output),
    }


def _json_loads(text: str | bytes, source: str, expected: str = "a JSON file") -> Any:
    text = _decode(text, source, expected)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(source, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise FormatError(source, None, "invalid JSON: nested too deeply") from None
    except ValueError as exc:  # an integer literal longer than Python's digit limit
        raise FormatError(source, None, f"invalid JSON: {exc}") from None


def _number(value: Any, where: str, source: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FormatError(source, None, f"{where} must be a number, got {json.dumps(value)}")
    match = _RATIONAL.match(value) if isinstance(value, str) else None
    if match:  # "p" or "p/q", parsed here so that any number of digits works
        denominator = _from_decimal(match.group(2)) if match.group(2) else 1
        if denominator:
            return Fraction(_from_decimal(match.group(1)), denominator)
    try:
        return as_exact(value, where)
    except InvalidInstanceError as exc:
        raise FormatError(source, None, str(exc)) from None


def _field(obj: Mapping[str, Any], key: str, kind: type, where: str, source: str) -> Any:
    if key not in obj:
        raise FormatError(source, None, f"{where} has no {key!r} key")
    value = obj[key]
    if not isinstance(value, kind):
        raise FormatError(source, None, f"{where}.{key} must be a JSON {_JSON_NAMES[kind]}, got {json.dumps(value)}")
    return value


_JSON_NAMES = {dict: "object", list: "array", str: "string"}
_MAX_OUTPUT_ARITY = 20  # OutputFunction's limit (reductions.problems), checked here before any table is built


def network_from_json(obj: Any, *, source: str = "<string>") -> ThresholdNetwork:
    """Build a network from its JSON object (or JSON text).

    Numbers may be JSON integers, strings ``"p/q"`` or decimals, or JSON
    floats (taken at their exact binary value); NaN and infinities are
    refused.  The output is ``{"name": "and" | "or" | "xor"}`` or
    ``{"table": [0, 1, ...]}`` with ``2**hidden_units`` entries.  Unknown keys
    are ignored.

    Raises
    ------
    FormatError
        Invalid JSON (with its line), a wrong ``"format"`` or ``"version"``, a
        missing key, a value that is not a number, hidden units of different
        lengths, more than 20 hidden units (the output function's limit), or
        an unknown or malformed output.
    """
    if isinstance(obj, (str, bytes, bytearray)):
        obj = _json_loads(obj, source, _NETWORK_FILE)
    if not isinstance(obj, dict):
        raise FormatError(source, None, f"a network is a JSON object, got {type(obj).__name__}")
    if obj.get("format") != NETWORK_FORMAT:
        raise FormatError(
            source, None, f"not a network file: 'format' is {json.dumps(obj.get('format'))}, expected {NETWORK_FORMAT!r}"
        )
    version = obj.get("version")
    if isinstance(version, bool) or version != NETWORK_VERSION or not isinstance(version, int):
        raise FormatError(source, None, f"unsupported version {json.dumps(version)}; this version reads {NETWORK_VERSION}")
    hidden = _field(obj, "hidden", list, "the network", source)
    weights: list[tuple[Fraction, ...]] = []
    thresholds: list[Fraction] = []
    for j, unit in enumerate(hidden):
        where = f"hidden[{j}]"
        if not isinstance(unit, dict):
            raise FormatError(source, None, f"{where} must be a JSON object, got {json.dumps(unit)}")
        row = _field(unit, "weights", list, where, source)
        if "threshold" not in unit:
            raise FormatError(source, None, f"{where} has no 'threshold' key")
        weights.append(tuple(_number(w, f"{where}.weights[{i}]", source) for i, w in enumerate(row)))
        thresholds.append(_number(unit["threshold"], f"{where}.threshold", source))
        if len(weights[-1]) != len(weights[0]):
            raise FormatError(
                source, None, f"{where}.weights has {len(weights[-1])} entries but hidden[0].weights has {len(weights[0])}"
            )
    output = _field(obj, "output", dict, "the network", source)
    k = len(weights)
    if k > _MAX_OUTPUT_ARITY:  # OutputFunction.named would build a 2**k table before refusing k
        raise FormatError(
            source, None, f"{k} hidden units; an output function takes at most {_MAX_OUTPUT_ARITY} inputs"
        )
    if ("name" in output) == ("table" in output):
        raise FormatError(source, None, "output must have exactly one of 'name' and 'table'")
    if "name" in output:
        name = output["name"]
        if name not in OutputFunction.NAMES:
            raise FormatError(
                source, None, f"unknown output {json.dumps(name)}; expected one of {', '.join(OutputFunction.NAMES)}"
            )
        function = _build(lambda: OutputFunction.named(name, k), source)
    else:
        table = output["table"]
        if not isinstance(table, list) or any(b not in (0, 1) or isinstance(b, float) for b in table):
            raise FormatError(source, None, f"output.table must be an array of 0s and 1s, got {json.dumps(table)}")
        if len(table) != 2**k:
            raise FormatError(
                source, None, f"output.table has {len(table)} entries; {k} hidden units need {2**k}"
            )
        function = _build(lambda: OutputFunction(k, tuple(bool(b) for b in table)), source)
    return _build(lambda: ThresholdNetwork(tuple(weights), tuple(thresholds), function), source)


_NETWORK_FILE = "a trainhard network JSON file"


def _expect_extension(path: PathLike, ext: str, expected: str) -> None:
    """Refuse a file whose extension names another of :data:`FORMATS` than ``ext``.

    A name with no known extension is read by content, as before.
    """
    try:
        found, fmt = format_of(path)
    except FormatError:
        return
    if found != ext:
        raise FormatError(str(path), None, f"expected {expected} ({ext}), got a {found} file ({fmt.description})")


def load_network(path: PathLike) -> ThresholdNetwork:
    """Read a network JSON file; see :func:`network_from_json`.

    Raises
    ------
    FormatError
        As :func:`network_from_json`; also for a file named as another
        format (``.npz``, ``.hgr``, ...) or holding binary data.
    """
    _expect_extension(path, ".json", _NETWORK_FILE)
    return network_from_json(_json_loads(_read_bytes(path), str(path), _NETWORK_FILE), source=str(path))


def _network_text(network: ThresholdNetwork) -> str:
    return json.dumps(network_to_json(network), indent=2) + "\n"


def save_network(network: ThresholdNetwork, path: PathLike) -> None:
    """Write a network as JSON (see :func:`network_to_json`)."""
    _check_type(network, (ThresholdNetwork,), path)
    _write_text(path, _network_text(network))


def _read_json(path: PathLike) -> ThresholdNetwork | LoadingInstance:
    """A ``.json`` file: a loading instance if its ``"format"`` says so, else a network."""
    source = str(path)
    text = _decode(_read_bytes(path), source, "a JSON file (a trainhard network or loading instance)")
    obj = _json_loads(text, source)
    if isinstance(obj, dict) and obj.get("format") == LOADING_FORMAT:
        return loading_from_text_obj(text, obj, source=source)
    return network_from_json(obj, source=source)


def _write_json(instance: ThresholdNetwork | LoadingInstance, path: PathLike) -> None:
    if isinstance(instance, LoadingInstance):
        _write_text(path, format_loading(instance))
    else:
        save_network(instance, path)


# ---------------------------------------------------------------------------
# dispatch by extension
# ---------------------------------------------------------------------------


class FileFormat(NamedTuple):
    """How one file extension is read and written."""

    reader: Callable[[PathLike], Any]
    """``reader(path) -> instance``."""
    writer: Callable[[Any, PathLike], None]
    """``writer(instance, path)``."""
    types: tuple[type, ...]
    """The types the writer accepts and the reader returns."""
    description: str
    """A few words for help texts."""


FORMATS: dict[str, FileFormat] = {
    ".cnf": FileFormat(read_cnf, write_cnf, (CNF,), "DIMACS CNF formula"),
    ".cnf.gz": FileFormat(read_cnf, write_cnf, (CNF,), "gzipped DIMACS CNF formula"),
    ".dimacs": FileFormat(read_cnf, write_cnf, (CNF,), "DIMACS CNF formula"),
    ".dimacs.gz": FileFormat(read_cnf, write_cnf, (CNF,), "gzipped DIMACS CNF formula"),
    ".nae": FileFormat(read_nae, write_nae, (NAEFormula,), "NAE-SAT formula in DIMACS CNF syntax"),
    ".nae.gz": FileFormat(read_nae, write_nae, (NAEFormula,), "gzipped NAE-SAT formula"),
    ".hgr": FileFormat(read_hgr, write_hgr, (Hypergraph,), "hMETIS hypergraph"),
    ".hgr.gz": FileFormat(read_hgr, write_hgr, (Hypergraph,), "gzipped hMETIS hypergraph"),
    ".col": FileFormat(read_col, write_col, (Graph,), "DIMACS graph (p edge)"),
    ".col.gz": FileFormat(read_col, write_col, (Graph,), "gzipped DIMACS graph"),
    ".npz": FileFormat(load_training_set, save_training_set, (TrainingSet,), "training set (numpy archive)"),
    ".csv": FileFormat(read_csv, write_csv, (TrainingSet,), "training set (CSV, label in the last column)"),
    ".csv.gz": FileFormat(read_csv, write_csv, (TrainingSet,), "gzipped CSV training set"),
    ".json": FileFormat(
        _read_json, _write_json, (ThresholdNetwork, LoadingInstance), "threshold network or loading instance (JSON)"
    ),
}
"""Every supported file extension: the single source of truth for readers, writers and help texts."""


def format_of(path: PathLike) -> tuple[str, FileFormat]:
    """The extension of ``path`` (longest match, case-insensitive) and its format.

    Examples
    --------
    >>> format_of("data/uf20-01.CNF.gz")[0]
    '.cnf.gz'
    """
    name = Path(path).name.lower()
    for ext in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return ext, FORMATS[ext]
    raise FormatError(
        str(path), None, f"unknown file extension; expected one of {', '.join(FORMATS)}"
    )


def read_instance(
    path: PathLike, *, label: ColumnKey | None = None, columns: Sequence[ColumnKey] | None = None
) -> Any:
    """Read any supported file, choosing the reader by the extension (see :data:`FORMATS`).

    Parameters
    ----------
    path : path
    label, columns : optional
        For CSV training sets only: the label column and the feature
        columns (see :func:`parse_csv`); by default the last column is the
        label and every other column a feature.

    Raises
    ------
    FormatError
        As the format's reader; also for ``label`` or ``columns`` given for
        a file that is not CSV.
    """
    ext, fmt = format_of(path)
    if label is None and columns is None:
        return fmt.reader(path)
    if fmt.reader is not read_csv:
        raise FormatError(
            str(path), None,
            f"a label or feature columns can be chosen in CSV files only, not in a {ext} file ({fmt.description})",
        )
    return read_csv(path, label=label, columns=columns)


def write_instance(instance: Any, path: PathLike) -> None:
    """Write ``instance`` in the format the extension of ``path`` names.

    Raises
    ------
    FormatError
        If the extension is unknown or does not hold this type of instance.
    """
    _, fmt = format_of(path)
    _check_type(instance, fmt.types, path)
    fmt.writer(instance, path)


def format_instance(instance: Any, *, comments: Iterable[str] = ()) -> str:
    """The text form of a CNF, NAE formula, hypergraph, graph or network.

    Training sets have no text form; save them to ``.npz``.
    """
    if isinstance(instance, ThresholdNetwork):
        return _network_text(instance)
    if isinstance(instance, LoadingInstance):
        return format_loading(instance)
    writers: dict[type, Callable[..., str]] = {
        CNF: format_cnf,
        NAEFormula: format_nae,
        Hypergraph: format_hgr,
        Graph: format_col,
    }
    for kind, writer in writers.items():
        if isinstance(instance, kind):
            return writer(instance, comments=comments)
    raise FormatError(
        "<string>", None, f"a {type(instance).__name__} has no text format; write it to a file ({', '.join(FORMATS)})"
    )
