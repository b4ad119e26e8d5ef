"""The bad-input catalogue (tests/bad_inputs/cases.json) through the synthscale program.

Each case runs in a fresh temporary folder holding a copy of its input (and schema), so
messages name the file as the user typed it. Checked for every case: the exit code, the
expected substrings of stderr (location file:line:col, what was expected, the next step),
exactly one non-empty stderr line, no output file or temporary left behind, and the
input's bytes unchanged. tests/io/bad_inputs_test.cpp runs the same catalogue against
the library.

The binary comes from $SYNTHSCALE_BIN (default build/release/cli/synthscale); the tests
skip, saying so, when it is not built.
"""
import gzip
import hashlib
import json
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "tests" / "bad_inputs"
MANIFEST = json.loads((CATALOGUE / "cases.json").read_text(encoding="utf-8"))
# A relative $SYNTHSCALE_BIN is relative to where pytest was started (the cases run elsewhere).
BIN = pathlib.Path(os.environ.get("SYNTHSCALE_BIN", REPO / "build/release/cli/synthscale")).resolve()


@pytest.fixture(scope="module")
def binary():
    if not BIN.exists():
        pytest.skip(f"synthscale binary not built at {BIN} (build it, or set SYNTHSCALE_BIN)")
    return BIN


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generate(spec, work):
    """Make a generated input in `work`; returns a reason to skip, or None."""
    target = work / spec["input"]
    kind = spec["generate"]["kind"]
    if kind in ("missing", "existing_output"):
        if kind == "existing_output":
            (work / "OUT.ssm").write_bytes(b"an older model")
        return None
    if kind == "directory":
        target.mkdir()
        return None
    if kind == "big_field":
        with open(target, "wb") as out:
            out.write(b"city,age,height,smoker,visit\nLyon,34,1.72,false,2021-03-04\n")
            left = spec["generate"]["field_bytes"]
            block = b"x" * (1 << 20)
            while left > 0:
                out.write(block[:min(left, len(block))])
                left -= len(block)
            out.write(b",40,1.80,true,2021-01-01\n")
        return None
    source = (CATALOGUE / spec["generate"]["from"]).read_bytes()
    if kind == "truncated_gzip":
        data = gzip.compress(source * spec["generate"]["repeat"], mtime=0)
        target.write_bytes(data[: len(data) // 2])
        return None
    if kind == "unreadable":
        if os.geteuid() == 0:
            return "running as root, who can read a file without read permission"
        target.write_bytes(source)
        target.chmod(0)
        return None
    raise AssertionError(f"unknown generate kind {kind!r}")


def prepare(spec, work):
    """Copy the case's input and schema into `work`; returns a reason to skip, or None."""
    if "generate" in spec:
        reason = generate(spec, work)
        if reason:
            return reason
    else:
        shutil.copy(CATALOGUE / spec["input"], work / spec["input"])
    schema = spec.get("schema")
    if schema and (CATALOGUE / schema).exists():
        (work / schema).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CATALOGUE / schema, work / schema)
    return None


def command(spec):
    words = MANIFEST["invocations"][spec["kind"]]
    return [word.format(input=spec["input"], schema=spec.get("schema", "")) for word in words]


def run(binary, spec, work):
    return subprocess.run([str(binary), *command(spec)], cwd=work, capture_output=True, text=True,
                          errors="replace", timeout=300)


def listing(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize("spec", MANIFEST["cases"], ids=[case["name"] for case in MANIFEST["cases"]])
def test_bad_input(binary, spec, tmp_path):
    reason = prepare(spec, tmp_path)
    if reason:
        pytest.skip(reason)
    target = tmp_path / spec["input"]
    before = digest(target) if target.is_file() and os.access(target, os.R_OK) else None
    files_before = listing(tmp_path)

    result = run(binary, spec, tmp_path)

    assert result.returncode == spec["exit"], (result.returncode, result.stderr)
    for expected in spec["stderr"]:
        assert expected in result.stderr, f"missing {expected!r} in stderr: {result.stderr!r}"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one stderr line, got: {result.stderr!r}"
    assert "error" in lines[0]
    assert listing(tmp_path) == files_before, "an output or temporary file was left behind"
    if before is not None:
        assert digest(target) == before, "the input file changed"
    if spec.get("generate", {}).get("kind") == "existing_output":
        assert (tmp_path / "OUT.ssm").read_bytes() == b"an older model"


@pytest.mark.parametrize("spec", MANIFEST["good_cases"], ids=[case["name"] for case in MANIFEST["good_cases"]])
def test_good_input(binary, spec, tmp_path):
    prepare(spec, tmp_path)
    result = run(binary, spec, tmp_path)
    assert result.returncode == spec["exit"], (result.returncode, result.stderr)
    assert "error" not in result.stderr


def test_catalogue_is_complete():
    assert len(MANIFEST["cases"]) >= 32
    names = [case["name"] for case in MANIFEST["cases"]]
    assert len(names) == len(set(names))
    for case in MANIFEST["cases"]:
        assert case["kind"] in MANIFEST["invocations"]
        assert str(case["exit"]) in MANIFEST["exit_codes"]
        if "generate" not in case:
            assert (CATALOGUE / case["input"]).exists(), case["name"]
