"""synthscale.text.audit: the text audit from Python returns report.json as a dict."""
import inspect
import json
import os
import subprocess

import pytest

import synthscale
from synthscale import _core
from python_fixtures import REPO

BIN = os.environ.get("SYNTHSCALE_BIN", str(REPO / "build/release/cli/synthscale"))

SENTENCES = [
    "Der Ausschuss trifft sich nächste Woche wieder, um den Haushalt und den Zeitplan zu besprechen.",
    "Le comité se réunira la semaine prochaine pour discuter du budget et du nouveau calendrier.",
    "The committee will meet again next week to discuss the budget and the new schedule.",
]


@pytest.fixture
def corpus(tmp_path):
    docs = [{"id": f"d{index}", "text": f"{SENTENCES[index % 3]} Nummer {index} {'x' * (index % 5)}"}
            for index in range(12)]
    docs.append({"id": "copy", "text": docs[0]["text"]})
    synthetic = tmp_path / "synthetic.jsonl"
    synthetic.write_text("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in docs), encoding="utf-8")
    source = tmp_path / "source.jsonl"
    source.write_text(json.dumps({"id": "s0", "text": "Vorher. " + SENTENCES[0] + " Nachher."}) + "\n")
    bench = tmp_path / "quiz.jsonl"
    bench.write_text(json.dumps({"id": "q0", "text": SENTENCES[2]}) + "\n")
    return tmp_path


def test_audit_returns_report_json_as_a_dict(corpus):
    out = corpus / "report"
    report = synthscale.text.audit(corpus / "synthetic.jsonl", source=corpus / "source.jsonl",
                                   benchmarks=[corpus / "quiz.jsonl"], languages={"de": 1, "fr": 1},
                                   output_dir=out, threads=2)
    assert json.loads((out / "report.json").read_text()) == report
    assert (out / "report.html").exists()
    assert report["format"] == "synthscale-text-report"
    assert report["summary"]["documents"] == 13
    assert ["d0", "copy"] in report["exact_duplicates"]["clusters"]
    assert report["memorisation"]["documents"][0]["source_id"] == "s0"
    assert report["contamination"]["items"][0]["benchmark_id"] == "q0"
    assert report["languages"]["de"]["target_share"] == 0.5
    with pytest.raises(synthscale.OutputExistsError):
        synthscale.text.audit(corpus / "synthetic.jsonl", output_dir=out)


@pytest.mark.skipif(not os.path.exists(BIN), reason=f"synthscale program not built at {BIN}")
def test_same_dict_as_the_command_line(corpus):
    out = corpus / "cli"
    subprocess.run([BIN, "text", "audit", "--synthetic", str(corpus / "synthetic.jsonl"), "--benchmark",
                    str(corpus / "quiz.jsonl"), "--shingle-words", "3", "-o", str(out)], check=True,
                   capture_output=True)
    from_cli = json.loads((out / "report.json").read_text())
    report = synthscale.text.audit(str(corpus / "synthetic.jsonl"), benchmarks=str(corpus / "quiz.jsonl"),
                                   shingle_words=3, threads=1)
    # The two builds may come from different commits in a working tree; all else is equal.
    assert report.pop("generator")["version"] == from_cli.pop("generator")["version"]
    assert report == from_cli


def test_result_does_not_depend_on_threads(corpus):
    reports = [synthscale.text.audit(corpus / "synthetic.jsonl", source=corpus / "source.jsonl", threads=threads)
               for threads in (1, 2, 4)]
    assert reports[0] == reports[1] == reports[2]


def test_keywords_mirror_the_option_table():
    parameters = inspect.signature(synthscale.text.audit).parameters
    for name, kind, default, help_text in _core.text_audit_options():
        assert name in parameters, name
        assert str(parameters[name].default) == default, name
        assert help_text
        assert kind in ("str", "int", "float")


def test_errors_raise_the_package_exceptions(corpus):
    synthetic = corpus / "synthetic.jsonl"
    with pytest.raises(synthscale.InvalidArgumentError, match="jaccard_threshold must be in"):
        synthscale.text.audit(synthetic, jaccard_threshold=1.5)
    with pytest.raises(synthscale.InvalidArgumentError, match="threads"):
        synthscale.text.audit(synthetic, threads=0)
    with pytest.raises(synthscale.SynthscaleIOError):
        synthscale.text.audit(corpus / "missing.jsonl")
    bad = corpus / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": 1}\n')
    with pytest.raises(synthscale.InvalidDataError) as error:
        synthscale.text.audit(bad)
    assert error.value.line == 2
    with pytest.raises(synthscale.InvalidDataError, match="unknown language code"):
        synthscale.text.audit(synthetic, languages={"klingon": 1})
