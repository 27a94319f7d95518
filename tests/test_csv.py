"""CSV training sets: exact values, headers, label columns, dialects, and one line per malformed file."""

from __future__ import annotations

import gzip
import math
import sys
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reductions import formats
from reductions.errors import FormatError
from reductions.formats import format_csv, parse_csv, read_csv, read_instance, write_instance
from reductions.problems import TrainingSet

from helpers import run_cli
from reductions.strategies import training_sets

files = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def real_data():
    """The module ``benchmarks/real_data.py`` (the benchmarks folder is not an installed package)."""
    root = str(Path(__file__).resolve().parent.parent)
    sys.path.insert(0, root)
    try:
        from benchmarks import real_data

        yield real_data
    finally:
        sys.path.remove(root)


def provenance(label, columns) -> dict:
    return {"source": "csv", "label": label, "columns": list(columns)}


# ---------------------------------------------------------------------------
# reading what users bring
# ---------------------------------------------------------------------------


def test_values_are_exact_rationals():
    ts = parse_csv("a,b,c,y\n0.1,1e-3,-2.5,1\n7,+.5,1/3,0\n-0,2E+2,5.,1\n")
    assert ts.point(0) == (Fraction(1, 10), Fraction(1, 1000), Fraction(-5, 2))
    assert ts.point(1) == (Fraction(7), Fraction(1, 2), Fraction(1, 3))
    assert ts.point(2) == (Fraction(0), Fraction(200), Fraction(5))
    assert ts == TrainingSet.from_points(
        [["0.1", "0.001", "-2.5"], [7, "1/2", "1/3"], [0, 200, 5]], [1, 0, 1], metadata=provenance("y", "abc")
    )


def test_header_or_not():
    with_header = parse_csv("x1,x2,label\n1,2,0\n3,4,1\n")
    assert with_header.metadata == provenance("label", ["x1", "x2"])
    without = parse_csv("1,2,0\n3,4,1\n")
    assert without.metadata == provenance(2, [0, 1])
    assert with_header.numerators.tolist() == without.numerators.tolist() == [[1, 2], [3, 4]]
    # pandas' integer column names make a header (a name and integers, no fraction)
    assert parse_csv(",0,1,label\n5,1,2,1\n").metadata == provenance("label", [0, "0", "1"])
    # a data row with a bad field is an error, not a header that silently eats a point
    with pytest.raises(FormatError, match=r"^<string>:1: 'abc' is not a number \(column 1\)"):
        parse_csv("0.5,abc,1\n0.25,3,0\n")


def test_label_and_columns_by_name_or_index():
    text = "id,a,b,y\n7,1,2,0\n8,3,4,1\n"
    by_name = parse_csv(text, label="y", columns=["b", "a"])
    assert by_name.numerators.tolist() == [[2, 1], [4, 3]]
    assert by_name.metadata == provenance("y", ["b", "a"])
    assert parse_csv(text, label=3, columns=[2, 1]).numerators.tolist() == [[2, 1], [4, 3]]
    assert parse_csv(text, label=-1, columns=["2", -3]).numerators.tolist() == [[2, 1], [4, 3]]
    first = parse_csv("0,1.5,2\n1,2.5,3\n", label=0)
    assert first.labels.tolist() == [0, 1] and first.metadata == provenance(0, [1, 2])
    assert parse_csv("1,1.5,2\n0,2.5,3\n", label="0", columns=["2"]).point(1) == (Fraction(3),)
    # columns not chosen are not read: they may hold anything
    assert parse_csv("species,x,y\nsetosa,1,1\n", columns=["x"]).point(0) == (Fraction(1),)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(delimiter):
    rows = [["name", "x", "y", "label"], ["a", "0.5", "-1", "1"], ["b", "2", "1/4", "0"]]
    text = "".join(delimiter.join(r) + "\n" for r in rows)
    ts = parse_csv(text, columns=["x", "y"])
    assert ts == TrainingSet.from_points([["0.5", -1], [2, "1/4"]], [1, 0], metadata=provenance("label", "xy"))


def test_semicolons_with_commas_inside_a_text_column():
    text = "who;x;label\nSmith, J;1;1\nDoe;2;0\n"
    assert parse_csv(text, columns=["x"]).numerators.tolist() == [[1], [2]]


