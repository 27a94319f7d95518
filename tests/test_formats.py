"""File formats: round trips, deterministic bytes, and one test per malformed input."""

from __future__ import annotations

import gzip
import io
import json
import math
import struct
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reductions import formats
from reductions.errors import FormatError
from reductions.formats import (
    FORMATS,
    format_cnf,
    format_instance,
    format_of,
    load_training_set,
    network_from_json,
    network_to_json,
    parse_cnf,
    parse_col,
    parse_hgr,
    read_cnf,
    read_instance,
    save_training_set,
    write_cnf,
    write_instance,
)
from reductions.problems import CNF, Graph, Hypergraph, NAEFormula, OutputFunction, ThresholdNetwork, TrainingSet

from reductions.strategies import cnfs, graphs, hypergraphs, nae_formulas, networks, training_sets

# tmp_path is shared by the examples of one test; every example overwrites its file.
files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


# ---------------------------------------------------------------------------
# round trips
# ---------------------------------------------------------------------------


@files
@given(cnf=cnfs(), ext=st.sampled_from([".cnf", ".cnf.gz", ".dimacs", ".dimacs.gz"]))
def test_cnf_round_trip(tmp_path, cnf, ext):
    path = tmp_path / f"f{ext}"
    write_instance(cnf, path)
    assert read_instance(path) == cnf
    assert parse_cnf(format_cnf(cnf, comments=["a\nb", ""])) == cnf
    assert path.read_bytes().startswith(b"\x1f\x8b") == ext.endswith(".gz")


@files
@given(formula=nae_formulas(), ext=st.sampled_from([".nae", ".nae.gz"]))
def test_nae_round_trip(tmp_path, formula, ext):
    path = tmp_path / f"f{ext}"
    write_instance(formula, path)
    assert read_instance(path) == formula


@files
@given(hypergraph=hypergraphs(), ext=st.sampled_from([".hgr", ".hgr.gz"]))
def test_hypergraph_round_trip(tmp_path, hypergraph, ext):
    path = tmp_path / f"h{ext}"
    write_instance(hypergraph, path)
    assert read_instance(path) == hypergraph
    assert parse_hgr(formats.format_hgr(hypergraph, comments=["note"])) == hypergraph


@files
@given(graph=graphs(), ext=st.sampled_from([".col", ".col.gz"]))
def test_graph_round_trip(tmp_path, graph, ext):
    path = tmp_path / f"g{ext}"
    write_instance(graph, path)
    assert read_instance(path) == graph
    assert parse_col(formats.format_col(graph, comments=["note"])) == graph


@pytest.mark.parametrize("kind", ["integer", "rational", "bigint"])
@files
@given(data=st.data())
def test_training_set_round_trip(tmp_path, kind, data):
    ts = data.draw(training_sets(kind=kind))
    path = tmp_path / "t.npz"
    write_instance(ts, path)
    back = read_instance(path)
    assert back == ts
    with np.load(path, allow_pickle=False) as npz:  # plain numpy users can read it
        assert npz["X"].dtype == np.float64 and npz["y"].dtype == np.uint8
        assert npz["X"].shape == ts.numerators.shape
        assert json.loads(str(npz["metadata"])) == ts.metadata
        assert int(npz["format_version"]) == 1
        if kind != "bigint":
            np.testing.assert_array_equal(npz["X"], ts.to_float())


@files
@given(network=networks())
def test_network_round_trip(tmp_path, network):
    path = tmp_path / "n.json"
    write_instance(network, path)
    assert read_instance(path) == network
    assert network_from_json(json.loads(json.dumps(network_to_json(network)))) == network
    assert network_from_json(format_instance(network)) == network


@files
@given(instance=st.one_of(cnfs(), nae_formulas(), hypergraphs(), graphs(), training_sets(), networks()),
       data=st.data())
def test_writers_are_deterministic(tmp_path, instance, data):
    ext = data.draw(st.sampled_from([e for e, fmt in FORMATS.items() if isinstance(instance, fmt.types)]))
    a, b = tmp_path / f"a{ext}", tmp_path / f"b{ext}"
    write_instance(instance, a)
    write_instance(instance, b)
    assert a.read_bytes() == b.read_bytes()


