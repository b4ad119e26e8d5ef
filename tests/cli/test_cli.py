"""The synthscale program end to end: help, version, schema, fit, sample, exit codes."""
import hashlib
import json

import pytest

from conftest import ADULT


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [[], ["schema"], ["schema", "infer"], ["schema", "validate"],
                                     ["fit"], ["sample"], ["evaluate"]])
def test_every_command_has_help(run, command):
    result = run(*command, "--help", check_exit=0)
    assert "Usage" in result.stdout or "usage" in result.stdout.lower()


def test_version_names_the_release(run):
    result = run("--version", check_exit=0)
    assert result.stdout.startswith("synthscale 0.1.0")


def test_unknown_flag_is_a_usage_error(run):
    result = run("fit", "--no-such-flag", check_exit=2)
    assert "--help" in result.stderr


def test_schema_infer_adult(run, tmp_path):
    result = run("schema", "infer", ADULT, check_exit=0)
    schema = json.loads(result.stdout)
    columns = {column["name"]: column for column in schema["columns"]}
    assert len(columns) == 15
    assert columns["age"]["type"] == "integer"
    assert columns["age"]["domain"]["min"] == 17 and columns["age"]["domain"]["max"] == 90
    assert columns["workclass"]["type"] == "categorical"
    assert columns["workclass"]["nullable"] is True  # '?' is a default missing token
    assert "?" not in columns["workclass"]["domain"]["categories"]
    assert sorted(columns["sex"]["domain"]["categories"]) == ["Female", "Male"]
    assert all(column["domain_from_data"] for column in schema["columns"])
    assert "not differentially private" in result.stderr.lower()


@pytest.fixture
def adult_model(run, tmp_path):
    schema = tmp_path / "adult.schema.json"
    model = tmp_path / "adult.ssm"
    run("schema", "infer", ADULT, "-o", schema, check_exit=0)
    run("fit", "--method", "independent", "--schema", schema, ADULT, "-o", model, check_exit=0)
    return model


def test_same_seed_same_bytes_for_any_thread_count(run, adult_model, tmp_path):
    digests = set()
    for threads in (1, 2, 7):
        out = tmp_path / f"synth-{threads}.csv"
        run("--threads", threads, "sample", adult_model, "-n", 20000, "--seed", 7, "-o", out, check_exit=0)
        digests.add(sha256(out))
    assert len(digests) == 1


def test_different_seeds_differ(run, adult_model, tmp_path):
    run("sample", adult_model, "-n", 1000, "--seed", 1, "-o", tmp_path / "a.csv", check_exit=0)
    run("sample", adult_model, "-n", 1000, "--seed", 2, "-o", tmp_path / "b.csv", check_exit=0)
    assert sha256(tmp_path / "a.csv") != sha256(tmp_path / "b.csv")


def test_sample_has_header_and_rows_and_keeps_marginals(run, adult_model, tmp_path):
    out = tmp_path / "synth.csv"
    run("sample", adult_model, "-n", 30000, "--seed", 3, "-o", out, check_exit=0)
    lines = out.read_text().splitlines()
    assert lines[0] == ADULT.read_text().splitlines()[0]
    assert len(lines) == 30001
    header = lines[0].split(",")
    sex = header.index("sex")
    female = sum(1 for line in lines[1:] if line.split(",")[sex] == "Female") / 30000
    # Real share: 10,771 of 32,561 = 0.3308; sd of the estimate ~0.0027, so 0.02 is > 7 sd.
    assert abs(female - 10771 / 32561) < 0.02


def test_seed_is_reported_when_not_given(run, adult_model, tmp_path):
    result = run("sample", adult_model, "-n", 10, "-o", tmp_path / "s.csv", check_exit=0)
    assert "--seed" in result.stderr