def test_crlf_bom_quotes_blank_lines_spaces_and_booleans():
    text = '\ufeff"x, first";"y ""quoted""";label\r\n"1.5"; 2 ;TRUE\r\n\r\n  \r\n-1;"3";false\r\n0;0;1.0\r\n'
    ts = parse_csv(text.encode("utf-8"))
    assert ts.metadata == provenance("label", ["x, first", 'y "quoted"'])
    assert ts.point(0) == (Fraction(3, 2), Fraction(2))
    assert ts.labels.tolist() == [1, 0, 1]


def test_a_quoted_field_spanning_lines_keeps_later_line_numbers(tmp_path):
    text = 'note,x,y\n"two\nlines",1,0\nok,2,1\nok,zz,1\n'
    with pytest.raises(FormatError) as info:
        parse_csv(text, source="f.csv", columns=["x"])
    assert str(info.value) == "f.csv:5: 'zz' is not a number (column 'x')"
    with pytest.raises(FormatError) as info:  # a metadata line counts as a line
        parse_csv('# trainhard-metadata: {"k": 2}\nx,label\n\n1,0\n?,1\n', source="f.csv")
    assert str(info.value) == "f.csv:5: '?' marks a missing value (column 'x')"


def test_gzip_and_read_instance(tmp_path):
    text = b"a,b,y\n0.25,1,1\n1,0,0\n"
    (tmp_path / "d.csv.gz").write_bytes(gzip.compress(text))
    (tmp_path / "d.csv").write_bytes(text)
    expected = TrainingSet.from_points([["1/4", 1], [1, 0]], [1, 0], metadata=provenance("y", "ab"))
    assert read_instance(tmp_path / "d.csv.gz") == read_instance(tmp_path / "d.csv") == expected
    assert read_instance(tmp_path / "d.csv", label="b").labels.tolist() == [1, 0]
    assert read_instance(tmp_path / "d.csv", label=1, columns=[0]).point(0) == (Fraction(1, 4),)
    formats.save_training_set(expected, tmp_path / "d.npz")
    with pytest.raises(FormatError, match=r"d\.npz: a label or feature columns can be chosen in CSV files only"):
        read_instance(tmp_path / "d.npz", label="y")


# ---------------------------------------------------------------------------
# round trips
# ---------------------------------------------------------------------------


def _field(value: Fraction, style: int) -> str:
    """``value`` written in one of the ways a user's file may hold it: ``p/q``, a decimal, or ``m e-k``."""
    places = next((k for k in range(200) if (value * 10**k).denominator == 1), None)
    if places is None or style == 0:
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    mantissa = int(value * 10**places)
    if style == 1:
        with localcontext(Context(prec=400)):
            return format(Decimal(mantissa).scaleb(-places), "f")
    return f"{mantissa}e-{places}"


def same_points(a: TrainingSet, b: TrainingSet) -> bool:
    """Equal as sets of labelled points with metadata, whatever the common denominator is written as."""
    return (
        a.numerators.shape == b.numerators.shape and a.labels.tolist() == b.labels.tolist()
        and a.metadata == b.metadata and all(a.point(i) == b.point(i) for i in range(a.num_points))
    )