# ---------------------------------------------------------------------------
# reading what others write
# ---------------------------------------------------------------------------


def test_cnf_dialects():
    satlib = "c SATLIB\np cnf 3 2\n 1 -3 0\n2 3 -1 0\n%\n0\n\n"
    assert parse_cnf(satlib) == CNF(3, [(1, -3), (2, 3, -1)])
    spanning = "p  cnf  3  3\r\n1\r\n-2 0 3 0\n\tc comment\n0\n"
    assert parse_cnf(spanning) == CNF(3, [(1, -2), (3,), ()])
    assert parse_cnf("\ufeffp cnf 0 0\n") == CNF(0, [])
    assert parse_cnf(b"p cnf 1 1\n+1 0\n") == CNF(1, [(1,)])


def test_gzip_is_recognised_by_content(tmp_path):
    path = tmp_path / "plain-name.cnf"
    path.write_bytes(gzip.compress(b"p cnf 2 1\n1 -2 0\n"))
    assert read_cnf(path) == CNF(2, [(1, -2)])
    plain = tmp_path / "not-zipped.cnf.gz"
    plain.write_text("p cnf 1 1\n1 0\n")
    assert read_cnf(plain) == CNF(1, [(1,)])


def test_weighted_hmetis_files_are_read_without_weights():
    assert parse_hgr("2 3 1\n5 1 2\n7 2 3\n") == Hypergraph(3, [(0, 1), (1, 2)])
    assert parse_hgr("1 3 10\n1 2 3\n4\n5\n6\n") == Hypergraph(3, [(0, 1, 2)])
    assert parse_hgr("% c\n1 2 11\n% c\n3 1 2\n1\n1\n\n") == Hypergraph(2, [(0, 1)])


def test_col_accepts_p_col_and_keeps_parallel_edges():
    assert parse_col("p col 3 2\ne 1 2\ne 2 1\n") == Graph(3, [(0, 1), (1, 0)])


def test_plain_npz_with_floats_is_read_exactly(tmp_path):
    path = tmp_path / "user.npz"
    np.savez(path, X=np.array([[0.5, 0.25], [1.0, -3.0], [0.1, 0.0]]), y=np.array([1.0, 0.0, 1.0]))
    ts = load_training_set(path)
    assert ts == TrainingSet.from_points([[0.5, 0.25], [1.0, -3.0], [0.1, 0.0]], [1, 0, 1])
    assert ts.point(2)[0] == Fraction(0.1)


def test_plain_npz_with_integers_and_bools(tmp_path):
    path = tmp_path / "user.npz"
    np.savez(path, X=np.array([[1, 2], [3, 4]], dtype=np.int32), y=np.array([True, False]))
    assert load_training_set(path) == TrainingSet(np.array([[1, 2], [3, 4]]), np.array([1, 0]))
    np.savez(path, X=np.array([[2**64 - 1]], dtype=np.uint64), y=np.array([1]))
    assert load_training_set(path).numerators[0, 0] == 2**64 - 1


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=4),
                  elements=st.floats(allow_nan=False, allow_infinity=False)))
def test_floats_convert_exactly_with_the_smallest_denominator(x):
    numerators, denominator = formats._exact_from_floats(x)
    exact = [Fraction(float(v)) for v in x.flat]
    assert denominator == math.lcm(1, *(f.denominator for f in exact))
    assert [Fraction(int(n), denominator) for n in numerators.flat] == exact
    assert numerators.shape == x.shape


def test_network_numbers_in_any_exact_form():
    obj = {
        "format": "trainhard-network",
        "version": 1,
        "hidden": [{"weights": [1, "-1/2", 0.25, "1.5"], "threshold": "0"}],
        "output": {"table": [0, 1]},
        "comment": "unknown keys are ignored",
    }
    net = network_from_json(obj)
    assert net.weights == ((1, Fraction(-1, 2), Fraction(1, 4), Fraction(3, 2)),)
    assert net.output == OutputFunction(1, (False, True))


