"""`synthscale sample --shard-index I --num-shards K` (and the SLURM_ARRAY_* defaults): shard I
holds rows [floor(I*N/K), floor((I+1)*N/K)) of the one global sample, so the shards joined in
order (header once) are the unsharded output, byte for byte."""
import json
import os
import subprocess

import pytest

from conftest import ADULT

ROWS = 1000  # not divisible by 3: shards of 333, 333 and 334 rows
SEED = 7
SLURM_VARIABLES = ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
                   "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP")


@pytest.fixture(scope="module")
def mst_model(synthscale_bin, tmp_path_factory):
    """MST on Adult (public schema): rounded sampling walks its junction tree."""
    path = tmp_path_factory.mktemp("shard-mst") / "mst.ssm"
    result = subprocess.run([str(synthscale_bin), "fit", "--method", "mst", "--epsilon", "1", "--delta", "1e-9",
                             "--schema", str(ADULT.with_name("adult.schema.json")), str(ADULT), "-o", str(path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def model(synthscale_bin, tmp_path_factory):
    path = tmp_path_factory.mktemp("shard-model") / "model.ssm"
    result = subprocess.run([str(synthscale_bin), "fit", "--method", "independent", str(ADULT), "-o", str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return path


def clean_env(**variables):
    """The environment without any inherited Slurm array variables, plus `variables`."""
    env = {name: value for name, value in os.environ.items() if name not in SLURM_VARIABLES}
    env.update({name: str(value) for name, value in variables.items()})
    return env


def sample(binary, model, out, *extra, env=None, threads=2):
    return subprocess.run([str(binary), "--threads", str(threads), "sample", str(model), "-n", str(ROWS),
                           "-o", str(out), *map(str, extra)],
                          capture_output=True, text=True, timeout=120, env=env or clean_env())


def join_shards(paths):
    """Shard 0 whole, then every other shard without its header line."""
    parts = [path.read_bytes() for path in paths]
    header = parts[0].split(b"\n", 1)[0] + b"\n"
    for part in parts[1:]:
        assert part.startswith(header)
    return parts[0] + b"".join(part[len(header):] for part in parts[1:])


def data_rows(path):
    return path.read_bytes().count(b"\n") - 1


def test_three_shards_join_to_the_unsharded_sample(synthscale_bin, model, tmp_path):
    whole = tmp_path / "whole.csv"
    assert sample(synthscale_bin, model, whole, "--seed", SEED).returncode == 0
    shards = []
    for index, threads in zip(range(3), (1, 2, 8)):  # any thread count per shard
        shard = tmp_path / f"part-{index}.csv"
        result = sample(synthscale_bin, model, shard, "--seed", SEED, "--shard-index", index, "--num-shards", 3,
                        threads=threads)
        assert result.returncode == 0, result.stderr
        shards.append(shard)
    # floor(I * 1000 / 3) for I = 0..3: 0, 333, 666, 1000.
    assert [data_rows(shard) for shard in shards] == [333, 333, 334]
    assert join_shards(shards) == whole.read_bytes()
    assert "shard 2 of 3 (from --shard-index, --num-shards): rows 666 to 1000 of 1000" in result.stderr


@pytest.mark.parametrize("sampling", ["rounded", "iid"])
def test_mst_shards_join_to_the_unsharded_sample(synthscale_bin, mst_model, tmp_path, sampling):
    """Rounded: every shard draws all N rows' codes and decodes its own; iid: rows on their own."""
    whole = tmp_path / "whole.csv"
    assert sample(synthscale_bin, mst_model, whole, "--seed", SEED, "--sampling", sampling).returncode == 0
    shards = []
    for index, threads in zip(range(3), (8, 1, 2)):
        shard = tmp_path / f"part-{index}.csv"
        result = sample(synthscale_bin, mst_model, shard, "--seed", SEED, "--sampling", sampling,
                        "--shard-index", index, "--num-shards", 3, threads=threads)
        assert result.returncode == 0, result.stderr
        shards.append(shard)
    assert [data_rows(shard) for shard in shards] == [333, 333, 334]
    assert join_shards(shards) == whole.read_bytes()


def test_manifest_records_the_shard(synthscale_bin, model, tmp_path, run):
    shard = tmp_path / "part-1.csv"
    assert sample(synthscale_bin, model, shard, "--seed", SEED, "--shard-index", 1, "--num-shards", 3).returncode == 0
    manifest = tmp_path / "part-1.csv.manifest.json"
    activity = json.loads(manifest.read_text())["prov:wasGeneratedBy"]
    assert activity["configuration"] == {"rows": ROWS, "seed": str(SEED), "sampling": "rounded", "shard_index": 1,
                                         "num_shards": 3, "first_row": 333, "end_row": 666}
    assert activity["ss:outputRows"] == 333
    assert activity["ss:seed"] == str(SEED)
    run("verify", manifest, check_exit=0)
    # The unsharded manifest says nothing of shards.
    whole = tmp_path / "whole.csv"
    assert sample(synthscale_bin, model, whole, "--seed", SEED).returncode == 0
    configuration = json.loads((tmp_path / "whole.csv.manifest.json").read_text())["prov:wasGeneratedBy"]
    assert configuration["configuration"] == {"rows": ROWS, "seed": str(SEED), "sampling": "rounded"}


def test_slurm_array_variables_choose_the_shard(synthscale_bin, model, tmp_path):
    whole = tmp_path / "whole.csv"
    assert sample(synthscale_bin, model, whole, "--seed", SEED).returncode == 0
    shards = []
    # --array=1-4: task ids 1..4, SLURM_ARRAY_TASK_MIN=1.
    for task_id in range(1, 5):
        shard = tmp_path / f"task-{task_id}.csv"
        env = clean_env(SLURM_ARRAY_TASK_ID=task_id, SLURM_ARRAY_TASK_COUNT=4, SLURM_ARRAY_TASK_MIN=1,
                        SLURM_ARRAY_TASK_MAX=4)
        result = sample(synthscale_bin, model, shard, "--seed", SEED, env=env)
        assert result.returncode == 0, result.stderr
        shards.append(shard)
    assert "SLURM_ARRAY_TASK_ID=4, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=4" in result.stderr
    assert [data_rows(shard) for shard in shards] == [250, 250, 250, 250]
    assert join_shards(shards) == whole.read_bytes()
    # Explicit flags win over the environment.
    env = clean_env(SLURM_ARRAY_TASK_ID=3, SLURM_ARRAY_TASK_COUNT=4)
    flagged = tmp_path / "flagged.csv"
    assert sample(synthscale_bin, model, flagged, "--seed", SEED, "--shard-index", 0, "--num-shards", 4,
                  env=env).returncode == 0
    assert flagged.read_bytes() == shards[0].read_bytes()
    # --num-shards 1 inside an array writes the whole sample.
    one = tmp_path / "one.csv"
    assert sample(synthscale_bin, model, one, "--seed", SEED, "--num-shards", 1, env=env).returncode == 0
    assert one.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("flags, env, message", [
    (("--shard-index", 3, "--num-shards", 3), {}, "shard index 3 is out of range for 3 shards"),
    (("--shard-index", 0, "--num-shards", 0), {}, "--num-shards must be at least 1, got 0"),
    (("--shard-index", 1), {}, "--shard-index needs --num-shards"),
    (("--shard-index", -1, "--num-shards", 2), {}, "must be a non-negative integer, got '-1'"),
    (("--num-shards", "2x", "--shard-index", 0), {}, "must be a non-negative integer, got '2x'"),
    (("--num-shards", 2), {}, "--num-shards 2 needs --shard-index I (0 to 1)"),
    ((), {"SLURM_ARRAY_TASK_ID": "x1", "SLURM_ARRAY_TASK_COUNT": "4"},
     "environment variable SLURM_ARRAY_TASK_ID must be a non-negative integer, got 'x1'"),
    ((), {"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "many"},
     "environment variable SLURM_ARRAY_TASK_COUNT must be a non-negative integer, got 'many'"),
    ((), {"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "-2"},
     "environment variable SLURM_ARRAY_TASK_MIN must be a non-negative integer, got '-2'"),
    ((), {"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"},
     "shard index 4 is out of range for 4 shards (from SLURM_ARRAY_TASK_ID=4, SLURM_ARRAY_TASK_COUNT=4)"),
    ((), {"SLURM_ARRAY_TASK_ID": "2"}, "SLURM_ARRAY_TASK_ID=2 is set but SLURM_ARRAY_TASK_COUNT is not"),
])
def test_bad_shards_are_usage_errors(synthscale_bin, model, tmp_path, flags, env, message):
    out = tmp_path / "out.csv"
    result = sample(synthscale_bin, model, out, "--seed", SEED, *flags, env=clean_env(**env))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary


def test_sharding_needs_one_seed_for_all_shards(synthscale_bin, model, tmp_path):
    out = tmp_path / "out.csv"
    result = sample(synthscale_bin, model, out, "--shard-index", 0, "--num-shards", 2)
    assert result.returncode == 2
    assert "needs --seed S (the same S for every shard)" in result.stderr
    assert not out.exists()


def test_more_shards_than_rows_gives_header_only_shards(synthscale_bin, model, tmp_path):
    whole = tmp_path / "whole.csv"
    args = ("--seed", str(SEED))
    result = subprocess.run([str(synthscale_bin), "sample", str(model), "-n", "2", "-o", str(whole), *args],
                            capture_output=True, text=True, timeout=60, env=clean_env())
    assert result.returncode == 0, result.stderr
    shards = []
    for index in range(5):
        shard = tmp_path / f"p{index}.csv"
        result = subprocess.run([str(synthscale_bin), "sample", str(model), "-n", "2", "-o", str(shard), *args,
                                 "--shard-index", str(index), "--num-shards", "5"],
                                capture_output=True, text=True, timeout=60, env=clean_env())
        assert result.returncode == 0, result.stderr
        shards.append(shard)
    # floor(I * 2 / 5) for I = 0..5: 0, 0, 0, 1, 1, 2.
    assert [data_rows(shard) for shard in shards] == [0, 0, 1, 0, 1]
    assert join_shards(shards) == whole.read_bytes()
