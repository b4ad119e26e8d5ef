"""Every manifest synthscale writes is valid Croissant 1.1 (mlcroissant, docs/provenance.md).

The manifests come from the C++ test `ManifestExamples.WriteExamples` and from running
`fit` and `sample` (non-private and private).
"""
import json
import logging
import os
import pathlib
import subprocess
import sys

import pytest

mlc = pytest.importorskip("mlcroissant", reason="mlcroissant is not installed in this venv (requirements-dev.txt)")

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("SYNTHSCALE_BIN", REPO / "build/release/cli/synthscale"))
TESTS_BIN = pathlib.Path(os.environ.get("SYNTHSCALE_TESTS_BIN", BIN.parent.parent / "tests/synthscale_tests"))
ADULT = REPO / "data/adult/adult.csv"


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    if not TESTS_BIN.exists():
        pytest.skip(f"C++ test binary not built at {TESTS_BIN} (it writes the example manifests; "
                    "set SYNTHSCALE_TESTS_BIN)")
    folder = tmp_path_factory.mktemp("manifests")
    result = subprocess.run([str(TESTS_BIN), "--gtest_filter=ManifestExamples.WriteExamples"],
                            env={**os.environ, "SYNTHSCALE_MANIFEST_EXAMPLES_DIR": str(folder)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def validate(path: pathlib.Path, caplog) -> "mlc.Dataset":
    """Load with mlcroissant (it raises ValidationError on any error) and refuse warnings too
    (a non-standard @context, a missing recommended property)."""
    with caplog.at_level(logging.WARNING):
        dataset = mlc.Dataset(jsonld=str(path))
    assert "not standard" not in caplog.text, caplog.text
    assert not dataset.metadata.ctx.issues.warnings, dataset.metadata.ctx.issues.report()
    return dataset


@pytest.mark.parametrize("kind", ["plain", "dp"])
def test_example_manifest_is_valid_croissant(examples, caplog, kind):
    path = examples / kind / "synth.csv.manifest.json"
    dataset = validate(path, caplog)
    metadata = dataset.metadata
    assert metadata.name == "synth.csv"
    assert str(metadata.ctx.conforms_to.value) == "http://mlcommons.org/croissant/1.1"
    names = [file.name for file in metadata.file_objects]
    assert names == ["synth.csv", "report.json", "synth.csv.datacard.md"]
    manifest = json.loads(path.read_text())
    for file, entry in zip(metadata.file_objects, manifest["distribution"]):
        assert file.sha256 == entry["sha256"]
    assert metadata.license == ["unspecified"]
    assert metadata.data_collection.startswith("Synthetic")
    assert metadata.personal_sensitive_information


@pytest.mark.parametrize("kind", ["plain", "dp"])
def test_example_manifest_passes_mlcroissant_validate(examples, kind):
    """The validator's own command line, as a user would run it."""
    validator = pathlib.Path(sys.executable).parent / "mlcroissant"
    if not validator.exists():
        pytest.skip(f"no mlcroissant command beside {sys.executable}")
    result = subprocess.run([str(validator), "validate", "--jsonld", str(examples / kind / "synth.csv.manifest.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Done." in result.stderr, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("method", ["independent", "mst"])
def test_cli_outputs_carry_valid_manifests(tmp_path, caplog, method):
    """fit and sample write `<file>.manifest.json` beside their output (docs/provenance.md)."""
    if not BIN.exists():
        pytest.skip(f"synthscale binary not built at {BIN}")
    model, synth = tmp_path / "model.ssm", tmp_path / "synth.csv"
    private = ["--epsilon", "1", "--delta", "1e-9", "--schema", str(REPO / "data/adult/adult.schema.json")]
    subprocess.run([str(BIN), "-q", "fit", "--method", method, str(ADULT), "-o", str(model),
                    *(private if method == "mst" else [])], check=True, capture_output=True, timeout=300)
    subprocess.run([str(BIN), "-q", "sample", str(model), "-n", "50", "-o", str(synth), "--seed", "1"],
                   check=True, capture_output=True, timeout=300)
    for output in (model, synth):
        path = pathlib.Path(str(output) + ".manifest.json")
        assert path.exists() and pathlib.Path(str(output) + ".datacard.md").exists()
        validate(path, caplog)
        result = subprocess.run([str(BIN), "verify", str(path)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        text = path.read_text()
        # A DP release's manifest does not carry the private input's row count or hash.
        assert ("32561" in text) == (method == "independent" and output == model)
    # Tampering with the synthetic table is caught.
    synth.write_text(synth.read_text().replace(",", ";", 1))
    result = subprocess.run([str(BIN), "verify", str(synth) + ".manifest.json"], capture_output=True, text=True)
    assert result.returncode == 3, result.stdout + result.stderr


def test_report_manifest_is_valid_croissant_and_carries_the_summary(tmp_path, caplog):
    """evaluate writes report.json.manifest.json with the summary as its evaluation."""
    if not BIN.exists():
        pytest.skip(f"synthscale binary not built at {BIN}")
    lines = ADULT.read_text().splitlines(keepends=True)
    (tmp_path / "train.csv").write_text("".join(lines[:1001]))
    (tmp_path / "synth.csv").write_text(lines[0] + "".join(lines[1001:2001]))
    subprocess.run([str(BIN), "-q", "evaluate", "--real", str(tmp_path / "train.csv"), "--synthetic",
                    str(tmp_path / "synth.csv"), "--schema", str(REPO / "data/adult/adult.schema.json"),
                    "--metrics", "marginals", "--bootstrap", "0", "-o", str(tmp_path / "report")],
                   check=True, capture_output=True, timeout=300)
    path = tmp_path / "report/report.json.manifest.json"
    validate(path, caplog)
    assert "tvd_2way_mean" in path.read_text()
    result = subprocess.run([str(BIN), "verify", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