def test_integers_beyond_python_digit_limit(tmp_path):
    huge = 7**9000  # 7606 digits; str() and int() refuse more than 4300 at once
    ts = TrainingSet(np.array([[huge, -huge, 1]], dtype=object), np.array([1]), huge + 2)
    save_training_set(ts, tmp_path / "t.npz")
    assert load_training_set(tmp_path / "t.npz") == ts
    net = ThresholdNetwork(((Fraction(-huge, 3),),), (Fraction(1, huge),), OutputFunction.named("or", 1))
    write_instance(net, tmp_path / "n.json")
    assert read_instance(tmp_path / "n.json") == net
    digits = formats._to_decimal(huge)
    with pytest.raises(FormatError, match=r"^<string>:1: 7\d+\.\.\.\d+ \(7606 digits\) variables: more than"):
        parse_cnf(f"p cnf {digits} 1\n-{digits} 0\n")  # a header no real file has (MAX_DECLARED_SIZE)
    with pytest.raises(FormatError, match=r"^<string>:2: literal 7\d+\.\.\.\d+ \(7606 digits\) is out of range"):
        parse_cnf(f"p cnf 1 1\n{digits} 0\n")
    with pytest.raises(FormatError, match="^<string>: invalid JSON: Exceeds the limit"):
        network_from_json("[" + "9" * 5000 + "]")


def test_named_output_with_a_foreign_table_is_written_as_a_table():
    odd = OutputFunction(1, (True, False), name="and")
    net = ThresholdNetwork(((Fraction(1),),), (Fraction(0),), odd)
    assert network_to_json(net)["output"] == {"table": [1, 0]}


def test_dispatch_by_extension(tmp_path):
    assert format_of("x/y.HGR")[0] == ".hgr"
    assert format_of(Path("a.cnf.gz"))[1] is FORMATS[".cnf.gz"]
    with pytest.raises(FormatError, match=r"^f\.txt: unknown file extension; expected one of \.cnf"):
        read_instance("f.txt")
    with pytest.raises(FormatError, match="unknown file extension"):
        format_of(".cnf")
    bad = tmp_path / "g.cnf"
    with pytest.raises(FormatError, match=r"cannot write a Graph.*a Graph goes to \.col, \.col\.gz"):
        write_instance(Graph(2, [(0, 1)]), bad)
    assert not bad.exists()
    with pytest.raises(FormatError, match="cannot write a NAEFormula.*goes to .nae"):
        write_cnf(NAEFormula(CNF(1, [])), bad)
    with pytest.raises(FormatError, match="no text format"):
        format_instance(TrainingSet.from_points([[0]], [0]))


def test_every_extension_has_a_round_trip(tmp_path):
    samples = [CNF(2, [(1, -2)]), NAEFormula(CNF(2, [(1, 2)])), Hypergraph(3, [(0, 1, 2)]), Graph(2, [(0, 1)]),
               TrainingSet.from_points([["1/3", 2]], [1], metadata={"k": 2}),
               ThresholdNetwork.from_numbers([[1, 2]], ["1/2"], "xor")]
    for ext, fmt in FORMATS.items():
        (instance,) = [s for s in samples if isinstance(s, fmt.types)]
        path = tmp_path / f"x{ext}"
        write_instance(instance, path)
        assert read_instance(path) == instance, ext
        assert fmt.description


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_missing_file(tmp_path, ext):
    path = tmp_path / f"absent{ext}"
    with pytest.raises(FormatError) as info:
        read_instance(path)
    assert str(info.value) == f"{path}: no such file"


def test_parsing_is_fast():
    import time

    rng = np.random.default_rng(0)
    lits = rng.integers(1, 401, size=(1700, 3)) * rng.choice([-1, 1], size=(1700, 3))
    text = "p cnf 400 1700\n" + "".join(f"{a} {b} {c} 0\n" for a, b, c in lits)
    start = time.perf_counter()
    assert parse_cnf(text).num_clauses == 1700
    assert time.perf_counter() - start < 0.5


