"""Reproducibility (docs/reproducibility.md): the same inputs, seed and noise key give
byte-identical models and synthetic CSV files with any --threads, for every method; another
seed or key gives other bytes; a seed alone never fixes the DP noise."""
import csv
import json
import subprocess

import pytest

from conftest import ADULT, REPO

COLUMNS = ["age", "workclass", "education", "sex", "income"]
ROWS = 2000
KEY_A = bytes(range(32))            # fixed test keys, NOT ones to use for real data
KEY_B = bytes(range(1, 33))
BUDGET = ("--epsilon", "1", "--delta", "1e-9")
# Small and quick: AIM with few rounds and iterations still exercises selection and estimation.
METHOD_FLAGS = {
    "independent": (),
    "mst": (*BUDGET, "--max-iterations", "100"),
    "aim": (*BUDGET, "--max-rounds", "6", "--max-iterations", "50"),
}
THREADS = (1, 2, 8)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """(csv, schema, key A, key B): the first ROWS rows of Adult, five columns, public schema."""
    folder = tmp_path_factory.mktemp("repro-data")
    table = folder / "adult5.csv"
    with open(ADULT, newline="") as source, open(table, "w", newline="") as target:
        reader = csv.DictReader(source)
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row_idx, row in enumerate(reader):
            if row_idx == ROWS:
                break
            writer.writerow([row[name] for name in COLUMNS])
    full = json.loads((REPO / "data/adult/adult.schema.json").read_text())
    full["columns"] = [column for column in full["columns"] if column["name"] in COLUMNS]
    schema = folder / "adult5.schema.json"
    schema.write_text(json.dumps(full))
    key_a, key_b = folder / "a.key", folder / "b.key"
    key_a.write_bytes(KEY_A)
    key_b.write_bytes(KEY_B.hex().encode())  # the hex form is accepted too
    return table, schema, key_a, key_b


def synthscale(binary, *args):
    result = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (args, result.stderr)
    return result


def fit(binary, data, out, method, threads, seed=None, key="a"):
    table, schema, key_a, key_b = data
    args = ["--threads", threads, "fit", "--method", method, *METHOD_FLAGS[method], "--schema", schema, table,
            "-o", out]
    if seed is not None:
        args += ["--seed", seed]
    if method != "independent" and key is not None:
        args += ["--noise-key-file", key_a if key == "a" else key_b]
    return synthscale(binary, *args)


def sample(binary, model, out, threads, rows=3001, seed=None, extra=()):
    args = ["--threads", threads, "sample", model, "-n", rows, "-o", out, *extra]
    if seed is not None:
        args += ["--seed", seed]
    return synthscale(binary, *args)


def manifest_activity(path):
    return json.loads(path.with_name(path.name + ".manifest.json").read_text())["prov:wasGeneratedBy"]


@pytest.mark.parametrize("sampling", ["rounded", "iid"])
@pytest.mark.parametrize("method", sorted(METHOD_FLAGS))
def test_same_inputs_seed_and_key_give_identical_bytes_for_any_threads(synthscale_bin, data, tmp_path, method,
                                                                         sampling):
    models, samples = [], []
    for threads in THREADS:
        model = tmp_path / f"model-{threads}.ssm"
        fit(synthscale_bin, data, model, method, threads, seed=11)
        models.append(model.read_bytes())
        out = tmp_path / f"synth-{threads}.csv"
        sample(synthscale_bin, model, out, threads, seed=42, extra=("--sampling", sampling))
        samples.append(out.read_bytes())
    assert models[0] == models[1] == models[2]
    assert samples[0] == samples[1] == samples[2]
    assert samples[0].count(b"\n") == 3001 + 1  # header + rows: not trivially empty
    # The model's default seed is fit's --seed: sampling without --seed replays seed 11.
    default = tmp_path / "default.csv"
    result = sample(synthscale_bin, tmp_path / "model-1.ssm", default, 2, extra=("--sampling", sampling))
    assert "using the model's seed 11" in result.stderr
    explicit = tmp_path / "explicit.csv"
    sample(synthscale_bin, tmp_path / "model-8.ssm", explicit, 1, seed=11, extra=("--sampling", sampling))
    assert default.read_bytes() == explicit.read_bytes()


@pytest.mark.parametrize("sampling", ["rounded", "iid"])
@pytest.mark.parametrize("method", sorted(METHOD_FLAGS))
def test_another_sampling_seed_gives_other_bytes(synthscale_bin, data, tmp_path, method, sampling):
    model = tmp_path / "model.ssm"
    fit(synthscale_bin, data, model, method, 2, seed=11)
    sample(synthscale_bin, model, tmp_path / "s42.csv", 2, seed=42, extra=("--sampling", sampling))
    sample(synthscale_bin, model, tmp_path / "s43.csv", 2, seed=43, extra=("--sampling", sampling))
    first, second = (tmp_path / "s42.csv").read_bytes(), (tmp_path / "s43.csv").read_bytes()
    assert first.split(b"\n")[0] == second.split(b"\n")[0]  # same header
    assert first != second