def test_existing_output_is_kept_without_force(run, adult_model, tmp_path):
    out = tmp_path / "synth.csv"
    out.write_text("precious\n")
    result = run("sample", adult_model, "-n", 10, "--seed", 1, "-o", out, check_exit=6)
    assert "--force" in result.stderr
    assert out.read_text() == "precious\n"
    run("sample", adult_model, "-n", 10, "--seed", 1, "-o", out, "--force", check_exit=0)
    assert out.read_text() != "precious\n"


def test_fit_refuses_to_overwrite_a_model(run, adult_model, tmp_path):
    before = sha256(adult_model)
    run("fit", "--method", "independent", ADULT, "-o", adult_model, check_exit=6)
    assert sha256(adult_model) == before


def test_fit_without_schema_infers_one_and_warns(run, tmp_path):
    result = run("fit", "--method", "independent", ADULT, "-o", tmp_path / "m.ssm", check_exit=0)
    assert "inferring" in result.stderr


def test_unknown_method_lists_the_known_ones(run, tmp_path):
    result = run("fit", "--method", "gan", ADULT, "-o", tmp_path / "m.ssm", check_exit=2)
    assert "independent" in result.stderr
    assert not (tmp_path / "m.ssm").exists()


def test_corrupt_model_is_a_clear_error(run, adult_model, tmp_path):
    data = bytearray(adult_model.read_bytes())
    data[-10] ^= 0xFF
    corrupt = tmp_path / "corrupt.ssm"
    corrupt.write_bytes(bytes(data))
    result = run("sample", corrupt, "-n", 10, "-o", tmp_path / "s.csv", check_exit=3)
    assert "checksum" in result.stderr
    assert not (tmp_path / "s.csv").exists()


def test_foreign_file_as_model_is_a_clear_error(run, tmp_path):
    result = run("sample", ADULT, "-n", 10, "-o", tmp_path / "s.csv", check_exit=3)
    assert "not a synthscale model file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_model_is_an_io_error(run, tmp_path):
    result = run("sample", tmp_path / "nope.ssm", "-n", 10, "-o", tmp_path / "s.csv", check_exit=4)
    assert "nope.ssm" in result.stderr


def test_schema_validate(run, tmp_path):
    schema = tmp_path / "s.json"
    run("schema", "infer", ADULT, "-o", schema, check_exit=0)
    result = run("schema", "validate", schema, check_exit=0)
    assert "15 columns" in result.stdout
    schema.write_text('{"synthscale_schema": 1, "columns": [\n  {"name": "a", "type": "colour"}\n]}\n')
    result = run("schema", "validate", schema, check_exit=3)
    assert ":2:" in result.stderr and "unknown column type" in result.stderr


def test_inputs_are_never_modified(run, tmp_path):
    before = sha256(ADULT)
    run("fit", "--method", "independent", ADULT, "-o", tmp_path / "m.ssm", check_exit=0)
    assert sha256(ADULT) == before


def test_out_of_domain_value_stops_the_fit_unless_allowed(run, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("colour,size\nred,1\nblue,2\ngreen,3\n")
    schema = tmp_path / "s.json"
    schema.write_text('{"synthscale_schema": 1, "columns": ['
                      '{"name": "colour", "type": "categorical", "domain": {"categories": ["red", "blue"]}},'
                      '{"name": "size", "type": "integer", "domain": {"min": 1, "max": 3, "bins": 3}}]}')
    result = run("fit", "--method", "independent", "--schema", schema, data, "-o", tmp_path / "m.ssm", check_exit=3)
    assert ":4:1" in result.stderr and "green" in result.stderr
    assert not (tmp_path / "m.ssm").exists()
    run("fit", "--method", "independent", "--schema", schema, data, "-o", tmp_path / "m.ssm",
        "--allow-out-of-domain", check_exit=0)
    out = tmp_path / "synth.csv"
    run("sample", tmp_path / "m.ssm", "-n", 500, "--seed", 1, "-o", out, check_exit=0)
    assert "green" not in out.read_text()  # out-of-domain values are never sampled
