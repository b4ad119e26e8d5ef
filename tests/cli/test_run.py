"""`synthscale run pipeline.yaml`: plan, cache, resume, failures, kills, dry runs."""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

import pytest

from conftest import ADULT, REPO

SCHEMA = REPO / "data/adult/adult.schema.json"
REAL_ROWS = 1000

PIPELINE = """\
version: 1
defaults:
  seed: 5
steps:
  ingest:
    kind: ingest
    inputs: {data: data.csv, schema: schema.json}
  fit:
    kind: fit
    inputs:
      data: ${ingest.data}
      schema: ${ingest.schema}
    params: {method: independent}
    outputs: {model: out/model.ssm}
  sample:
    kind: sample
    inputs: {model: "${fit.model}"}
    params: {rows: 600}
    outputs: {data: out/synth.csv}
  mix:
    kind: mix
    inputs: {real: "${ingest.data}", synthetic: "${sample.data}", schema: "${ingest.schema}"}
    params: {share: 0.5}
    outputs: {data: out/mixed.csv}
"""

ALL = ["ingest", "fit", "sample", "mix"]


@pytest.fixture
def workdir(tmp_path):
    """A pipeline folder with the first REAL_ROWS rows of Adult and its schema."""
    with open(ADULT, encoding="utf-8") as source:
        lines = [next(source) for _ in range(REAL_ROWS + 1)]
    (tmp_path / "data.csv").write_text("".join(lines), encoding="utf-8")
    shutil.copy(SCHEMA, tmp_path / "schema.json")
    (tmp_path / "pipeline.yaml").write_text(PIPELINE, encoding="utf-8")
    return tmp_path


def steps_that(stderr, what):
    """Names of the steps whose progress line says `what` (running, skipped, failed ...)."""
    return [m.group(1) for m in re.finditer(r"^synthscale: \[\d+/\d+\] (\S+) \(\w+\): " + what, stderr, re.M)]


