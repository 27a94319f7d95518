"""The results store of a sweep: one embedded SQLite database, nothing lost.

Every finished task is one row, committed as it completes, keyed by
``(instance_hash, solver_key, seed)``: the instance's content hash, the hash
of the solver's configuration (kind and options; not its label and not the
time limit) and the instance seed.  The database runs in write-ahead-log
mode with ``synchronous=FULL``: a committed row survives the writing process
being killed at any moment (SIGKILL included), and a reader never sees a
half-written row.  ``tests/test_sweep.py`` kills real sweep processes to
check this.

Re-running a sweep skips every key already present with a final status
(``SAT``, ``UNSAT``, ``UNKNOWN``); rows with status ``ERROR`` (a crashed
worker, a bug) are retried, and so are ``UNKNOWN`` rows when asked
(``retry_unknown``).

The columns are listed in :data:`COLUMNS`, with their SQL types; the store
refuses a database written by another schema version rather than guessing.

Examples
--------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "r.sqlite")
>>> with ResultsStore(path) as store:
...     store.write({"instance_hash": "ab", "solver_key": "cd", "seed": 1, "status": "SAT"})
...     sorted(store.finished_keys())
[('ab', 'cd', 1)]
>>> with ResultsStore(path, readonly=True) as store:
...     [row["status"] for row in store.rows()]
['SAT']
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from reductions.errors import InvalidInstanceError, TrainhardError

__all__ = ["COLUMNS", "KEY", "FINAL_STATUSES", "SCHEMA_VERSION", "ResultsStore", "StoreError", "export", "read_rows"]

SCHEMA_VERSION = 1

COLUMNS: dict[str, str] = {
    # the key
    "instance_hash": "TEXT NOT NULL",  # SHA-256 of the source text, reduction and its parameters
    "solver_key": "TEXT NOT NULL",  # SHA-256 of the solver's kind and options
    "seed": "INTEGER NOT NULL",  # the instance seed (derived from the sweep seed and the cell)
    # the instance
    "sweep": "TEXT",  # the sweep's name
    "family": "TEXT",  # the [[families]] label: the generator's name (+ " via REDUCTION" when one is named)
    "n": "INTEGER",  # vertices / variables
    "density": "REAL",  # edges (clauses) per vertex (variable)
    "replicate": "INTEGER",  # index of the instance within its (family, n, density) cell
    "source_kind": "TEXT",  # hypergraph, cnf, graph, ...
    "source_hash": "TEXT",  # SHA-256 of the source's text alone
    "reduction": "TEXT",
    "reduction_params": "TEXT",  # JSON
    "num_points": "INTEGER",  # points of the training set (pairs of a loading instance)
    "dim": "INTEGER",  # dimension of the training set (nodes of a loading architecture)
    # the solver
    "solver": "TEXT",  # the label given in the sweep configuration
    "solver_kind": "TEXT",  # sat, exact, gd (solvers.experiments.sweep.SOLVER_KINDS)
    "solver_options": "TEXT",  # JSON, canonical
    "solver_version": "TEXT",  # e.g. "cadical195 (CaDiCaL 1.9.5) via python-sat 1.9.dev24"
    # the outcome
    "status": "TEXT NOT NULL",  # SAT, UNSAT, UNKNOWN, ERROR
    "reason": "TEXT",  # why UNKNOWN or ERROR (time limit, killed, the error's message)
    "verified": "INTEGER",  # 1: the witness (network, colouring, model) passed its exact verifier
    "time_s": "REAL",  # the solver's own time
    "wall_s": "REAL",  # the task's wall time in its worker, reduction included
    "time_limit": "REAL",  # the task's hard limit in seconds
    # gradient descent (solver_kind = gd)
    "gd_restarts": "INTEGER",
    "gd_steps": "INTEGER",
    "gd_restarts_solved": "INTEGER",
    "gd_first_step": "INTEGER",  # steps to the first success (any restart)
    "gd_best_errors": "INTEGER",  # fewest misclassified points over restarts, counted exactly
    "restart_steps": "INTEGER",
    "min_errors": "INTEGER",  # the exact minimum number of errors, where the solver proved it
    # where and with what
    "trainhard_version": "TEXT",
    "python_version": "TEXT",
    "numpy_version": "TEXT",
    "pysat_version": "TEXT",
    "torch_version": "TEXT",
    "device": "TEXT",
    "host": "TEXT",
    "pid": "INTEGER",
    "finished_at": "TEXT",  # UTC, ISO 8601
    "extra": "TEXT",  # JSON: solver statistics
}
"""Every column of the ``results`` table, in order, with its SQL type."""

KEY = ("instance_hash", "solver_key", "seed")
"""The primary key: one row per instance, solver configuration and seed."""

FINAL_STATUSES = ("SAT", "UNSAT", "UNKNOWN")
"""Statuses that a re-run skips (``ERROR`` rows are retried)."""

_CREATE = (
    "CREATE TABLE IF NOT EXISTS results ("
    + ", ".join(f"{name} {sql}" for name, sql in COLUMNS.items())
    + ", PRIMARY KEY (" + ", ".join(KEY) + "))"
)


class StoreError(TrainhardError, ValueError):
    """The database cannot be used: not SQLite, another schema, unreadable."""


class ResultsStore:
    """A results database; a context manager.

    Parameters
    ----------
    path : str or Path
        The SQLite file; created (with its folder) unless ``readonly``.
    readonly : bool
        Open an existing database for reading only (plots, reports, export).
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.is_file():
            raise StoreError(f"{self.path}: no such results database")
        if not readonly:
            if self.path.exists() and not self.path.is_file():
                raise StoreError(f"{self.path}: not a file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            else:
                self._db = sqlite3.connect(self.path, timeout=30)
            self._db.row_factory = sqlite3.Row
            self._setup(readonly)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a trainhard results database ({error})") from None

    def _setup(self, readonly: bool) -> None:
        db = self._db
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if readonly:
            if "results" not in tables:
                raise StoreError(f"{self.path}: not a trainhard results database (no results table)")
        else:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            with db:
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                db.execute(_CREATE)
        has_meta = "meta" in tables or not readonly
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if has_meta else None
        if version is None or version[0] != str(SCHEMA_VERSION):
            found = "none" if version is None else version[0]
            raise StoreError(f"{self.path}: results schema version {found}, this trainhard reads version {SCHEMA_VERSION}")
        have = [row[1] for row in db.execute("PRAGMA table_info(results)")]
        if have != list(COLUMNS):
            raise StoreError(f"{self.path}: the results table has other columns than this trainhard writes")

    def __enter__(self) -> "ResultsStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (every row is already committed)."""
        self._db.close()

    def write(self, row: Mapping[str, Any]) -> None:
        """Commit one row now; it replaces a row with the same key.

        Unknown columns are refused (a typo would otherwise lose data);
        missing ones are NULL.  Mappings and lists are stored as JSON.
        """
        unknown = set(row) - set(COLUMNS)
        if unknown:
            raise InvalidInstanceError(f"unknown result columns: {', '.join(sorted(unknown))}")
        for name in KEY + ("status",):
            if row.get(name) is None:
                raise InvalidInstanceError(f"a result row needs {name}")
        values = [_sql_value(row.get(name)) for name in COLUMNS]
        try:
            with self._db:
                self._db.execute(f"INSERT OR REPLACE INTO results VALUES ({', '.join('?' * len(COLUMNS))})", values)
        except sqlite3.Error as error:  # disk full, locked for too long, read-only: say so, lose nothing committed
            raise StoreError(f"{self.path}: cannot write a result row ({error}); committed rows are kept") from None

    def finished_keys(self, *, retry_unknown: bool = False) -> set[tuple[str, str, int]]:
        """Keys a re-run skips: final statuses (without ``UNKNOWN`` when ``retry_unknown``)."""
        statuses = [s for s in FINAL_STATUSES if not (retry_unknown and s == "UNKNOWN")]
        query = f"SELECT {', '.join(KEY)} FROM results WHERE status IN ({', '.join('?' * len(statuses))})"
        return {(row[0], row[1], int(row[2])) for row in self._db.execute(query, statuses)}

    def rows(self, where: str = "", params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """Every row (optionally filtered by an SQL ``where`` clause) as a dict, in key order."""
        query = "SELECT * FROM results" + (f" WHERE {where}" if where else "") + " ORDER BY " + ", ".join(KEY)
        for row in self._db.execute(query, tuple(params)):
            yield dict(row)

    def count(self) -> int:
        """Number of rows."""
        return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``"ok"`` for a sound database."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])


def _sql_value(value: Any) -> Any:
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return value.item()
    return value


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Every row of the database at ``path``, read-only (for plots, reports, scripts)."""
    with ResultsStore(path, readonly=True) as store:
        return list(store.rows())


EXPORT_FORMATS = (".csv", ".parquet")


def export(db: str | Path, out: str | Path) -> int:
    """Write every row of ``db`` to ``out`` (``.csv`` or ``.parquet``, by extension); return the row count.

    The CSV has a header of :data:`COLUMNS`, NULL as an empty field.  Parquet
    needs ``pyarrow`` and keeps the SQL types (integers stay integers).
    Both are read by ``pandas.read_csv`` / ``pandas.read_parquet``.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise InvalidInstanceError(f"{out}: export writes .csv or .parquet, not {suffix or 'no extension'!r}")
    rows = read_rows(db)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    if suffix == ".csv":
        with tmp.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
    else:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InvalidInstanceError(f"{out}: Parquet export needs pyarrow (pip install pyarrow), or write .csv") from None
        types = {"TEXT": pa.string(), "INTEGER": pa.int64(), "REAL": pa.float64()}
        schema = pa.schema([(name, types[sql.split()[0]]) for name, sql in COLUMNS.items()])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
    tmp.replace(out)  # never a half-written export under the final name
    return len(rows)