@given(
    data=st.data(),
    rows=st.integers(1, 6),
    dim=st.integers(1, 4),
    delimiter=st.sampled_from([",", ";", "\t"]),
    header=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_random_rational_matrices_read_back_exactly(data, rows, dim, delimiter, header, newline):
    values = st.fractions(min_value=-100, max_value=100, max_denominator=64) | st.sampled_from(
        [Fraction(1, 10), Fraction(-1, 1000), Fraction(10**30 + 1, 2**70)]
    )
    matrix = [[data.draw(values) for _ in range(dim)] for _ in range(rows)]
    labels = data.draw(st.lists(st.integers(0, 1), min_size=rows, max_size=rows))
    style = data.draw(st.integers(0, 2))
    lines = [[f"f{j}" for j in range(dim)] + ["target"]] if header else []
    lines += [[_field(v, style) for v in row] + [str(y)] for row, y in zip(matrix, labels)]
    text = "".join(delimiter.join(line) + newline for line in lines)
    names = ([f"f{j}" for j in range(dim)], "target") if header else (list(range(dim)), dim)
    expected = TrainingSet.from_points(matrix, labels, metadata=provenance(names[1], names[0]))
    assert parse_csv(text) == expected


@files
@given(ts=training_sets(), ext=st.sampled_from([".csv", ".csv.gz"]))
def test_every_training_set_survives_a_csv_round_trip(tmp_path, ts, ext):
    path = tmp_path / f"t{ext}"
    write_instance(ts, path)
    back = read_instance(path)
    assert same_points(back, ts)  # a CSV file holds values, so the set comes back in lowest terms:
    if math.gcd(ts.denominator, *map(int, ts.numerators.flat)) == 1:
        assert back == ts


def test_a_set_read_from_csv_is_written_back_without_a_metadata_line(tmp_path):
    text = "petal length,petal width,versicolor\n1.4,0.2,0\n4.7,1.4,1\n"
    ts = parse_csv(text)
    assert format_csv(ts) == text
    reduced = TrainingSet(ts.numerators, ts.labels, ts.denominator, {"hidden_units": 2, "output": "and"})
    written = format_csv(reduced)
    assert written.startswith('# trainhard-metadata: {"hidden_units": 2, "output": "and"}\nx0,x1,label\n')
    assert parse_csv(written) == reduced


def test_the_writer_uses_decimals_where_they_are_exact():
    ts = TrainingSet.from_points([["1/8", "-1/1024", "1/3", 10**20]], [1])
    assert format_csv(ts).splitlines()[-1] == "0.125,-0.0009765625,1/3,100000000000000000000,1"


# ---------------------------------------------------------------------------
# malformed input: one line naming the file, the line and the column
# ---------------------------------------------------------------------------

BAD_CSV = [
    ("empty", b"", None, "no data rows (an empty file)"),
    ("blank lines only", b"\n \n", None, "no data rows"),
    ("header only", b"a,b,y\n", 1, "a header but no data rows"),
    ("ragged short", b"a,b,y\n1,2,0\n3,4\n", 3, "2 fields, but the first row has 3 (column 'y' is missing)"),
    ("ragged long", b"a,b,y\n1,2,0\n3,4,1,9\n", 3, "4 fields, but the first row has 3 (column 3 is extra)"),
    ("empty field", b"a,b,y\n1,,0\n", 2, "empty field, a missing value (column 'b')"),
    ("NA", b"a;b;y\n1;NA;0\n", 2, "'NA' marks a missing value (column 'b')"),
    ("NaN", b"a,b,y\n\n1,NaN,0\n", 3, "'NaN' is not a finite number (column 'b')"),
    ("inf", b"1,-inf,0\n", 1, "'-inf' is not a finite number (column 1)"),
    ("text", b"a\tb\ty\n1\tabc\t0\n", 2, "'abc' is not a number (column 'b')"),
    ("decimal comma", b"a;b;y\n1,5;2;0\n", 2, "write decimals with a point, not a comma (column 'a')"),
    ("huge exponent", b"a,y\n1e999999999,0\n", 2, "exponent is beyond"),
    ("division by zero", b"a,y\n1/0,0\n", 2, "'1/0' divides by zero (column 'a')"),
    ("label not 0/1", b"a,species\n1,setosa\n2,versicolor\n", 2,
     "label 'setosa' is not 0/1 or true/false; the column holds 'setosa', 'versicolor' (column 'species')"),
    ("label 2", b"a,y\n1,0\n1,1\n1,2\n", 4,
     "label '2' is not 0/1 or true/false; the column holds '0', '1', '2' (column 'y')"),
    ("missing label", b"a,y\n1,\n", 2, "label '' is not 0/1 or true/false"),
    ("one column", b"y\n1\n", 1, "only one column, the label"),
    ("unclosed quote", b'a,y\n1,0\n"2,1\n', 3, "a quoted field that is never closed"),
    ("text after quote", b'a,y\n"1"x,0\n', 2, "text after the closing quote"),
    ("lone CR", b"a,y\n1,0\r2,1\n", 2, "a carriage return inside a field"),
    ("binary", b"PK\x03\x04junk", None, "expected a CSV training set, got a zip archive"),
    ("not UTF-8", b"a,y\n1,0\n\xff,1\n", 3, "is not UTF-8 text"),
    ("bad metadata", b"# trainhard-metadata: [1]\na,y\n1,0\n", 1, "the metadata line must hold a JSON object"),
    ("corrupt gzip", gzip.compress(b"a,y\n1,0\n")[:-6], None, "corrupt gzip data"),
]


@pytest.mark.parametrize("name, content, line, fragment", BAD_CSV, ids=[c[0] for c in BAD_CSV])
def test_malformed_csv_is_one_error_line(tmp_path, name, content, line, fragment):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(FormatError) as info:
        read_csv(path)
    assert (info.value.path, info.value.line) == (str(path), line)
    assert fragment in info.value.message
    where = f"{path}:{line}" if line is not None else str(path)
    for argv in (["solve", path], ["train-exact", path, "--hidden", "1"]):
        code, out, err = run_cli(*argv)
        assert (code, out) == (2, ""), (argv, out, err)
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert err.startswith(f"error: {where}: ") and fragment in err, err


BAD_CHOICES = [
    ({"label": "z"}, "label: no column 'z'; the columns are 'a', 'b', 'y'"),
    ({"label": 3}, "label: column 3 is out of range; the file has 3 columns (0..2)"),
    ({"columns": ["y"]}, "column 'y' is the label; it cannot also be a feature"),
    ({"columns": ["a", 0]}, "column 'a' is chosen twice as a feature"),
    ({"columns": []}, "no feature column chosen"),
    ({"columns": "ab"}, "columns must be a list of column names or indices, got 'ab'"),
]


@pytest.mark.parametrize("choice, message", BAD_CHOICES)
def test_a_label_or_column_that_is_not_there_is_named_at_the_header(tmp_path, choice, message):
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n1,2,0\n")
    with pytest.raises(FormatError) as info:
        read_csv(path, **choice)
    assert str(info.value) == f"{path}:1: {message}"


def test_names_need_a_header_and_must_be_unique():
    with pytest.raises(FormatError, match=r"^<string>:1: label: 'y' names a column, but the file has no header row"):
        parse_csv("1,2,0\n", label="y")
    with pytest.raises(FormatError, match=r"^<string>:1: label: 2 columns are named 'x' \(indices 0, 1\)"):
        parse_csv("x,x,y\n1,2,0\n", label="x")


# ---------------------------------------------------------------------------
# sizes: refused up front, never read blindly
# ---------------------------------------------------------------------------


def test_a_file_too_large_for_memory_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("a,y\n" + "1,0\n" * 1000)
    monkeypatch.setattr(formats, "available_memory", lambda: 10_000)
    monkeypatch.setattr(formats, "_read_bytes", lambda p: pytest.fail("the file was read"))
    with pytest.raises(FormatError, match=r"big\.csv: parsing a CSV file of 4 kB needs about 128 kB of memory"):
        read_csv(path)


def test_gzipped_text_is_not_decompressed_beyond_what_fits(tmp_path, monkeypatch):
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"a,y\n" + b"1,0\n" * 100_000))  # 400 kB of text, 1 kB compressed
    monkeypatch.setattr(formats, "available_memory", lambda: 1_000_000)
    with pytest.raises(FormatError, match=r"bomb\.csv\.gz: parsing more than 31\.2 kB of CSV text needs about"):
        read_csv(path)


