"""Where synthscale's report and SDMetrics measure the same thing, how far apart are they?
For bench/eval.sh (docs/benchmarks.md).

    python bench/eval_compare.py report.json peers.json [--dcr-report small/report.json]

Prints one JSON object:
  column_shapes        SDMetrics' KSComplement / TVComplement per column against
                       1 - ks (numeric) / 1 - tvd (categorical) of our column_shapes:
                       the largest absolute difference and the column it is on.
  correlation_pairs    CorrelationSimilarity = 1 - |r_real - r_synth| / 2 (the pairs
                       SDMetrics scores: those whose real association meets its threshold)
                       against 1 - difference / 2 of our Pearson pairs.
  dcr                  DCROverfittingProtection's share of synthetic rows closer to the
                       training rows against our dcr_share_closer_to_train (same Gower
                       distance; ties may be split differently).
"""
import argparse
import json
import math


def largest_gap(pairs):
    pairs = [(key, a, b) for key, a, b in pairs if a is not None and b is not None and not math.isnan(a)]
    if not pairs:
        return {"compared": 0}
    key, a, b = max(pairs, key=lambda item: abs(item[1] - item[2]))
    return {"compared": len(pairs), "max_abs_difference": abs(a - b), "at": key, "sdmetrics": a, "synthscale": b}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("peers")
    parser.add_argument("--dcr-report")
    parser.add_argument("--dcr-peers")
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as file:
        report = json.load(file)
    with open(args.peers, encoding="utf-8") as file:
        peers = json.load(file)
    out = {}
    fidelity = report["sections"]["fidelity"]
    if "sdmetrics_quality" in peers:
        quality = peers["sdmetrics_quality"]
        ours = {}
        for column in fidelity["column_shapes"]["details"]["columns"]:
            distance = column["ks"] if column["ks"] is not None else column["tvd"]
            ours[column["column"]] = None if distance is None else 1.0 - distance
        out["column_shapes"] = largest_gap([(name, score, ours.get(name))
                                            for name, score in quality["column_shapes"].items()])
        pearson = {tuple(pair["columns"]): pair for pair in fidelity["correlations"]["details"]["pairs"]
                   if pair["kind"] == "pearson"}
        gaps = []
        for pair in quality["column_pair_trends"]:
            if pair["metric"] != "CorrelationSimilarity":
                continue
            mine = pearson.get(tuple(pair["columns"]))
            ours_score = None if mine is None or mine["difference"] is None else 1.0 - mine["difference"] / 2.0
            gaps.append(("/".join(pair["columns"]), pair["score"], ours_score))
        out["correlation_pairs"] = largest_gap(gaps)
    if args.dcr_report and args.dcr_peers:
        with open(args.dcr_report, encoding="utf-8") as file:
            small = json.load(file)
        with open(args.dcr_peers, encoding="utf-8") as file:
            small_peers = json.load(file)
        breakdown = small_peers["sdmetrics_dcr_overfitting"]["breakdown"]
        out["dcr"] = {"sdmetrics_breakdown": breakdown,
                      "synthscale_share_closer_to_train": small["summary"]["dcr_share_closer_to_train"]["value"]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
