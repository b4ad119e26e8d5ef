"""Time SDMetrics' reports and Anonymeter's attacks on one real/holdout/synthetic triple,
for bench/eval.sh (docs/benchmarks.md). Prints one JSON object: per peer step, its wall
time (data loading excluded) and the values comparable with synthscale's report.

    .venv-bench-eval/bin/python bench/eval_peers.py --real train.csv --holdout holdout.csv \
        --synthetic synth.csv --schema adult.schema.json
        [--steps quality,diagnostic,dcr,singling_out,linkability,inference] [--sensitive sex] [--n-jobs 2]

Peers (venv: requirements-bench-eval.txt, `scripts/install-deps.sh --bench-eval`):
  sdmetrics   QualityReport (Column Shapes: KSComplement / TVComplement per column; Column
              Pair Trends: CorrelationSimilarity / ContingencySimilarity per pair) and
              DiagnosticReport, with their defaults (pair metrics subsample to 50,000 rows,
              which Adult does not exceed), and DCROverfittingProtection (share of synthetic
              rows closer to train than to holdout), exact (num_rows_subsample=None, its
              default), like ours. It is quadratic in pure pandas: bench/eval.sh runs it on
              a few thousand rows only.
  anonymeter  SinglingOutEvaluator (univariate), LinkabilityEvaluator (aux columns split in
              two halves) and InferenceEvaluator (secret = --sensitive, aux = the others),
              with n_attacks = its default 2,000 for linkability/inference and 500 for
              singling out: Anonymeter samples its attacks, it is not exact. Anonymeter's
              method is patent-pending; it runs here only as a peer.
"""
import argparse
import json
import sys
import time

import pandas as pd


def read(path, schema):
    frame = pd.read_csv(path, na_values=["?", ""], keep_default_na=False)
    return frame[[column["name"] for column in schema["columns"]]]


def sdtypes(schema):
    numeric = {"integer", "continuous", "datetime"}
    return {"columns": {c["name"]: {"sdtype": "numerical" if c["type"] in numeric else
                                    "boolean" if c["type"] == "boolean" else "categorical"}
                        for c in schema["columns"]}}


def timed(results, name, function):
    print(f"eval_peers: {name} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    value = function()
    results[name] = {"seconds": time.perf_counter() - start, **(value or {})}
    print(f"eval_peers: {name} took {results[name]['seconds']:.1f} s", file=sys.stderr, flush=True)


def run_sdmetrics(real, holdout, synthetic, metadata, steps, results):
    from sdmetrics.reports.single_table import DiagnosticReport, QualityReport
    from sdmetrics.single_table import DCROverfittingProtection

    def quality():
        report = QualityReport()
        report.generate(real, synthetic, metadata, verbose=False)
        shapes = report.get_details("Column Shapes")
        pairs = report.get_details("Column Pair Trends")
        return {"score": report.get_score(),
                "column_shapes": {row["Column"]: row["Score"] for _, row in shapes.iterrows()},
                "column_pair_trends": [{"columns": [row["Column 1"], row["Column 2"]], "metric": row["Metric"],
                                        "score": row["Score"]} for _, row in pairs.iterrows()]}

    def diagnostic():
        report = DiagnosticReport()
        report.generate(real, synthetic, metadata, verbose=False)
        return {"score": report.get_score()}

    def dcr():
        score = DCROverfittingProtection.compute_breakdown(
            real_training_data=real, synthetic_data=synthetic, real_validation_data=holdout,
            metadata={"tables": {"table": metadata}}, table_name="table", num_rows_subsample=None)
        return {"breakdown": score}

    for step, name, function in (("quality", "sdmetrics_quality", quality),
                                 ("diagnostic", "sdmetrics_diagnostic", diagnostic),
                                 ("dcr", "sdmetrics_dcr_overfitting", dcr)):
        if step in steps:
            timed(results, name, function)


def run_anonymeter(real, holdout, synthetic, sensitive, n_jobs, steps, results):
    from anonymeter.evaluators import InferenceEvaluator, LinkabilityEvaluator, SinglingOutEvaluator

    columns = list(real.columns)

    def risk(evaluator):
        value = evaluator.risk()
        return {"risk": value.value, "ci": list(value.ci)}

    def singling_out():
        evaluator = SinglingOutEvaluator(ori=real, syn=synthetic, control=holdout, n_attacks=500)
        evaluator.evaluate(mode="univariate")
        return risk(evaluator)

    def linkability():
        half = len(columns) // 2
        evaluator = LinkabilityEvaluator(ori=real, syn=synthetic, control=holdout, n_attacks=2000,
                                         aux_cols=(columns[:half], columns[half:]), n_neighbors=10)
        evaluator.evaluate(n_jobs=n_jobs)
        return risk(evaluator)

    def inference():
        aux = [column for column in columns if column != sensitive]
        evaluator = InferenceEvaluator(ori=real, syn=synthetic, control=holdout, aux_cols=aux, secret=sensitive,
                                       n_attacks=2000)
        evaluator.evaluate(n_jobs=n_jobs)
        return risk(evaluator)

    for step, name, function in (("singling_out", "anonymeter_singling_out", singling_out),
                                 ("linkability", "anonymeter_linkability", linkability),
                                 ("inference", "anonymeter_inference", inference)):
        if step in steps:
            timed(results, name, function)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", required=True)
    parser.add_argument("--holdout", required=True)
    parser.add_argument("--synthetic", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--steps", default="quality,diagnostic,singling_out,linkability,inference")
    parser.add_argument("--sensitive", default="sex")
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    with open(args.schema, encoding="utf-8") as file:
        schema = json.load(file)
    real, holdout, synthetic = (read(path, schema) for path in (args.real, args.holdout, args.synthetic))
    results = {}
    steps = set(args.steps.split(","))
    run_sdmetrics(real, holdout, synthetic, sdtypes(schema), steps, results)
    run_anonymeter(real, holdout, synthetic, args.sensitive, args.n_jobs, steps, results)
    print(json.dumps(results, default=float))


if __name__ == "__main__":
    main()
