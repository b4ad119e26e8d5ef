"""`synthscale fit --method mst|aim` and `synthscale inspect`: the privacy budget, the ledger,
the noise key, public schemas and the errors of a differentially private fit."""
import csv
import hashlib
import json
import re
import subprocess

import pytest

from conftest import ADULT, REPO

SCHEMA = REPO / "data/adult/adult.schema.json"
KEY = bytes(range(32))  # a fixed test key, NOT one to use for real data
BUDGET = ("--epsilon", "1", "--delta", "1e-9")
MST_MECHANISMS = {"gaussian", "exponential"}  # measurements and the tree's selections


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "noise.key"
    path.write_bytes(KEY)
    return path


@pytest.fixture(scope="module")
def mst_model(synthscale_bin, key_file, tmp_path_factory):
    """MST on Adult with the public schema and a fixed key; returns (path, fit's result)."""
    path = tmp_path_factory.mktemp("models") / "mst.ssm"
    result = subprocess.run([str(synthscale_bin), "--threads", "2", "fit", "--method", "mst", *BUDGET,
                             "--noise-key-file", str(key_file), "--schema", str(SCHEMA), str(ADULT),
                             "-o", str(path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return path, result


@pytest.fixture
def small_csv(tmp_path):
    """The first 1500 rows of Adult: enough for a fast private fit."""
    path = tmp_path / "small.csv"
    with open(ADULT, newline="") as source, open(path, "w", newline="") as target:
        writer = csv.writer(target)
        for row_idx, row in enumerate(csv.reader(source)):
            if row_idx > 1500:
                break
            writer.writerow(row)
    return path


def inspect_json(run, path):
    return json.loads(run("inspect", path, "--json", check_exit=0).stdout)


# -- fit and inspect ----------------------------------------------------------------------


def test_fit_reports_the_privacy_spent(mst_model):
    _, result = mst_model
    assert "fitted 'mst' on 32561 rows x 15 columns" in result.stderr
    assert "privacy spent: rho=" in result.stderr and "(epsilon=1, delta=1e-09)" in result.stderr
    assert "not differentially private" not in result.stderr
    assert "WARNING" not in result.stderr


def test_inspect_json_shows_cliques_charges_and_total(run, mst_model, key_file):
    description = inspect_json(run, mst_model[0])
    assert description["method"] == "mst" and description["differentially_private"] is True
    assert description["options"]["epsilon"] == 1.0 and description["options"]["delta"] == 1e-9
    # The exact row count and the input's hash are not covered by DP: withheld.
    assert description["fit"] == {"data_dependent_domain": False}
    assert len(description["columns"]) == 15
    cliques = description["structure"]["cliques"]
    assert len([clique for clique in cliques if len(clique) == 2]) == 14  # a spanning tree
    assert set().union(*map(set, cliques)) == {column["name"] for column in description["columns"]}
    privacy = description["privacy"]
    charges = privacy["charges"]
    assert len(charges) >= 15 + 14 + 14  # 1-way marginals, tree selections, 2-way marginals
    assert {charge["mechanism"] for charge in charges} == MST_MECHANISMS
    assert sum(charge["rho"] for charge in charges) == pytest.approx(privacy["spent_rho"], rel=1e-12)
    budget = privacy["budget"]
    assert budget["epsilon"] == 1.0 and budget["delta"] == 1e-9
    assert privacy["spent_rho"] <= budget["rho"]
    # Short of the budget by at most the noise parameters' rounding (test_private.py, grid_rounding_loss).
    grid = 2.0**-20
    rounding = sum((2 * charge["epsilon"] * grid + grid**2) / 8 if charge["mechanism"] == "exponential"
                   else charge["rho"] * grid / charge["noise_scale"] ** 2 for charge in charges)
    assert privacy["spent_rho"] >= budget["rho"] * (1 - 1e-6) - rounding
    assert privacy["noise_key_sha256"] == hashlib.sha256(key_file.read_bytes()).hexdigest()


def test_inspect_text_lists_cliques_and_ledger(run, mst_model):
    out = run("inspect", mst_model[0], check_exit=0).stdout
    assert out.startswith("method: mst (differentially private)\n")
    assert "model cliques (" in out and "privacy ledger (add_remove_one_row):" in out
    assert "total: rho=" in out
    assert re.search(r"\(epsilon=1(\.0)?, delta=1e-0?9\)", out), out
    assert f"noise key sha256: {hashlib.sha256(KEY).hexdigest()}" in out
    assert "WARNING" not in out


def test_the_model_file_never_holds_the_key(mst_model):
    data = mst_model[0].read_bytes()
    assert KEY not in data and KEY.hex().encode() not in data


def test_sample_of_a_private_model(run, mst_model, tmp_path):
    out = tmp_path / "fake.csv"
    result = run("sample", mst_model[0], "-n", 500, "--seed", 3, "-o", out, check_exit=0)
    assert "WARNING" not in result.stderr
    with open(out, newline="") as file:
        rows = list(csv.reader(file))
    assert len(rows) == 501 and len(rows[0]) == 15


# -- reproducibility ------------------------------------------------------------------------


def test_same_key_file_gives_byte_identical_models(run, mst_model, key_file, tmp_path):
    again = tmp_path / "again.ssm"
    run("--threads", "1", "fit", "--method", "mst", *BUDGET, "--noise-key-file", key_file, "--schema", SCHEMA,
        ADULT, "-o", again, check_exit=0)
    assert again.read_bytes() == mst_model[0].read_bytes()  # threads 2 (fixture) and 1


def test_same_key_twice_and_threads_on_aim(run, key_file, small_csv, tmp_path):
    paths = [tmp_path / f"aim{index}.ssm" for index in range(3)]
    for path, threads in zip(paths, (1, 2, 2)):
        run("--threads", threads, "fit", "--method", "aim", *BUDGET, "--max-rounds", 3, "--workload-degree", 2,
            "--noise-key-file", key_file, "--schema", SCHEMA, small_csv, "-o", path, check_exit=0)
    assert paths[0].read_bytes() == paths[1].read_bytes() == paths[2].read_bytes()


def test_a_hex_key_file_is_the_same_key(run, small_csv, key_file, tmp_path):
    hex_key = tmp_path / "hex.key"
    hex_key.write_text(KEY.hex() + "\n")
    models = [tmp_path / "raw.ssm", tmp_path / "hex.ssm"]
    for model, key in zip(models, (key_file, hex_key)):
        run("fit", "--method", "mst", *BUDGET, "--noise-key-file", key, "--schema", SCHEMA, small_csv,
            "-o", model, check_exit=0)
    assert models[0].read_bytes() == models[1].read_bytes()


def test_without_a_key_file_every_fit_draws_fresh_noise(run, small_csv, tmp_path):
    models = [tmp_path / "first.ssm", tmp_path / "second.ssm"]
    for model in models:
        run("fit", "--method", "mst", *BUDGET, "--schema", SCHEMA, small_csv, "-o", model, check_exit=0)
    assert models[0].read_bytes() != models[1].read_bytes()
    keys = [inspect_json(run, model)["privacy"]["noise_key_sha256"] for model in models]
    assert keys[0] != keys[1] and all(len(key) == 64 for key in keys)


def test_a_rho_budget(run, small_csv, tmp_path):
    model = tmp_path / "rho.ssm"
    result = run("fit", "--method", "mst", "--rho", "0.1", "--schema", SCHEMA, small_csv, "-o", model, check_exit=0)
    assert "privacy spent: rho=" in result.stderr
    budget = inspect_json(run, model)["privacy"]["budget"]
    assert budget == {"rho": 0.1}


# -- schemas whose domain comes from the data ----------------------------------------------


def test_no_schema_is_refused_without_the_opt_in(run, small_csv, tmp_path):
    model = tmp_path / "model.ssm"
    result = run("fit", "--method", "mst", *BUDGET, small_csv, "-o", model, check_exit=2)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert "--allow-data-dependent-domain" in errors[0]
    assert not model.exists()


def test_the_opt_in_fits_and_warns_on_fit_inspect_and_sample(run, small_csv, tmp_path):
    model = tmp_path / "model.ssm"
    result = run("fit", "--method", "mst", *BUDGET, "--allow-data-dependent-domain", small_csv, "-o", model,
                 check_exit=0)
    assert "WARNING" in result.stderr and "NOT the domain" in result.stderr
    assert inspect_json(run, model)["fit"]["data_dependent_domain"] is True
    assert "NOT the domain" in run("inspect", model, check_exit=0).stdout
    result = run("sample", model, "-n", 100, "--seed", 1, "-o", tmp_path / "fake.csv", check_exit=0)
    assert "WARNING" in result.stderr and "NOT the domain" in result.stderr


# -- errors ------------------------------------------------------------------------------------


def one_error_line(result, *parts):
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


@pytest.mark.parametrize("method", ["mst", "aim"])
def test_missing_delta_is_a_usage_error(run, method, small_csv, tmp_path):
    result = run("fit", "--method", method, "--epsilon", "1", "--schema", SCHEMA, small_csv,
                 "-o", tmp_path / "m.ssm", check_exit=2)
    one_error_line(result, "--epsilon E --delta D")


def test_no_budget_is_a_usage_error(run, small_csv, tmp_path):
    result = run("fit", "--method", "mst", "--schema", SCHEMA, small_csv, "-o", tmp_path / "m.ssm", check_exit=2)
    one_error_line(result, "differentially private", "--rho R")


def test_rho_and_epsilon_together_is_a_usage_error(run, small_csv, tmp_path):
    result = run("fit", "--method", "mst", *BUDGET, "--rho", "0.1", "--schema", SCHEMA, small_csv,
                 "-o", tmp_path / "m.ssm", check_exit=2)
    one_error_line(result, "not both")


def test_a_negative_epsilon_is_a_usage_error(run, small_csv, tmp_path):
    result = run("fit", "--method", "mst", "--epsilon", "-1", "--delta", "1e-9", "--schema", SCHEMA, small_csv,
                 "-o", tmp_path / "m.ssm", check_exit=2)
    one_error_line(result, "epsilon")


def test_independent_refuses_a_budget(run, small_csv, tmp_path):
    result = run("fit", "--method", "independent", "--epsilon", "1", "--schema", SCHEMA, small_csv,
                 "-o", tmp_path / "m.ssm", check_exit=2)
    one_error_line(result, "not differentially private", "choose --method mst or aim")


def test_independent_refuses_a_noise_key(run, small_csv, key_file, tmp_path):
    result = run("fit", "--method", "independent", "--noise-key-file", key_file, "--schema", SCHEMA, small_csv,
                 "-o", tmp_path / "m.ssm", check_exit=2)
    one_error_line(result, "--noise-key-file is for differentially private methods")


def test_a_missing_noise_key_file_is_an_io_error(run, small_csv, tmp_path):
    missing = tmp_path / "no-such.key"
    result = run("fit", "--method", "mst", *BUDGET, "--noise-key-file", missing, "--schema", SCHEMA, small_csv,
                 "-o", tmp_path / "m.ssm", check_exit=4)
    one_error_line(result, str(missing))
    assert not (tmp_path / "m.ssm").exists()


@pytest.mark.parametrize("content", [bytes(31), bytes(33), b"ab" * 31, b"zz" * 32],
                         ids=["31B", "33B", "62hex", "nonhex"])
def test_a_malformed_noise_key_file_is_invalid_data(run, small_csv, tmp_path, content):
    bad = tmp_path / "bad.key"
    bad.write_bytes(content)
    result = run("fit", "--method", "mst", *BUDGET, "--noise-key-file", bad, "--schema", SCHEMA, small_csv,
                 "-o", tmp_path / "m.ssm", check_exit=3)
    one_error_line(result, str(bad))


def test_an_unknown_workload_column_is_a_usage_error(run, small_csv, tmp_path):
    workload = tmp_path / "workload.json"
    workload.write_text(json.dumps([["age", "height"]]))
    result = run("fit", "--method", "aim", *BUDGET, "--max-rounds", 2, "--workload", workload, "--schema", SCHEMA,
                 small_csv, "-o", tmp_path / "m.ssm", check_exit=2)
    one_error_line(result, "height")


def test_a_corrupted_model_file_is_invalid_data(run, mst_model, tmp_path):
    data = bytearray(mst_model[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt = tmp_path / "corrupt.ssm"
    corrupt.write_bytes(bytes(data))
    for args in ((), ("--json",)):
        result = run("inspect", corrupt, *args, check_exit=3)
        one_error_line(result, "corrupt")
        assert result.stdout == ""


@pytest.mark.parametrize("text, where", [('[["age", "sex"],\n ["race", 3]]', ":2:11:"),
                                         ('[["age", "sex"', ":1:15:"),
                                         ('{"age": 1}', ":1:1:")])
def test_a_bad_workload_file_is_located_and_nothing_is_written(run, small_csv, tmp_path, text, where):
    workload = tmp_path / "workload.json"
    workload.write_text(text)
    model = tmp_path / "model.ssm"
    result = run("fit", "--method", "aim", *BUDGET, "--schema", SCHEMA, "--workload", workload, small_csv,
                 "-o", model, check_exit=3)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"workload.json{where} error: workload" in lines[0], result.stderr
    assert "expected a JSON array of column-name arrays" in lines[0]
    assert sorted(tmp_path.iterdir()) == sorted([small_csv, workload])  # no partial model or manifest