def test_module_is_pure():
    code = "import reductions.formats, sys; print(sorted(m for m in ('torch', 'pysat') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# malformed input: the message names the file and the offending line
# ---------------------------------------------------------------------------


def check_error(path: Path, line: int | None, fragment: str) -> FormatError:
    with pytest.raises(FormatError) as info:
        read_instance(path)
    err = info.value
    assert isinstance(err, ValueError)
    prefix = f"{path}: " if line is None else f"{path}:{line}: "
    assert str(err).startswith(prefix), str(err)
    assert err.line == line and err.path == str(path)
    assert fragment in err.message, err.message
    return err


BAD_CNF = [
    ("empty", "", None, "missing 'p cnf' header (empty file)"),
    ("comments only", "c nothing\n\n", None, "missing 'p cnf' header"),
    ("no header", "c x\n1 -2 0\n", 2, "missing 'p cnf' header"),
    ("header after clauses", "c x\n1 -2 0\np cnf 2 1\n", 3, "must come before the clauses (first one on line 2)"),
    ("duplicate header", "p cnf 2 1\np cnf 2 1\n1 0\n", 2, "duplicate 'p cnf' header"),
    ("short header", "p cnf 2\n1 0\n", 1, "malformed header"),
    ("long header", "p cnf 2 1 0\n1 0\n", 1, "malformed header"),
    ("not cnf", "p edge 2 1\n1 0\n", 1, "malformed header"),
    ("no space", "pcnf 2 1\n1 0\n", 1, "malformed header"),
    ("header token", "p cnf two 1\n", 1, "expected an integer, got 'two'"),
    ("negative variables", "p cnf -2 0\n", 1, "number of variables must be >= 0"),
    ("negative clauses", "c\np cnf 2 -1\n", 2, "number of clauses must be >= 0"),
    ("too few clauses", "p cnf 2 3\n1 0\n2 0\n", 1, "declares 3 clauses but the file has 2"),
    ("too many clauses", "p cnf 2 1\n1 0\n-1\n2 0\n", 3, "more clauses than the 1"),
    ("letter", "p cnf 2 1\n1 x 0\n", 2, "expected an integer, got 'x'"),
    ("decimal", "p cnf 2 1\nc\n1.5 0\n", 3, "got '1.5'"),
    ("nan", "p cnf 2 1\nnan 0\n", 2, "got 'nan'"),
    ("underscore", "p cnf 20 1\n1_0 0\n", 2, "got '1_0'"),
    ("unicode digit", "p cnf 2 1\n\u0661 0\n", 2, "expected an integer"),
    ("huge literal", "p cnf 2 1\n" + "9" * 5000 + " 0\n", 2, "is out of range for 2 variables"),
    ("literal out of range", "p cnf 2 1\n1 -3 0\n", 2, "literal -3 is out of range for 2 variables"),
    ("no terminating 0", "p cnf 2 2\n1 0\n2\n-1\n", 3, "not terminated by 0"),
    ("cut by %", "p cnf 2 1\n1\n%\n0\n", 2, "not terminated by 0"),
]


@pytest.mark.parametrize("name, text, line, fragment", BAD_CNF, ids=[c[0] for c in BAD_CNF])
@pytest.mark.parametrize("gz", [False, True])
def test_bad_cnf(tmp_path, name, text, line, fragment, gz):
    path = tmp_path / ("bad.cnf.gz" if gz else "bad.cnf")
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    check_error(path, line, fragment)


BAD_BYTES = [
    (".cnf", b"p cnf 1 1\nc caf\xe9\n1 0\n", 2, "not UTF-8"),
    (".cnf", b"\x1f\x8bnot really gzip", None, "corrupt gzip data"),
    (".cnf.gz", gzip.compress(b"p cnf 1 1\n1 0\n")[:-6], None, "corrupt gzip data"),
    (".hgr", b"1 2\n1 2 \xff\n", 2, "not UTF-8"),
    (".col", b"\xc3(", 1, "not UTF-8"),
    (".json", b'{"format":\n"\xff"}', 2, "not UTF-8"),
]


