"""examples/slurm: the batch scripts run under bash with the SLURM_* variables a job array
would set, and `srun` replaced by a shim that runs its arguments. The shards must join to the
unsharded sample and every shard's manifest must verify."""
import json
import os
import subprocess

import pytest

from conftest import ADULT, REPO

EXAMPLE = REPO / "examples/slurm"
ROWS = 1001  # not divisible by 4
SEED = 20250101
TASKS = 4


@pytest.fixture
def slurm_env(synthscale_bin, tmp_path):
    """A PATH whose `srun` just execs its arguments, and the scripts' settings."""
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "srun").write_text('#!/bin/sh\nexec "$@"\n')
    (shim / "srun").chmod(0o755)
    env = {name: value for name, value in os.environ.items() if not name.startswith("SLURM_")}
    env.update(PATH=f"{shim}:{env['PATH']}", SYNTHSCALE=str(synthscale_bin), MODEL=str(tmp_path / "model.ssm"),
               ROWS=str(ROWS), SEED=str(SEED), OUT=str(tmp_path / "shards"), DATA=str(ADULT),
               SCHEMA=str(REPO / "data/adult/adult.schema.json"), METHOD="mst",
               BUDGET="--epsilon 1 --delta 1e-9 --max-iterations 100", SLURM_CPUS_PER_TASK="2")
    return env


def run_script(name, env, cwd):
    result = subprocess.run(["bash", str(EXAMPLE / name)], capture_output=True, text=True, env=env, cwd=cwd,
                            timeout=300)
    assert result.returncode == 0, (name, result.stdout, result.stderr)
    return result


def test_fit_then_array_shards_join_to_the_unsharded_sample(synthscale_bin, slurm_env, tmp_path, run):
    key = tmp_path / "noise.key"
    key.write_bytes(bytes(range(32)))  # a fixed test key, NOT one to use for real data
    run_script("fit.sbatch", dict(slurm_env, NOISE_KEY_FILE=str(key), SLURM_JOB_ID="100"), tmp_path)
    model = tmp_path / "model.ssm"
    assert json.loads(run("inspect", model, "--json", check_exit=0).stdout)["fit"]["seed"] == str(SEED)

    for task_id in range(TASKS):  # sbatch --array=0-3 would run these, in any order
        env = dict(slurm_env, SLURM_ARRAY_JOB_ID="101", SLURM_JOB_ID=str(102 + task_id),
                   SLURM_ARRAY_TASK_ID=str(task_id), SLURM_ARRAY_TASK_COUNT=str(TASKS),
                   SLURM_ARRAY_TASK_MIN="0", SLURM_ARRAY_TASK_MAX=str(TASKS - 1), SLURM_ARRAY_TASK_STEP="1")
        result = run_script("sample-array.sbatch", env, tmp_path)
        assert f"shard {task_id} of {TASKS}" in result.stderr
    shards = [tmp_path / "shards" / f"part-{task_id:05d}.csv" for task_id in range(TASKS)]
    for shard in shards:
        run("verify", f"{shard}.manifest.json", check_exit=0)

    whole = tmp_path / "whole.csv"
    run("sample", model, "-n", ROWS, "--seed", SEED, "-o", whole, "--no-manifest", check_exit=0)
    parts = [shard.read_bytes() for shard in shards]
    header = parts[0].split(b"\n", 1)[0] + b"\n"
    joined = parts[0] + b"".join(part[len(header):] for part in parts[1:])
    assert joined == whole.read_bytes()
    # floor(I * 1001 / 4) for I = 0..4: 0, 250, 500, 750, 1001.
    assert [part.count(b"\n") - 1 for part in parts] == [250, 250, 250, 251]

    # A re-queued task redraws the same bytes.
    before = parts[2]
    env = dict(slurm_env, SLURM_ARRAY_TASK_ID="2", SLURM_ARRAY_TASK_COUNT=str(TASKS), SLURM_ARRAY_TASK_MIN="0")
    run_script("sample-array.sbatch", env, tmp_path)
    assert shards[2].read_bytes() == before


def test_array_script_outside_an_array_says_how_to_run_it(slurm_env, tmp_path):
    result = subprocess.run(["bash", str(EXAMPLE / "sample-array.sbatch")], capture_output=True, text=True,
                            env=slurm_env, cwd=tmp_path, timeout=60)
    assert result.returncode != 0
    assert "sbatch --array" in result.stderr


def test_scripts_declare_an_array_and_use_srun():
    text = (EXAMPLE / "sample-array.sbatch").read_text()
    assert "#SBATCH --array=0-3" in text
    assert "srun " in text and "--seed" in text
    for name in ("sample-array.sbatch", "fit.sbatch"):
        syntax = subprocess.run(["bash", "-n", str(EXAMPLE / name)], capture_output=True, text=True)
        assert syntax.returncode == 0, syntax.stderr
