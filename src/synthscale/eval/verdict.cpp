#include "synthscale/eval/verdict.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <string_view>
#include <vector>

namespace synthscale::eval {

namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// How a check turns a value into a gap (larger = worse) from its reference.
enum class Gap {
  kAboveReference,  // value - reference (distances, attack success)
  kBelowReference,  // reference - value (utility ratio, lowest representation ratio)
};

// One judged summary entry. `key` is a summary key, or a prefix ending in '.' for the
// per-column entries (attribute_inference_advantage.<column>). Thresholds are on the gap:
// pass if gap <= pass_below, caution if <= caution_below, fail beyond. docs/metrics.md
// ("Verdicts") lists the same table; change both together.
struct Rule {
  std::string_view key;
  std::string_view section;
  Gap gap;
  double pass_below;
  double caution_below;
  bool headline;      // the entry the section's sentence leads with
  bool use_baseline;  // judge against the holdout baseline when there is one
};

constexpr Rule kRules[] = {
    {"tvd_2way_mean", "fidelity", Gap::kAboveReference, 0.05, 0.15, true, true},
    {"tvd_1way_mean", "fidelity", Gap::kAboveReference, 0.05, 0.15, false, true},
    {"tvd_3way_mean", "fidelity", Gap::kAboveReference, 0.10, 0.25, false, true},
    {"ks_mean", "fidelity", Gap::kAboveReference, 0.05, 0.15, false, true},
    {"correlation_difference_mean", "fidelity", Gap::kAboveReference, 0.05, 0.15, false, true},
    {"detection_auc", "detection", Gap::kAboveReference, 0.10, 0.30, true, false},
    {"tstr_over_trtr", "utility", Gap::kBelowReference, 0.05, 0.20, true, false},
    {"dcr_share_closer_to_train", "privacy", Gap::kAboveReference, 0.02, 0.10, true, false},
    {"exact_match_rate", "privacy", Gap::kAboveReference, 0.01, 0.05, false, false},
    {"mia_advantage", "privacy", Gap::kAboveReference, 0.05, 0.15, false, false},
    {"mia_tpr_at_fpr_1pct", "privacy", Gap::kAboveReference, 0.01, 0.05, false, false},
    {"mia_tpr_at_fpr_0_1pct", "privacy", Gap::kAboveReference, 0.01, 0.05, false, false},
    {"attribute_inference_advantage.", "privacy", Gap::kAboveReference, 0.02, 0.05, false, false},
    {"representation_ratio_worst.", "fairness", Gap::kBelowReference, 0.20, 0.50, true, false},
    {"representation_ratio_highest.", "fairness", Gap::kAboveReference, 0.25, 1.00, false, false},
};

double Number(const json& value) { return value.is_number() ? value.get<double>() : kNaN; }

const json& Path(const json& node, std::initializer_list<std::string_view> keys) {
  static const json kNull;
  const json* at = &node;
  for (std::string_view key : keys) {
    if (!at->is_object()) return kNull;
    const auto found = at->find(std::string(key));
    if (found == at->end()) return kNull;
    at = &*found;
  }
  return *at;
}

std::string Format(double value) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}
std::string Percent(double share) {
  if (!std::isfinite(share)) return "n/a";
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.1f %%", 100.0 * share);
  return buffer;
}

bool Matches(const Rule& rule, const std::string& key) {
  if (rule.key.back() == '.') return key.size() > rule.key.size() && key.starts_with(rule.key);
  return key == rule.key;
}

// The value a perfect generator is expected to get.
double Expected(const std::string& key, const json& report) {
  if (key == "detection_auc") return 0.5;
  if (key == "tstr_over_trtr") return 1.0;
  if (key == "dcr_share_closer_to_train") {
    return Number(Path(report, {"sections", "privacy", "distance_to_closest_record", "details",
                                "expected_share_if_not_memorised"}));
  }
  if (key == "exact_match_rate") {
    return Number(Path(report, {"sections", "privacy", "exact_matches", "details", "holdout_match_rate", "value"}));
  }
  if (key == "mia_tpr_at_fpr_1pct") return 0.01;
  if (key == "mia_tpr_at_fpr_0_1pct") return 0.001;
  if (key.starts_with("representation_ratio_")) return 1.0;
  return 0.0;  // distances, advantages
}