@pytest.mark.parametrize("ext, data, line, fragment", BAD_BYTES)
def test_bad_bytes(tmp_path, ext, data, line, fragment):
    path = tmp_path / f"bad{ext}"
    path.write_bytes(data)
    check_error(path, line, fragment)


BAD_HGR = [
    ("empty", "", None, "missing 'EDGES VERTICES' header (empty file)"),
    ("comments only", "% nothing\n", None, "missing 'EDGES VERTICES' header"),
    ("short header", "% c\n2\n", 2, "malformed header"),
    ("long header", "1 2 0 4\n1 2\n", 1, "malformed header"),
    ("header token", "1 two\n1 2\n", 1, "expected an integer, got 'two'"),
    ("negative count", "-1 3\n", 1, "number of edges must be >= 0"),
    ("unknown fmt", "1 2 5\n1 2\n", 1, "unknown hMETIS fmt 5"),
    ("too few edges", "3 4\n1 2\n3 4\n", 1, "declares 3 edges but the file has 2"),
    ("too many edges", "1 4\n1 2\n3 4\n", 3, "more edges than the header declares"),
    ("vertex 0", "1 4\n0 2\n", 2, "vertex 0 is out of range 1..4"),
    ("vertex too large", "% c\n1 4\n1 5\n", 3, "vertex 5 is out of range 1..4"),
    ("letter", "1 4\n1 a\n", 2, "expected an integer, got 'a'"),
    ("decimal", "1 4\n1 2.0\n", 2, "got '2.0'"),
    ("repeated vertex", "1 4\n1 2 1\n", 2, "vertex 1 is repeated in edge 1"),
    ("empty edge line", "2 4\n1 2\n\n3 4\n", 3, "edge 2 is empty"),
    ("weight only", "1 3 1\n5\n", 2, "edge 1 is empty"),
    ("negative edge weight", "1 3 1\n-5 1 2\n", 2, "edge weight -5 is negative"),
    ("missing vertex weights", "1 3 10\n1 2\n1\n", 1, "declares 3 vertex weights but the file has 1"),
    ("bad vertex weight", "1 2 10\n1 2\n1 1\n1\n", 3, "expected the weight of vertex 1"),
    ("negative vertex weight", "1 2 10\n1 2\n1\n-1\n", 4, "vertex weight -1 is negative"),
    ("data after weights", "1 1 10\n1\n1\n7\n", 4, "more vertex weights than the header declares"),
]


@pytest.mark.parametrize("name, text, line, fragment", BAD_HGR, ids=[c[0] for c in BAD_HGR])
def test_bad_hgr(tmp_path, name, text, line, fragment):
    path = tmp_path / "bad.hgr"
    path.write_text(text)
    check_error(path, line, fragment)


BAD_COL = [
    ("empty", "", None, "missing 'p edge' header (empty file)"),
    ("no header", "c x\ne 1 2\n", 2, "missing 'p edge' header"),
    ("header after edges", "e 1 2\np edge 2 1\n", 2, "must come before the edges (first one on line 1)"),
    ("duplicate header", "p edge 2 1\np edge 2 1\ne 1 2\n", 2, "duplicate 'p edge' header"),
    ("short header", "p edge 3\n", 1, "malformed header"),
    ("unknown header", "p graph 3 1\n", 1, "malformed header"),
    ("header token", "p edge 3 x\n", 1, "expected an integer, got 'x'"),
    ("negative count", "p edge -3 0\n", 1, "number of vertices must be >= 0"),
    ("too few edges", "p edge 3 2\ne 1 2\n", 1, "declares 2 edges but the file has 1"),
    ("too many edges", "p edge 3 1\ne 1 2\nc\ne 2 3\n", 4, "more edges than the 1"),
    ("vertex too large", "p edge 3 1\ne 1 4\n", 2, "vertex 4 is out of range 1..3"),
    ("vertex 0", "p edge 3 1\ne 0 1\n", 2, "vertex 0 is out of range 1..3"),
    ("self-loop", "p edge 3 1\ne 3 3\n", 2, "self-loop on vertex 3"),
    ("letter", "p edge 3 1\ne 1 x\n", 2, "expected an integer, got 'x'"),
    ("short edge", "p edge 3 1\ne 1\n", 2, "malformed edge line"),
    ("unknown line", "p edge 3 0\nn 1 5\n", 2, "unknown line type 'n'"),
]