@pytest.mark.parametrize("method", ["mst", "aim"])
def test_another_noise_key_gives_another_model(synthscale_bin, data, tmp_path, method):
    fit(synthscale_bin, data, tmp_path / "a.ssm", method, 2, seed=11, key="a")
    fit(synthscale_bin, data, tmp_path / "b.ssm", method, 2, seed=11, key="b")
    assert (tmp_path / "a.ssm").read_bytes() != (tmp_path / "b.ssm").read_bytes()
    key_a = manifest_activity(tmp_path / "a.ssm")["ss:noiseKeySha256"]
    key_b = manifest_activity(tmp_path / "b.ssm")["ss:noiseKeySha256"]
    assert key_a != key_b
    # Same seed, different noise: the synthetic data differ too.
    sample(synthscale_bin, tmp_path / "a.ssm", tmp_path / "a.csv", 2, seed=5)
    sample(synthscale_bin, tmp_path / "b.ssm", tmp_path / "b.csv", 2, seed=5)
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "b.csv").read_bytes()


def test_seed_alone_does_not_fix_private_noise(synthscale_bin, data, tmp_path):
    """A public seed must never key the DP noise: without a key file two fits differ."""
    first = fit(synthscale_bin, data, tmp_path / "one.ssm", "mst", 2, seed=11, key=None)
    fit(synthscale_bin, data, tmp_path / "two.ssm", "mst", 2, seed=11, key=None)
    assert "--seed does not fix the differential-privacy noise" in first.stderr
    assert "--noise-key-file" in first.stderr
    assert (tmp_path / "one.ssm").read_bytes() != (tmp_path / "two.ssm").read_bytes()
    one, two = manifest_activity(tmp_path / "one.ssm"), manifest_activity(tmp_path / "two.ssm")
    assert one["ss:seed"] == two["ss:seed"] == "11"
    assert one["ss:noiseKeySha256"] != two["ss:noiseKeySha256"]
    # With a key file there is no such note; --quiet silences it.
    keyed = fit(synthscale_bin, data, tmp_path / "keyed.ssm", "mst", 2, seed=11, key="a")
    assert "does not fix" not in keyed.stderr
    table, schema, _, _ = data
    quiet = synthscale(synthscale_bin, "-q", "fit", "--method", "mst", *BUDGET, "--schema", schema, table,
                       "--seed", "11", "-o", tmp_path / "quiet.ssm")
    assert quiet.stderr == ""


def test_fit_seed_is_recorded_in_model_and_manifest(synthscale_bin, data, run, tmp_path):
    big_seed = 2**64 - 1  # past 2^53: recorded as text so no bit is lost
    model = tmp_path / "m.ssm"
    fit(synthscale_bin, data, model, "mst", 1, seed=big_seed)
    assert manifest_activity(model)["ss:seed"] == str(big_seed)
    described = json.loads(run("inspect", model, "--json", check_exit=0).stdout)
    assert described["fit"]["seed"] == str(big_seed)
    out = tmp_path / "s.csv"
    sample(synthscale_bin, model, out, 1)
    assert manifest_activity(out)["ss:seed"] == str(big_seed)
    assert manifest_activity(out)["configuration"]["seed"] == str(big_seed)
    # Without --seed the model records none, and sample draws (and prints) a fresh one.
    unseeded = tmp_path / "u.ssm"
    fit(synthscale_bin, data, unseeded, "independent", 1)
    assert "seed" not in json.loads(run("inspect", unseeded, "--json", check_exit=0).stdout)["fit"]
    assert "ss:seed" not in manifest_activity(unseeded)
    fresh = sample(synthscale_bin, unseeded, tmp_path / "f.csv", 1)
    printed = fresh.stderr.split("using --seed ")[1].split()[0]
    assert manifest_activity(tmp_path / "f.csv")["ss:seed"] == printed


def test_bad_seeds_are_usage_errors(run, data, tmp_path):
    table, schema, _, _ = data
    for bad in ("-1", "abc", str(2**64)):
        result = run("fit", "--method", "independent", "--schema", schema, table, "--seed", bad,
                     "-o", tmp_path / "m.ssm")
        assert result.returncode == 2, (bad, result.stderr)
        assert "--seed" in result.stderr
        assert "must be" in result.stderr
    assert not (tmp_path / "m.ssm").exists()
    model = tmp_path / "good.ssm"
    run("fit", "--method", "independent", "--schema", schema, table, "-o", model, check_exit=0)
    for flag, bad in (("--seed", "-1"), ("-n", "-5"), ("--seed", "1e3")):
        args = {"--seed": "1", "-n": "10", flag: bad}
        result = run("sample", model, "-o", tmp_path / "s.csv", *[x for pair in args.items() for x in pair])
        assert result.returncode == 2, (flag, bad, result.stderr)
        assert f"must be a non-negative integer, got '{bad}'" in result.stderr
    assert not (tmp_path / "s.csv").exists()
