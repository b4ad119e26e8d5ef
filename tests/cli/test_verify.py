"""`synthscale verify`: re-hashes the files a manifest lists (docs/provenance.md).

fit and sample do not write manifests yet, so the manifests come from the C++ test
`ManifestExamples.WriteExamples` (tests/provenance/manifest_test.cpp), run with
SYNTHSCALE_MANIFEST_EXAMPLES_DIR pointing at a temporary folder.
"""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import BIN

TESTS_BIN = pathlib.Path(os.environ.get("SYNTHSCALE_TESTS_BIN", BIN.parent.parent / "tests/synthscale_tests"))


@pytest.fixture
def examples(tmp_path):
    """A folder with plain/ and dp/ manifests (synth.csv, report.json and the data card)."""
    if not TESTS_BIN.exists():
        pytest.skip(f"C++ test binary not built at {TESTS_BIN} (it writes the example manifests; "
                    "set SYNTHSCALE_TESTS_BIN)")
    result = subprocess.run([str(TESTS_BIN), "--gtest_filter=ManifestExamples.WriteExamples"],
                            env={**os.environ, "SYNTHSCALE_MANIFEST_EXAMPLES_DIR": str(tmp_path)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path


@pytest.fixture
def verify_available(run):
    if "verify" not in run("--help").stdout:
        pytest.skip("this synthscale binary has no 'verify' subcommand")


@pytest.mark.parametrize("kind", ["plain", "dp"])
def test_untouched_files_verify(run, examples, verify_available, kind):
    result = run("verify", examples / kind / "synth.csv.manifest.json", check_exit=0)
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["ok", "ok", "ok"]
    assert "synth.csv" in lines[0] and "report.json" in lines[1] and "synth.csv.datacard.md" in lines[2]
    assert lines[-1].startswith("all 3 files match")
    assert result.stderr == ""


def test_verify_works_from_another_folder(run, examples, verify_available, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    run("verify", (examples / "dp/synth.csv.manifest.json").resolve(), cwd=elsewhere, check_exit=0)


def test_moved_release_still_verifies(run, examples, verify_available, tmp_path_factory):
    moved = tmp_path_factory.mktemp("moved") / "release"
    shutil.copytree(examples / "dp", moved)
    run("verify", moved / "synth.csv.manifest.json", check_exit=0)


def test_changed_byte_exits_3(run, examples, verify_available):
    target = examples / "dp/synth.csv"
    data = bytearray(target.read_bytes())
    data[-2] ^= 1  # same size, one bit different
    target.write_bytes(bytes(data))
    result = run("verify", examples / "dp/synth.csv.manifest.json", check_exit=3)
    assert result.stdout.splitlines()[0].startswith("MISMATCH    synth.csv: sha256 ")
    assert "manifest says" in result.stdout
    assert result.stderr.count("\n") == 1
    assert "1 of 3 files do not match the manifest (1 changed, 0 missing" in result.stderr


def test_truncated_file_exits_3(run, examples, verify_available):
    target = examples / "plain/report.json"
    target.write_bytes(target.read_bytes()[:-1])
    result = run("verify", examples / "plain/synth.csv.manifest.json", check_exit=3)
    assert result.stdout.splitlines()[1].startswith("SIZE        report.json: ")


def test_deleted_file_exits_4(run, examples, verify_available):
    (examples / "plain/synth.csv.datacard.md").unlink()
    result = run("verify", examples / "plain/synth.csv.manifest.json", check_exit=4)
    assert result.stdout.splitlines()[2].startswith("MISSING     synth.csv.datacard.md: no file at ")
    assert "0 changed, 1 missing" in result.stderr


def test_changed_and_missing_exits_3(run, examples, verify_available):
    (examples / "plain/synth.csv.datacard.md").unlink()
    (examples / "plain/synth.csv").write_text("tampered\n")
    run("verify", examples / "plain/synth.csv.manifest.json", check_exit=3)


def test_json_output(run, examples, verify_available):
    (examples / "dp/report.json").write_text("{}\n")
    result = run("verify", "--json", examples / "dp/synth.csv.manifest.json", check_exit=3)
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [file["status"] for file in report["files"]] == ["ok", "size_changed", "ok"]
    changed = report["files"][1]
    assert changed["content_url"] == "report.json"
    assert changed["actual_size"] == 3 and changed["expected_size"] > 3
    assert len(changed["expected_sha256"]) == 64 and changed["actual_sha256"] != changed["expected_sha256"]


def test_missing_manifest_exits_4(run, verify_available, tmp_path):
    result = run("verify", tmp_path / "none.manifest.json", check_exit=4)
    assert "cannot read manifest" in result.stderr


def test_not_a_manifest_exits_3(run, verify_available, tmp_path):
    (tmp_path / "x.json").write_text('{"name": "x"}')
    result = run("verify", tmp_path / "x.json", check_exit=3)
    assert "no 'distribution' list" in result.stderr


def test_dp_manifest_withholds_input_hash(examples):
    manifest = json.loads((examples / "dp/synth.csv.manifest.json").read_text())
    (source,) = manifest["prov:wasDerivedFrom"]
    assert source["name"] == "adult.csv" and "sha256" not in source and "contentSize" not in source
    plain = json.loads((examples / "plain/synth.csv.manifest.json").read_text())
    assert len(plain["prov:wasDerivedFrom"][0]["sha256"]) == 64