@pytest.mark.parametrize("name, text, line, fragment", BAD_COL, ids=[c[0] for c in BAD_COL])
def test_bad_col(tmp_path, name, text, line, fragment):
    path = tmp_path / "bad.col"
    path.write_text(text)
    check_error(path, line, fragment)


def network(**changes):
    obj = {
        "format": "trainhard-network",
        "version": 1,
        "hidden": [{"weights": ["1", "-1/2"], "threshold": "0"}, {"weights": [1, 2], "threshold": 0.5}],
        "output": {"name": "and"},
    }
    obj.update(changes)
    return json.dumps(obj, indent=1)


BAD_JSON = [
    ("invalid JSON", '{\n "format": \n}', 3, "invalid JSON: Expecting value"),
    ("empty", "", 1, "invalid JSON"),
    ("not an object", "[1, 2]", None, "a network is a JSON object"),
    ("wrong format", network(format="onnx"), None, "'format' is \"onnx\""),
    ("no format", '{"version": 1}', None, "not a network file"),
    ("wrong version", network(version=2), None, "unsupported version 2"),
    ("boolean version", network(version=True), None, "unsupported version true"),
    ("missing hidden", '{"format": "trainhard-network", "version": 1}', None, "has no 'hidden' key"),
    ("hidden not a list", network(hidden={}), None, "hidden must be a JSON array"),
    ("unit not an object", network(hidden=[1]), None, "hidden[0] must be a JSON object"),
    ("missing weights", network(hidden=[{"threshold": 0}]), None, "hidden[0] has no 'weights' key"),
    ("missing threshold", network(hidden=[{"weights": [1]}]), None, "hidden[0] has no 'threshold' key"),
    ("non-numeric weight", network(hidden=[{"weights": ["abc"], "threshold": 0}]), None, "not a number: 'abc'"),
    ("null weight", network(hidden=[{"weights": [None], "threshold": 0}]), None, "must be a number, got null"),
    ("boolean weight", network(hidden=[{"weights": [True], "threshold": 0}]), None, "must be a number, got true"),
    ("NaN weight", network(hidden=[{"weights": [float("nan")], "threshold": 0}]), None, "must be finite"),
    ("NaN string", network(hidden=[{"weights": ["nan"], "threshold": 0}]), None, "not a number"),
    ("zero denominator", network(hidden=[{"weights": ["1/0"], "threshold": 0}]), None, "not a number"),
    ("infinite threshold", '{"format": "trainhard-network", "version": 1, "hidden": [{"weights": [], '
     '"threshold": Infinity}], "output": {"name": "or"}}', None, "must be finite"),
    ("mismatched lengths", network(hidden=[{"weights": [1, 2], "threshold": 0}, {"weights": [1], "threshold": 0}]),
     None, "hidden[1].weights has 1 entries but hidden[0].weights has 2"),
    ("missing output", '{"format": "trainhard-network", "version": 1, "hidden": []}', None, "has no 'output' key"),
    ("unknown output", network(output={"name": "nand"}), None, "unknown output \"nand\""),
    ("name and table", network(output={"name": "and", "table": [0, 0, 0, 1]}), None, "exactly one of"),
    ("short table", network(output={"table": [0, 1]}), None, "output.table has 2 entries; 2 hidden units need 4"),
    ("bad table entry", network(output={"table": [0, 2, 0, 1]}), None, "array of 0s and 1s"),
]