def rows(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def snapshot(folder):
    """Every file under `folder` with its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_first_run_runs_everything_and_second_skips_everything(run, workdir):
    first = run("run", workdir / "pipeline.yaml", check_exit=0)
    assert steps_that(first.stderr, "running") == ALL
    assert rows(workdir / "out/synth.csv") == 600
    # mix: every real row, then 0.5 x 1000 = 500 synthetic ones.
    assert rows(workdir / "out/mixed.csv") == REAL_ROWS + 500
    for step in ALL:
        assert (workdir / ".synthscale/steps" / f"{step}.json").is_file()
    before = snapshot(workdir / "out")

    second = run("run", workdir / "pipeline.yaml", check_exit=0)
    assert steps_that(second.stderr, "running") == []
    assert steps_that(second.stderr, "skipped, up to date") == ALL
    assert "0 ran, 4 up to date, 0 failed" in second.stderr
    assert snapshot(workdir / "out") == before


def test_parameter_change_reruns_that_step_and_downstream_only(run, workdir):
    run("run", workdir / "pipeline.yaml", check_exit=0)
    edit(workdir / "pipeline.yaml", "rows: 600", "rows: 700")
    again = run("run", workdir / "pipeline.yaml", check_exit=0)
    assert steps_that(again.stderr, "running") == ["sample", "mix"]
    assert steps_that(again.stderr, "skipped") == ["ingest", "fit"]
    assert "parameter 'rows' changed: 600 -> 700" in again.stderr
    assert rows(workdir / "out/synth.csv") == 700


def test_input_change_reruns_the_steps_that_read_it(run, workdir):
    run("run", workdir / "pipeline.yaml", check_exit=0)
    data = workdir / "data.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer
    again = run("run", workdir / "pipeline.yaml", check_exit=0)
    assert steps_that(again.stderr, "running") == ALL
    assert "input 'data' changed" in again.stderr
    assert rows(workdir / "out/mixed.csv") == (REAL_ROWS - 1) + 500  # round(0.5 x 999) = 500


def test_tampered_output_is_remade(run, workdir):
    run("run", workdir / "pipeline.yaml", check_exit=0)
    (workdir / "out/synth.csv").write_text("tampered\n", encoding="utf-8")
    again = run("run", workdir / "pipeline.yaml", check_exit=0)
    assert steps_that(again.stderr, "running") == ["sample"]  # mix's inputs are as before again
    assert "output 'out/synth.csv' changed since the step wrote it" in again.stderr
    assert rows(workdir / "out/synth.csv") == 600


def test_failing_step_passes_its_exit_code_and_the_rerun_resumes_there(run, workdir):
    edit(workdir / "pipeline.yaml", "{method: independent}", "{method: mst}")  # mst needs a budget
    failed = run("run", workdir / "pipeline.yaml")
    assert failed.returncode == 2, failed.stderr  # fit's own exit code (usage), passed through
    assert steps_that(failed.stderr, "running") == ["ingest", "fit"]
    assert steps_that(failed.stderr, "failed with exit code 2") == ["fit"]
    assert "1 ran, 0 up to date, 1 failed, 2 not run" in failed.stderr
    assert (workdir / ".synthscale/steps/ingest.json").is_file()
    assert not (workdir / ".synthscale/steps/fit.json").exists()
    assert not (workdir / "out/model.ssm").exists()

    edit(workdir / "pipeline.yaml", "{method: mst}", "{method: independent}")
    fixed = run("run", workdir / "pipeline.yaml", check_exit=0)
    assert steps_that(fixed.stderr, "skipped") == ["ingest"]
    assert steps_that(fixed.stderr, "running") == ["fit", "sample", "mix"]


def test_keep_going_runs_independent_steps_after_a_failure(run, workdir):
    edit(workdir / "pipeline.yaml", "params: {share: 0.5}", "params: {share: 5}")  # needs 5000 rows
    text = (workdir / "pipeline.yaml").read_text(encoding="utf-8")
    text += ("  other:\n    kind: sample\n    inputs: {model: \"${fit.model}\"}\n"
             "    params: {rows: 10}\n    outputs: {data: out/other.csv}\n")
    (workdir / "pipeline.yaml").write_text(text, encoding="utf-8")
    stopped = run("run", workdir / "pipeline.yaml")
    assert stopped.returncode == 2
    assert steps_that(stopped.stderr, "running") == ["ingest", "fit", "sample", "mix"]
    assert "mix needs 5000 synthetic rows" in stopped.stderr
    assert not (workdir / "out/other.csv").exists()
    going = run("run", workdir / "pipeline.yaml", "--keep-going")
    assert going.returncode == 2
    assert steps_that(going.stderr, "running") == ["mix", "other"]
    assert (workdir / "out/other.csv").is_file()


def processes_in(folder):
    """Pids of processes whose working folder is `folder` (the steps run there)."""
    pids = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "cwd") == str(folder):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def test_sigkill_of_run_leaves_no_partial_output_and_the_next_run_resumes(synthscale_bin, run, workdir):
    # A sample big enough to be killed in the middle of (about 3 s on 2 cores).
    edit(workdir / "pipeline.yaml", "rows: 600", "rows: 3000000")
    run("run", workdir / "pipeline.yaml", "--until", "fit", check_exit=0)
    proc = subprocess.Popen([str(synthscale_bin), "run", str(workdir / "pipeline.yaml")],
                            stderr=subprocess.PIPE, text=True)
    seen = ""
    for line in proc.stderr:
        seen += line
        if "sample (sample): running" in line:
            break
    assert "sample (sample): running" in seen, seen
    # Wait until the child has started writing its temporary file.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((workdir / "out").glob(".synth.csv.tmp.*")):
        time.sleep(0.05)
    assert list((workdir / "out").glob(".synth.csv.tmp.*")), "the sample step never started writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    # The step dies with its parent (no orphan racing the next run), and leaves no output.
    deadline = time.monotonic() + 10
    while processes_in(workdir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_in(workdir) == []
    assert not (workdir / "out/synth.csv").exists()
    assert not (workdir / ".synthscale/steps/sample.json").exists()

    resumed = run("run", workdir / "pipeline.yaml", check_exit=0)
    assert steps_that(resumed.stderr, "skipped") == ["ingest", "fit"]
    assert steps_that(resumed.stderr, "running") == ["sample", "mix"]
    assert rows(workdir / "out/synth.csv") == 3000000
    assert not list((workdir / "out").glob(".*.tmp.*"))  # the killed step's temporary is gone


def test_dry_run_writes_nothing_and_explains(run, workdir):
    before = snapshot(workdir)
    plan = run("run", workdir / "pipeline.yaml", "--dry-run", check_exit=0)
    assert snapshot(workdir) == before
    assert not (workdir / ".synthscale").exists() and not (workdir / "out").exists()
    assert "run   ingest: no record of an earlier run" in plan.stdout
    assert "run   fit: no record of an earlier run" in plan.stdout
    assert "run   sample: input 'model' comes from step 'fit', which runs first" in plan.stdout
    assert ("synthscale fit data.csv -o out/model.ssm --force --schema schema.json --method independent"
            in plan.stdout)
    assert "synthscale sample out/model.ssm -o out/synth.csv --force --num-shards 1 --rows 600 --seed 5" in plan.stdout

    run("run", workdir / "pipeline.yaml", check_exit=0)
    edit(workdir / "pipeline.yaml", "rows: 600", "rows: 700")
    before = snapshot(workdir)
    plan = run("run", workdir / "pipeline.yaml", "--dry-run", check_exit=0)
    assert snapshot(workdir) == before
    assert "skip  ingest: up to date" in plan.stdout
    assert "skip  fit: up to date" in plan.stdout
    assert "run   sample: parameter 'rows' changed: 600 -> 700" in plan.stdout
    assert "run   mix: input 'synthetic' comes from step 'sample', which runs first" in plan.stdout


def test_until_and_only(run, workdir):
    until = run("run", workdir / "pipeline.yaml", "--until", "sample", check_exit=0)
    assert steps_that(until.stderr, "running") == ["ingest", "fit", "sample"]
    assert not (workdir / "out/mixed.csv").exists()
    only = run("run", workdir / "pipeline.yaml", "--only", "mix", check_exit=0)
    assert steps_that(only.stderr, "running") == ["mix"]
    unknown = run("run", workdir / "pipeline.yaml", "--only", "nope")
    assert unknown.returncode == 2
    assert "no such step" in unknown.stderr and "ingest, fit, sample, mix" in unknown.stderr


def test_bad_pipeline_file_is_exit_2_with_its_location(run, workdir):
    edit(workdir / "pipeline.yaml", "params: {rows: 600}", "params: {rows: 600, sed: 1}")
    bad = run("run", workdir / "pipeline.yaml")
    assert bad.returncode == 2
    assert re.search(r"pipeline\.yaml:\d+:\d+: error: unknown key 'sed' in the params of step 'sample'", bad.stderr), \
        bad.stderr
    assert not (workdir / ".synthscale").exists()


def test_cycle_is_exit_2(run, workdir):
    edit(workdir / "pipeline.yaml", "data: ${ingest.data}", "data: ${mix.data}")
    bad = run("run", workdir / "pipeline.yaml")
    assert bad.returncode == 2
    assert "the steps form a cycle: fit -> sample -> mix -> fit" in bad.stderr


def test_missing_input_file_is_exit_4(run, workdir):
    (workdir / "data.csv").unlink()
    missing = run("run", workdir / "pipeline.yaml")
    assert missing.returncode == 4
    assert "input 'data' of step 'ingest': file 'data.csv' does not exist" in missing.stderr


def test_killed_step_fails_the_run_with_128_plus_signal(synthscale_bin, run, workdir):
    edit(workdir / "pipeline.yaml", "rows: 600", "rows: 3000000")
    run("run", workdir / "pipeline.yaml", "--until", "fit", check_exit=0)
    proc = subprocess.Popen([str(synthscale_bin), "run", str(workdir / "pipeline.yaml")],
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((workdir / "out").glob(".synth.csv.tmp.*")):
        time.sleep(0.05)
    children = [pid for pid in processes_in(workdir) if pid != proc.pid]
    assert children, "the sample step never started"
    # Meanwhile a second run of the same pipeline is refused: they would race.
    busy = run("run", workdir / "pipeline.yaml")
    assert busy.returncode == 4
    assert "another 'synthscale run' is using" in busy.stderr
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGKILL, stderr
    assert "sample (sample): failed with exit code 137" in stderr
    assert not (workdir / ".synthscale/steps/sample.json").exists()
    assert not (workdir / "out/synth.csv").exists()


def example_copy(tmp_path):
    """examples/pipeline/adult.yaml where its relative paths to data/ still hold."""
    (tmp_path / "examples/pipeline").mkdir(parents=True)
    shutil.copy(REPO / "examples/pipeline/adult.yaml", tmp_path / "examples/pipeline/adult.yaml")
    (tmp_path / "data").symlink_to(REPO / "data")
    return tmp_path / "examples/pipeline/adult.yaml"


def test_example_pipeline_runs_end_to_end_and_then_is_up_to_date(run, tmp_path):
    pipeline = example_copy(tmp_path)
    plan = run("run", pipeline, "--dry-run", check_exit=0)
    assert ("synthscale --threads 0 evaluate --real ../../data/adult/adult.csv --holdout "
            "../../data/adult/adult_test.csv --synthetic out/adult-synthetic.csv --schema "
            "../../data/adult/adult.schema.json -o out/report --force --seed 20240521 --sensitive sex,race "
            "--target income" in plan.stdout), plan.stdout
    done = run("run", pipeline, check_exit=0)
    assert steps_that(done.stderr, "running") == ["ingest", "fit", "sample", "evaluate"]
    out = pipeline.parent / "out"
    assert rows(out / "adult-synthetic.csv") == 32561
    run("verify", out / "adult-synthetic.csv.manifest.json", check_exit=0)
    report = json.loads((out / "report/report.json").read_text())
    assert report["settings"]["seed"] == "20240521"
    assert "tstr_over_trtr" in report["summary"] and "representation_ratio_worst.race" in report["summary"]
    run("verify", out / "report/report.json.manifest.json", check_exit=0)
    again = run("run", pipeline, check_exit=0)
    assert steps_that(again.stderr, "skipped, up to date") == ["ingest", "fit", "sample", "evaluate"]


def test_sigterm_of_run_stops_its_step_and_exits_143(synthscale_bin, run, workdir):
    # What Slurm sends at a time limit: passed to the step, then run stops with 128 + 15.
    edit(workdir / "pipeline.yaml", "rows: 600", "rows: 3000000")
    run("run", workdir / "pipeline.yaml", "--until", "fit", check_exit=0)
    proc = subprocess.Popen([str(synthscale_bin), "run", str(workdir / "pipeline.yaml")],
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((workdir / "out").glob(".synth.csv.tmp.*")):
        time.sleep(0.05)
    assert list((workdir / "out").glob(".synth.csv.tmp.*")), "the sample step never started writing"
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "stopped by signal 15" in stderr
    assert processes_in(workdir) == []
    assert not (workdir / "out/synth.csv").exists()
    assert not (workdir / ".synthscale/steps/sample.json").exists()
    assert not (workdir / "out/mixed.csv").exists()  # no step after the signal


def test_sample_step_inside_a_slurm_array_writes_every_row(run, workdir, synthscale_bin):
    # A pipeline run as one task of a Slurm array (a sweep, say) must not let its sample
    # step read the array's variables and write only a slice.
    env = {**os.environ, "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0"}
    result = subprocess.run([str(synthscale_bin), "run", str(workdir / "pipeline.yaml"), "--until", "sample"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert rows(workdir / "out/synth.csv") == 600
