// subgroups: for each sensitive column, how well each group is represented in the
// synthetic data and how faithfully its rows are reproduced.
//
// Per group g of sensitive column s:
//   representation ratio  r_g = (n_syn,g / n_syn) / (n_real,g / n_real)   (1 is ideal)
//   group fidelity        mean over the other columns c of the TVD between c's
//                         distribution among real rows in g and among synthetic rows in g
// Groups are listed furthest from 1 first (by |log r|, so x0.5 and x2 rank alike), and
// flagged when outside [kLowRatio, kHighRatio] or with fewer than kMinHeadlineRows real
// rows (a group with 2 real and 171 synthetic rows is x85, and only a flag shows it).
// The summary has both ends: `representation_ratio_worst.<s>` is the lowest and
// `representation_ratio_highest.<s>` the highest ratio among groups with at least
// kMinHeadlineRows real rows: smaller groups are listed and flagged but their ratio is
// mostly sampling noise. Intervals are each group's bootstrap interval (both tables'
// group counts resampled as multinomials, which is exact for a 1-way count).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "synthscale/eval/bootstrap.h"
#include "synthscale/eval/code_label.h"
#include "synthscale/eval/metrics.h"

namespace synthscale::eval {

namespace {

constexpr std::uint64_t kMinHeadlineRows = 20;
// The four-fifths rule of thumb, and its reciprocal for over-representation.
constexpr double kLowRatio = 0.8;
constexpr double kHighRatio = 1.25;

// Why a group needs a look, or empty.
std::string Flag(std::uint64_t real_rows, std::uint64_t synthetic_rows, double ratio) {
  if (real_rows == 0) return synthetic_rows > 0 ? "absent from the real data" : "";
  if (real_rows < kMinHeadlineRows) return "fewer than 20 real rows";
  if (ratio < kLowRatio) return "under-represented";
  if (ratio > kHighRatio) return "over-represented";
  return "";
}

std::vector<std::uint64_t> GroupCounts(const std::vector<std::uint32_t>& codes, std::uint32_t cardinality) {
  std::vector<std::uint64_t> counts(cardinality, 0);
  for (std::uint32_t code : codes) ++counts[code];
  return counts;
}

double Ratio(std::uint64_t syn_group, std::uint64_t syn_total, std::uint64_t real_group, std::uint64_t real_total) {
  if (real_group == 0 || real_total == 0 || syn_total == 0) return std::numeric_limits<double>::quiet_NaN();
  return (static_cast<double>(syn_group) / static_cast<double>(syn_total)) /
         (static_cast<double>(real_group) / static_cast<double>(real_total));
}

// counts[group * cardinality(c) + code] of column c among the rows of each group.
std::vector<std::uint64_t> JointCounts(const EvalTable& table, std::size_t group_column, std::uint32_t groups,
                                       std::size_t column, std::uint32_t cardinality) {
  std::vector<std::uint64_t> counts(static_cast<std::size_t>(groups) * cardinality, 0);
  const auto& group_codes = table.codes[group_column];
  const auto& codes = table.codes[column];
  for (std::size_t row = 0; row < table.num_rows; ++row) {
    ++counts[static_cast<std::size_t>(group_codes[row]) * cardinality + codes[row]];
  }
  return counts;
}

// Mean over the non-sensitive columns of the within-group TVD, per group (NaN when the
// group is empty in either table).
Result<std::vector<double>> GroupFidelity(const EvalInputs& inputs, std::size_t sensitive,
                                          const std::vector<std::uint64_t>& real_groups,
                                          const std::vector<std::uint64_t>& syn_groups, const Context& ctx) {
  const auto groups = static_cast<std::uint32_t>(real_groups.size());
  const std::size_t columns = inputs.columns.size();
  std::vector<std::vector<double>> tvd(columns);  // [column][group]
  SYNTHSCALE_RETURN_IF_ERROR(ctx.pool().Run(columns, [&](std::size_t c) {
    if (c == sensitive) return Status::Ok();
    const std::uint32_t cardinality = inputs.columns[c].cardinality();
    const auto real = JointCounts(inputs.real, sensitive, groups, c, cardinality);
    const auto syn = JointCounts(inputs.synthetic, sensitive, groups, c, cardinality);
    tvd[c].assign(groups, std::numeric_limits<double>::quiet_NaN());
    for (std::uint32_t g = 0; g < groups; ++g) {
      if (real_groups[g] == 0 || syn_groups[g] == 0) continue;
      double sum = 0.0;
      for (std::uint32_t code = 0; code < cardinality; ++code) {
        const std::size_t cell = static_cast<std::size_t>(g) * cardinality + code;
        sum += std::abs(static_cast<double>(real[cell]) / static_cast<double>(real_groups[g]) -
                        static_cast<double>(syn[cell]) / static_cast<double>(syn_groups[g]));
      }
      tvd[c][g] = sum / 2.0;
    }
    return Status::Ok();
  }));
  std::vector<double> mean(groups, 0.0);
  const double others = static_cast<double>(columns - 1);
  for (std::uint32_t g = 0; g < groups; ++g) {
    if (columns == 1) {
      mean[g] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    for (std::size_t c = 0; c < columns; ++c) {
      if (c != sensitive) mean[g] += tvd[c][g];
    }
    mean[g] /= others;
  }
  return mean;
}

nlohmann::json NumberOrNull(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

class SubgroupMetric final : public Metric {
 public:
  std::string_view name() const override { return "subgroups"; }
  Section section() const override { return Section::kSubgroup; }
  std::string_view description() const override {
    return "Per sensitive group: representation ratio (synthetic share / real share) and within-group fidelity";
  }
  std::string Unavailable(const EvalInputs& inputs) const override {
    return inputs.sensitive.empty() ? "needs --sensitive columns to audit" : "";
  }

  Result<MetricResult> Compute(const EvalInputs& inputs, const Context& ctx) const override {
    MetricResult result;
    for (std::size_t s : inputs.sensitive) {
      const EvalColumn& column = inputs.columns[s];
      const auto real = GroupCounts(inputs.real.codes[s], column.cardinality());
      const auto syn = GroupCounts(inputs.synthetic.codes[s], column.cardinality());
      const std::uint64_t n_real = inputs.real.num_rows;
      const std::uint64_t n_syn = inputs.synthetic.num_rows;
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<double> fidelity, GroupFidelity(inputs, s, real, syn, ctx));

      struct Group {
        std::uint32_t code;
        Estimate ratio;
      };
      std::vector<Group> groups;
      for (std::uint32_t code = 0; code < column.cardinality(); ++code) {
        if (real[code] == 0 && syn[code] == 0) continue;
        const double point = Ratio(syn[code], n_syn, real[code], n_real);
        Estimate ratio{point, NAN, NAN};
        if (std::isfinite(point)) {
          SYNTHSCALE_ASSIGN_OR_RETURN(
              ratio, Bootstrap(point, inputs.options, "subgroups/" + column.name + "/" + std::to_string(code), ctx,
                               [&](RandomStream& stream) {
                                 std::vector<std::uint64_t> real_draw(real.size());
                                 std::vector<std::uint64_t> syn_draw(syn.size());
                                 ResampleCounts(real, stream, real_draw);
                                 ResampleCounts(syn, stream, syn_draw);
                                 return Ratio(syn_draw[code], n_syn, real_draw[code], n_real);
                               }));
        }
        groups.push_back({code, ratio});
      }
      // Furthest from 1 first (|log r|); groups absent from the real data (no ratio) last.
      std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        const bool a_known = std::isfinite(a.ratio.value) && a.ratio.value > 0.0;
        const bool b_known = std::isfinite(b.ratio.value) && b.ratio.value > 0.0;
        const double a_far = a_known ? std::abs(std::log(a.ratio.value)) : std::numeric_limits<double>::infinity();
        const double b_far = b_known ? std::abs(std::log(b.ratio.value)) : std::numeric_limits<double>::infinity();
        const bool a_absent = !std::isfinite(a.ratio.value);
        const bool b_absent = !std::isfinite(b.ratio.value);
        if (a_absent != b_absent) return b_absent;
        return a_far > b_far;
      });
      nlohmann::json rows = nlohmann::json::array();
      nlohmann::json flagged = nlohmann::json::array();
      const Group* lowest = nullptr;
      const Group* highest = nullptr;
      for (const Group& group : groups) {
        const std::string flag = Flag(real[group.code], syn[group.code], group.ratio.value);
        rows.push_back({{"group", CodeLabel(inputs, s, group.code)},
                        {"real_rows", real[group.code]},
                        {"synthetic_rows", syn[group.code]},
                        {"real_share", static_cast<double>(real[group.code]) / static_cast<double>(n_real)},
                        {"synthetic_share", static_cast<double>(syn[group.code]) / static_cast<double>(n_syn)},
                        {"representation_ratio", EstimateToJson(group.ratio)},
                        {"fidelity_tvd_mean", NumberOrNull(fidelity[group.code])},
                        {"flag", flag.empty() ? nlohmann::json(nullptr) : nlohmann::json(flag)}});
        if (!flag.empty()) flagged.push_back({{"group", CodeLabel(inputs, s, group.code)}, {"flag", flag}});
        if (real[group.code] < kMinHeadlineRows || !std::isfinite(group.ratio.value)) continue;
        if (lowest == nullptr || group.ratio.value < lowest->ratio.value) lowest = &group;
        if (highest == nullptr || group.ratio.value > highest->ratio.value) highest = &group;
      }
      const auto label = [&](const Group* group) {
        return group ? nlohmann::json(CodeLabel(inputs, s, group->code)) : nlohmann::json(nullptr);
      };
      result.details[column.name] = {
          {"groups", std::move(rows)},
          {"worst_group", label(lowest)},
          {"highest_group", label(highest)},
          {"flagged", std::move(flagged)},
          {"flag_bounds", {kLowRatio, kHighRatio}},
          {"min_headline_rows", kMinHeadlineRows},
      };
      result.summary.emplace_back("representation_ratio_worst." + column.name, lowest ? lowest->ratio : Estimate{});
      result.summary.emplace_back("representation_ratio_highest." + column.name,
                                  highest ? highest->ratio : Estimate{});
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<Metric> MakeSubgroupMetric() { return std::make_unique<SubgroupMetric>(); }

}  // namespace synthscale::eval