@pytest.mark.parametrize("name, text, line, fragment", BAD_JSON, ids=[c[0] for c in BAD_JSON])
def test_bad_network(tmp_path, name, text, line, fragment):
    path = tmp_path / "bad.json"
    path.write_text(text)
    check_error(path, line, fragment)
    if line is None:
        with pytest.raises(FormatError, match="^<string>: "):
            network_from_json(json.loads(text))


def test_the_sample_network_is_valid():
    assert network_from_json(network()).output.name == "and"


def npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


NAN = float("nan")
BAD_NPZ = [
    ("not a zip", b"X,y\n1,0\n", "expected an .npz training set (a zip archive), got a text file"),
    ("a .npy file", b"\x93NUMPY", "expected an .npz training set (a zip archive), got a numpy .npy array"),
    ("truncated zip", npz_bytes(X=np.zeros((3, 2)), y=np.zeros(3))[:150], "corrupt .npz archive"),
    ("missing X", npz_bytes(y=np.zeros(3)), "missing array 'X'"),
    ("missing y", npz_bytes(X=np.zeros((3, 2))), "missing array 'y'"),
    ("X 1-D", npz_bytes(X=np.zeros(3), y=np.zeros(3)), "array 'X' must be 2-D"),
    ("X strings", npz_bytes(X=np.array([["a"]]), y=np.zeros(1)), "array 'X' must hold numbers"),
    ("y 2-D", npz_bytes(X=np.zeros((3, 2)), y=np.zeros((3, 1))), "array 'y' must be 1-D"),
    ("y too short", npz_bytes(X=np.zeros((3, 2)), y=np.zeros(2)), "array 'y' has 2 labels but there are 3 points"),
    ("NaN in X", npz_bytes(X=np.array([[0, 1], [NAN, 0]]), y=np.zeros(2)), "X[1, 0] (row 1, column 0) is nan"),
    ("inf in X", npz_bytes(X=np.array([[0, -np.inf]]), y=np.zeros(1)), "X[0, 1] (row 0, column 1) is -inf"),
    ("NaN in y", npz_bytes(X=np.zeros((2, 1)), y=np.array([0, NAN])), "y[1] is nan"),
    ("label 2", npz_bytes(X=np.zeros((2, 1)), y=np.array([2, 0])), "y[0] is 2; labels must be 0 or 1"),
    ("label 0.5", npz_bytes(X=np.zeros((2, 1)), y=np.array([1, 0.5])), "y[1] is 0.5"),
    ("string labels", npz_bytes(X=np.zeros((1, 1)), y=np.array(["1"])), "array 'y' must hold 0/1 labels"),
    ("pickled objects", npz_bytes(X=np.array([[1]], dtype=object), y=np.zeros(1)), "array 'X' holds pickled"),
    ("disagree", npz_bytes(X=np.array([[0.5]]), y=np.zeros(1), X_numerators=np.array([[1]]),
                           X_denominator=np.array(3)), "X and X_numerators disagree at X[0, 0]"),
    ("disagree NaN", npz_bytes(X=np.array([[NAN]]), y=np.zeros(1), X_numerators=np.array([[1]])),
     "X and X_numerators disagree"),
    ("shapes disagree", npz_bytes(X=np.zeros((1, 2)), y=np.zeros(1), X_numerators=np.zeros((1, 1), dtype=int)),
     "X and X_numerators disagree: shapes"),
    ("numerator text", npz_bytes(X_numerators=np.array([["12", "1x"]]), y=np.zeros(1)),
     "X_numerators[0, 1] is '1x', not an integer"),
    ("float numerators", npz_bytes(X_numerators=np.array([[1.0]]), y=np.zeros(1)), "must hold integers"),
    ("zero denominator", npz_bytes(X_numerators=np.array([[1]]), X_denominator=np.array(0), y=np.zeros(1)),
     "'X_denominator' must be positive"),
    ("two denominators", npz_bytes(X_numerators=np.array([[1]]), X_denominator=np.array([2, 3]), y=np.zeros(1)),
     "'X_denominator' must hold one integer"),
    ("metadata not JSON", npz_bytes(X=np.zeros((1, 1)), y=np.zeros(1), metadata=np.array("{oops")),
     "array 'metadata' is not valid JSON"),
    ("metadata a list", npz_bytes(X=np.zeros((1, 1)), y=np.zeros(1), metadata=np.array("[1]")),
     "must be a JSON object"),
    ("future version", npz_bytes(X=np.zeros((1, 1)), y=np.zeros(1), format_version=np.array(2)),
     "unsupported format_version 2"),
]