def test_rows_beyond_max_declared_size_are_refused_at_their_line(monkeypatch):
    monkeypatch.setattr(formats, "MAX_DECLARED_SIZE", 3)
    with pytest.raises(FormatError, match=r"^<string>:5: 4 rows: more than the 3 trainhard accepts"):
        parse_csv("a,y\n1,0\n1,0\n1,0\n1,0\n")
    with pytest.raises(FormatError, match=r"^<string>:1: 4 columns: more than the 3"):
        parse_csv("a,b,c,y\n1,2,3,0\n")


def test_a_common_denominator_too_large_for_memory_is_refused(monkeypatch):
    primes = [p for p in range(2, 3000) if all(p % q for q in range(2, int(p**0.5) + 1))]
    text = "".join(f"1/{p},{i % 2}\n" for i, p in enumerate(primes))
    monkeypatch.setattr(formats, "available_memory", lambda: 10**5)
    with pytest.raises(FormatError, match=r"^<string>: 430 exact coordinates of up to \d+ bits .* needs about"):
        parse_csv(text)


def test_real_data_sets_read_back_exactly(tmp_path, real_data):
    pytest.importorskip("sklearn")
    for name, (x, y, names) in real_data.datasets().items():
        ts = real_data.training_set(name)
        assert ts.num_points == len(x) == len(y) and ts.dim == len(names), name
        assert ts.point(0) == tuple(Fraction(v) for v in x[0])
        path = tmp_path / f"{name}.csv"
        write_instance(ts, path)
        assert read_instance(path) == ts
        assert np.array_equal(read_instance(path).labels, np.asarray(y))


def test_the_real_data_benchmark_without_scikit_learn_is_one_line(monkeypatch, capsys, real_data):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    assert real_data.main(["--datasets", "wine"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == "error: " + real_data.SKLEARN_MISSING + "\n"
    assert "pip install -e '.[examples]'" in err
