"""synthscale evaluate: the trust report's files, summary, manifest, errors and determinism."""
import hashlib
import json

import pytest

from conftest import ADULT

SCHEMA = ADULT.parent / "adult.schema.json"


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def adult_split(tmp_path_factory, synthscale_bin):
    """3,000 training and 3,000 holdout rows of Adult, and 3,000 rows sampled from an
    independent-marginals model of the training rows."""
    import subprocess

    folder = tmp_path_factory.mktemp("adult_split")
    lines = ADULT.read_text().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    (folder / "train.csv").write_text(header + "".join(rows[0:3000]))
    (folder / "holdout.csv").write_text(header + "".join(rows[3000:6000]))
    for args in (["fit", "--method", "independent", "--schema", SCHEMA, folder / "train.csv", "-o",
                  folder / "model.ssm", "--no-manifest"],
                 ["sample", folder / "model.ssm", "-n", "3000", "--seed", "5", "-o", folder / "synth.csv",
                  "--no-manifest"]):
        subprocess.run([str(synthscale_bin), *map(str, args)], check=True, capture_output=True)
    return folder


def evaluate_args(folder, out, *extra, seed=11):
    return ["evaluate", "--real", folder / "train.csv", "--holdout", folder / "holdout.csv", "--synthetic",
            folder / "synth.csv", "--schema", SCHEMA, "--target", "income", "--sensitive", "sex,race",
            "--seed", seed, "-o", out, *extra]


def test_writes_report_files_summary_and_manifest(run, adult_split, tmp_path):
    out = tmp_path / "report"
    result = run(*evaluate_args(adult_split, out), check_exit=0)
    report = json.loads((out / "report.json").read_text())
    assert report["format"] == "synthscale-report" and report["version"] == 2
    assert report["inputs"]["real_rows"] == 3000 and report["inputs"]["holdout_rows"] == 3000
    assert report["settings"]["seed"] == "11"
    for key, entry in report["summary"].items():
        assert set(entry) == {"value", "ci"}, key
        assert len(entry["ci"]) == 2
        if entry["value"] is not None and entry["ci"][0] is not None:
            assert entry["ci"][0] <= entry["value"] <= entry["ci"][1], key
    assert "representation_ratio_worst.sex" in report["summary"]
    assert "representation_ratio_highest.sex" in report["summary"]
    assert "representation_ratio_worst.sex" in result.stdout
    # Verdict first, in plain words, one line per section; report.json carries the same.
    lines = result.stdout.splitlines()
    assert lines[0].startswith("trust report:")
    for line, section in zip(lines[1:6], ("fidelity", "detection", "utility", "privacy", "fairness")):
        assert line.split()[0] == section, line
        assert line.split()[1] in ("PASS", "CAUTION", "FAIL"), line
        assert report["verdicts"][section]["verdict"] == line.split()[1].lower()
        assert report["verdicts"][section]["text"] in line
    assert report["baselines"]["source"] == "holdout sample" and report["baselines"]["rows"] == 3000
    assert "tvd_2way_mean" in report["baselines"]["values"]
    dcr = next(check for check in report["verdicts"]["privacy"]["checks"]
               if check["key"] == "dcr_share_closer_to_train")
    assert dcr["expected"] == 0.5  # 3,000 training and 3,000 holdout rows
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    manifest = out / "report.json.manifest.json"
    assert manifest.exists()
    described = json.loads(manifest.read_text())
    assert "representation_ratio_worst.sex" in json.dumps(described)
    run("verify", manifest, check_exit=0)
    (out / "report.html").write_text("tampered")
    run("verify", manifest, check_exit=3)


def test_progress_lines_when_stderr_is_not_a_terminal(run, adult_split, tmp_path):
    """A log gets one line per finished stage with its time; the output folder's trailing
    slash is not doubled in the paths printed."""
    out = tmp_path / "report"
    result = run(*evaluate_args(adult_split, f"{out}/", "--no-manifest"), check_exit=0)
    stages = [line for line in result.stderr.splitlines() if line.startswith("synthscale: evaluate: ")]
    names = [line.split(": ")[2] for line in stages]
    assert names[:3] == ["marginals", "column_shapes", "correlations"] and names[-1] == "baselines", names
    assert all(line.endswith(" s") for line in stages), stages
    assert len(result.stderr.splitlines()) < 40  # a line per stage, not a flood
    assert f"{out}/report.json" in result.stderr and "//" not in result.stderr


def test_report_json_is_identical_for_1_2_and_8_threads(run, adult_split, tmp_path):
    digests = set()
    for threads in (1, 2, 8):
        out = tmp_path / f"t{threads}"
        run("--threads", threads, *evaluate_args(adult_split, out, "--no-manifest"), check_exit=0)
        digests.add(sha256(out / "report.json"))
    assert len(digests) == 1


def test_seed_changes_the_intervals(run, adult_split, tmp_path):
    run(*evaluate_args(adult_split, tmp_path / "a", "--no-manifest"), check_exit=0)
    run(*evaluate_args(adult_split, tmp_path / "b", "--no-manifest", seed=12), check_exit=0)
    a = json.loads((tmp_path / "a/report.json").read_text())["summary"]
    b = json.loads((tmp_path / "b/report.json").read_text())["summary"]
    assert a.keys() == b.keys()
    assert any(a[key]["ci"] != b[key]["ci"] for key in a)


def test_existing_report_is_kept(run, adult_split, tmp_path):
    out = tmp_path / "report"
    run(*evaluate_args(adult_split, out, "--metrics", "subgroups"), check_exit=0)
    before = sha256(out / "report.json")
    result = run(*evaluate_args(adult_split, out, "--metrics", "subgroups"), check_exit=6)
    assert "--force" in result.stderr
    assert sha256(out / "report.json") == before
    run(*evaluate_args(adult_split, out, "--metrics", "subgroups", "--force"), check_exit=0)


@pytest.mark.parametrize("extra, code, message", [
    (["--sensitive", "colour"], 2, "'colour'"),
    (["--metrics", "no_such_metric"], 2, "choose from"),
    (["--confidence", "1.5"], 2, "confidence"),
    (["--mix", "-1"], 2, "mixing ratios"),
])
def test_bad_options_are_usage_errors_and_write_nothing(run, adult_split, tmp_path, extra, code, message):
    out = tmp_path / "report"
    result = run(*evaluate_args(adult_split, out), *extra, check_exit=code)
    assert message in result.stderr
    assert not (out / "report.json").exists()


def test_missing_input_is_an_io_error(run, adult_split, tmp_path):
    result = run("evaluate", "--real", tmp_path / "nope.csv", "--synthetic", adult_split / "synth.csv",
                 "--schema", SCHEMA, "-o", tmp_path / "r", check_exit=4)
    assert "nope.csv" in result.stderr


def test_metric_needing_missing_inputs_is_refused_when_asked_for(run, adult_split, tmp_path):
    result = run("evaluate", "--real", adult_split / "train.csv", "--synthetic", adult_split / "synth.csv",
                 "--schema", SCHEMA, "--metrics", "subgroups", "-o", tmp_path / "r", check_exit=2)
    assert "needs --sensitive" in result.stderr


def test_negative_seed_is_refused_not_wrapped(run, adult_split, tmp_path):
    result = run(*evaluate_args(adult_split, tmp_path / "r", seed="-1"), check_exit=2)
    assert "--seed" in result.stderr