// The plain-words sentence for one check.
std::string Sentence(const std::string& key, double value, double expected, double baseline, const json& report) {
  const std::string against = std::isfinite(baseline) ? "; a real holdout sample of the same size scores " +
                                                            Format(baseline)
                                                      : "";
  if (key == "tvd_2way_mean" || key == "tvd_1way_mean" || key == "tvd_3way_mean") {
    const char* what = key == "tvd_1way_mean" ? "single columns" : key == "tvd_2way_mean" ? "pairs of columns"
                                                                                           : "triples of columns";
    std::string text = std::string("the distributions of ") + what + " differ from the real ones by " +
                       Format(value) + " on average (total variation distance, 0 = identical" + against + ")";
    if (key == "tvd_2way_mean") {
      const json& fraction = Path(report, {"baselines", "subsample_equivalent", "fraction"});
      if (fraction.is_number()) {
        text += "; as close to the real data as a random subsample of " + Percent(Number(fraction)) +
                " of the real rows";
      }
    }
    return text;
  }
  if (key == "ks_mean") {
    return "numeric columns' distributions differ by " + Format(value) +
           " on average (Kolmogorov-Smirnov, 0 = identical" + against + ")";
  }
  if (key == "correlation_difference_mean") {
    return "associations between columns differ by " + Format(value) + " on average (0 = identical" + against + ")";
  }
  if (key == "detection_auc") {
    std::string text = "a classifier tells synthetic rows from real ones with AUC " + Format(value) +
                       " (0.5 = cannot tell them apart, 1 = always can" + against + ")";
    return text;
  }
  if (key == "tstr_over_trtr") {
    return "a model trained on the synthetic data scores " + Percent(value) +
           " of one trained on the real data, on the same real holdout (100 % = as useful)";
  }
  if (key == "dcr_share_closer_to_train") {
    return Percent(value) + " of synthetic rows are nearer to a training row than to a holdout row; " +
           Percent(expected) + " is expected without memorisation (the training share of the real rows)";
  }
  if (key == "exact_match_rate") {
    return Percent(value) + " of synthetic rows copy a training row exactly; " + Percent(expected) +
           " of fresh real rows do so by coincidence";
  }
  if (key == "mia_advantage") {
    return "the best membership attack's advantage is " + Format(value) + " (0 = no better than guessing)";
  }
  if (key == "mia_tpr_at_fpr_1pct" || key == "mia_tpr_at_fpr_0_1pct") {
    const std::string fpr = key == "mia_tpr_at_fpr_1pct" ? "1 %" : "0.1 %";
    return "at a " + fpr + " false-alarm rate, the best membership attack finds " + Percent(value) +
           " of training rows (" + Percent(expected) + " = guessing)";
  }
  if (key.starts_with("attribute_inference_advantage.")) {
    const std::string column = key.substr(std::string_view("attribute_inference_advantage.").size());
    return "the synthetic data reveals " + column + " of training rows " + Format(value) +
           " better than of fresh rows (0 = no extra risk)";
  }
  if (key.starts_with("representation_ratio_worst.") || key.starts_with("representation_ratio_highest.")) {
    const bool lowest = key.starts_with("representation_ratio_worst.");
    const std::string column = key.substr(key.find('.') + 1);
    const json& audit = Path(report, {"sections", "subgroups", "subgroups", "details", column});
    const json& group = audit.value(lowest ? "worst_group" : "highest_group", json());
    std::string name = group.is_string() ? column + " = " + group.get<std::string>() : column;
    std::string text = std::string(lowest ? "the least represented group, " : "the most represented group, ") +
                       name + ", has " + Format(value) + " times its real share (1 = as in the real data)";
    const json& flagged = audit.value("flagged", json());
    if (lowest && flagged.is_array() && !flagged.empty()) {
      text += "; " + std::to_string(flagged.size()) + " group(s) of " + column +
              " flagged (outside [0.8, 1.25] or under 20 real rows)";
    }
    return text;
  }
  return key + " = " + Format(value);
}

int Severity(std::string_view verdict) { return verdict == "fail" ? 2 : verdict == "caution" ? 1 : 0; }

}  // namespace

const std::vector<std::string>& VerdictSections() {
  static const std::vector<std::string> sections = {"fidelity", "detection", "utility", "privacy", "fairness"};
  return sections;
}

json BuildVerdicts(const json& report) {
  json verdicts = json::object();
  for (const std::string& section : VerdictSections()) {
    verdicts[section] = {{"verdict", "not computed"}, {"text", ""}, {"checks", json::array()}};
  }
  const json& summary = Path(report, {"summary"});
  const json& baselines = Path(report, {"baselines", "values"});
  if (!summary.is_object()) return verdicts;
  for (const Rule& rule : kRules) {
    for (const auto& [key, entry] : summary.items()) {
      if (!Matches(rule, key)) continue;
      const double value = Number(Path(entry, {"value"}));
      const double expected = Expected(key, report);
      const double baseline = Number(Path(baselines, {key}));
      // Distances are judged against the holdout baseline when there is one: a perfect
      // generator is as far from the training rows as fresh real rows are.
      const double reference = rule.use_baseline && std::isfinite(baseline) ? baseline : expected;
      const double gap = rule.gap == Gap::kAboveReference ? value - reference : reference - value;
      std::string verdict = "not computed";
      if (std::isfinite(gap)) {
        verdict = gap <= rule.pass_below ? "pass" : gap <= rule.caution_below ? "caution" : "fail";
      }
      const auto number = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
      json check = {{"key", key},
                    {"value", number(value)},
                    {"expected", number(expected)},
                    {"baseline", number(baseline)},
                    {"gap", number(gap)},
                    {"pass_below", rule.pass_below},
                    {"caution_below", rule.caution_below},
                    {"verdict", verdict},
                    {"headline", rule.headline},
                    {"text", Sentence(key, value, expected, baseline, report)}};
      verdicts[std::string(rule.section)]["checks"].push_back(std::move(check));
    }
  }
  for (const std::string& section : VerdictSections()) {
    json& entry = verdicts[section];
    const json* headline = nullptr;
    const json* worst = nullptr;
    for (const json& check : entry["checks"]) {
      const std::string verdict = check["verdict"].get<std::string>();
      if (verdict == "not computed") continue;
      if (headline == nullptr && check["headline"].get<bool>()) headline = &check;
      if (worst == nullptr || Severity(verdict) > Severity((*worst)["verdict"].get<std::string>())) worst = &check;
    }
    if (worst == nullptr) continue;
    if (headline == nullptr) headline = worst;
    const std::string verdict = (*worst)["verdict"].get<std::string>();
    entry["verdict"] = verdict;
    std::string text = headline->at("text").get<std::string>();
    if (worst != headline && Severity(verdict) > Severity(headline->at("verdict").get<std::string>())) {
      text += "; but " + worst->at("text").get<std::string>();
    }
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    entry["text"] = text + ".";
  }
  return verdicts;
}

}  // namespace synthscale::eval