@pytest.mark.parametrize("name, data, fragment", BAD_NPZ, ids=[c[0] for c in BAD_NPZ])
def test_bad_npz(tmp_path, name, data, fragment):
    path = tmp_path / "bad.npz"
    path.write_bytes(data)
    check_error(path, None, fragment)


def test_corrupt_member_of_npz(tmp_path):
    path = tmp_path / "bad.npz"
    save_training_set(TrainingSet.from_points([[0, "1/2"], [1, 1]], [0, 1]), path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo("X_numerators.npy").header_offset
    name_length, extra_length = struct.unpack("<HH", data[offset + 26 : offset + 30])
    data[offset + 30 + name_length + extra_length + 3] ^= 0xFF
    path.write_bytes(bytes(data))
    check_error(path, None, "array 'X_numerators' cannot be read")


# ---------------------------------------------------------------------------
# fuzzing: anything malformed is a FormatError, never another exception
# ---------------------------------------------------------------------------

TOKENS = ["p", "cnf", "edge", "col", "c", "e", "%", "0", "1", "2", "3", "-1", "-2", "10", "11", "x", "1.5",
          "nan", "-", "+1", "\u0661", "1_0", "99999999999999999999"]
text_files = st.lists(
    st.lists(st.sampled_from(TOKENS), max_size=5).map(" ".join), max_size=8
).map("\n".join) | st.text(max_size=40)


@pytest.mark.parametrize("parse", [parse_cnf, parse_hgr, parse_col, network_from_json])
@given(text=text_files)
def test_parsers_raise_only_format_errors(parse, text):
    try:
        parse(text, source="fuzz")
    except FormatError as err:
        assert str(err).startswith("fuzz")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["format", "version", "hidden", "weights", "threshold", "output", "name", "table"]), inner,
        max_size=4),
    max_leaves=12,
)


@given(obj=json_values, hidden=st.lists(json_values, max_size=2), output=json_values)
def test_network_reader_raises_only_format_errors(obj, hidden, output):
    for candidate in (obj, {"format": "trainhard-network", "version": 1, "hidden": hidden, "output": output}):
        try:
            network_from_json(candidate)
        except FormatError:
            pass


numeric_arrays = hnp.arrays(
    st.sampled_from([np.float64, np.int64, np.uint8, np.bool_, np.float32]),
    hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
)


@files
@given(x=numeric_arrays, y=numeric_arrays, extra=st.dictionaries(
    st.sampled_from(["X_numerators", "X_denominator", "format_version"]), numeric_arrays, max_size=2))
def test_npz_reader_raises_only_format_errors(tmp_path, x, y, extra):
    path = tmp_path / "fuzz.npz"
    np.savez(path, X=x, y=y, **extra)
    try:
        load_training_set(path)
    except FormatError as err:
        assert err.line is None and str(err).startswith(f"{path}: ")


@files
@given(cut=st.integers(0, 2000), flip=st.integers(0, 2000))
def test_damaged_npz_raises_only_format_errors(tmp_path, cut, flip):
    path = tmp_path / "damaged.npz"
    save_training_set(TrainingSet.from_points([[0, "1/2"], [1, 1]], [0, 1], metadata={"a": 1}), path)
    data = bytearray(path.read_bytes())
    data = data[: max(cut, 2)] if cut < len(data) else data
    if flip < len(data):
        data[flip] ^= 0x5A
    path.write_bytes(bytes(data))
    try:
        load_training_set(path)
    except FormatError:
        pass
