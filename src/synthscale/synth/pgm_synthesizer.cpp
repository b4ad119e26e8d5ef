#include "synthscale/synth/pgm_synthesizer.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "synthscale/marginal/count.h"
#include "synthscale/pgm/rounded_sampler.h"
#include "synthscale/privacy/gaussian_mechanism.h"

namespace synthscale {
namespace {

nlohmann::ordered_json CliqueNames(const Domain& domain, const Clique& clique) {
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (std::uint32_t attribute : clique) names.push_back(domain.name(attribute));
  return names;
}

// Rows per task when expanding merged values: fixed, so tasks never depend on threads.
constexpr std::uint64_t kExpandGrain = 1 << 14;

Status Corrupt(const std::string& why) {
  return InvalidData("model parameters are corrupt: " + why + "; refit the model");
}

}  // namespace

Domain ModelDomain(const Encoder& encoder) {
  std::vector<std::string> names;
  std::vector<std::uint32_t> sizes;
  for (const ColumnCodec& codec : encoder.codecs()) {
    names.push_back(codec.schema().name);
    sizes.push_back(codec.domain_size() + (codec.schema().nullable ? 1 : 0));
  }
  return Domain(std::move(names), std::move(sizes));
}

Status PgmSynthesizer::BeginFit(const EncodedTable& data, const FitInputs& inputs, const Context& ctx,
                                FitState& state) {
  if (inputs.encoder == nullptr || inputs.ledger == nullptr || inputs.noise == nullptr) {
    return InvalidArgument("method '" + std::string(method()) + "' needs a privacy ledger and a noise generator");
  }
  state.data = &data;
  state.ledger = inputs.ledger;
  state.noise = inputs.noise;
  state.ctx = &ctx;
  state.original = ModelDomain(*inputs.encoder);
  for (std::uint32_t attribute = 0; attribute < state.original.num_attributes(); ++attribute) {
    if (state.original.size(attribute) == 0) {
      return InvalidArgument("column '" + state.original.name(attribute) +
                             "' has an empty domain and is not nullable; give it a domain in the schema");
    }
  }
  Status valid = ValidateCodes(data, state.original, ctx);
  if (!valid.ok()) {
    return Status(valid.code(),
                  valid.message() +
                      " (out-of-domain values cannot be modelled privately: widen the schema's domain, or run "
                      "without --allow-out-of-domain to have them reported)",
                  valid.location());
  }
  domain_ = state.original;
  compressed_ = false;
  to_model_.assign(domain_.num_attributes(), {});
  from_model_.assign(domain_.num_attributes(), {});
  for (std::uint32_t attribute = 0; attribute < domain_.num_attributes(); ++attribute) {
    for (std::uint32_t value = 0; value < domain_.size(attribute); ++value) {
      to_model_[attribute].push_back(value);
      from_model_[attribute].push_back({value});
    }
  }
  model_.reset();
  return Status::Ok();
}

Result<std::vector<std::vector<std::int64_t>>> PgmSynthesizer::CountMany(const FitState& state,
                                                                         std::span<const Clique> cliques) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<std::vector<std::int64_t>> counts,
                              CountMarginals(*state.data, state.original, cliques, comm_, *state.ctx));
  if (!compressed_) return counts;
  // Fold original cells onto model cells: every original cell adds to exactly one.
  for (std::size_t clique_idx = 0; clique_idx < cliques.size(); ++clique_idx) {
    const Clique& clique = cliques[clique_idx];
    std::vector<std::int64_t> folded(*domain_.CellCount(clique), 0);
    std::vector<std::uint32_t> values(clique.size(), 0);  // original values of the current cell
    for (std::int64_t count : counts[clique_idx]) {
      std::uint64_t model_cell = 0;
      for (std::size_t pos = 0; pos < clique.size(); ++pos) {
        model_cell = model_cell * domain_.size(clique[pos]) + to_model_[clique[pos]][values[pos]];
      }
      folded[model_cell] += count;
      // Next original cell: the last attribute moves fastest.
      for (std::size_t pos = clique.size(); pos-- > 0;) {
        if (++values[pos] < state.original.size(clique[pos])) break;
        values[pos] = 0;
      }
    }
    counts[clique_idx] = std::move(folded);
  }
  return counts;
}

Result<std::vector<std::int64_t>> PgmSynthesizer::Count(const FitState& state, const Clique& clique) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<std::vector<std::int64_t>> counts,
                              CountMany(state, std::span<const Clique>(&clique, 1)));
  return std::move(counts.front());
}

Result<Measurement> PgmSynthesizer::Measure(const FitState& state, const Clique& clique, double rho) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<std::int64_t> counts, Count(state, clique));
  return MeasureCounts(state, clique, counts, rho);
}

double PgmSynthesizer::NoiseUnit(const FitState& state) {
  return state.ledger->neighbouring() == Neighbouring::kReplaceOne ? std::sqrt(2.0) : 1.0;
}

Result<Measurement> PgmSynthesizer::MeasureCounts(const FitState& state, const Clique& clique,
                                                  std::span<const std::int64_t> counts, double rho) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(CountSensitivity sensitivity,
                              CountSensitivity::Counts(state.ledger->neighbouring(), 1));
  SYNTHSCALE_ASSIGN_OR_RETURN(GaussianMechanism mechanism, GaussianMechanism::ForRho(sensitivity, rho));
  SYNTHSCALE_ASSIGN_OR_RETURN(
      NoisyCounts noisy, mechanism.Release(counts, "marginal " + domain_.Describe(clique), *state.ledger, *state.noise));
  Measurement measurement;
  measurement.clique = clique;
  measurement.values.assign(noisy.values.begin(), noisy.values.end());
  measurement.sigma = mechanism.sigma();
  return measurement;
}

void PgmSynthesizer::Compress(std::vector<Measurement>& one_way, double threshold) {
  std::vector<std::uint32_t> sizes = domain_.sizes();
  for (Measurement& measurement : one_way) {
    const std::uint32_t attribute = measurement.clique.front();
    std::vector<std::uint32_t> kept;
    std::vector<std::uint32_t> rare;
    for (std::uint32_t value = 0; value < measurement.values.size(); ++value) {
      (measurement.values[value] >= threshold ? kept : rare).push_back(value);
    }
    // Nothing to gain from merging fewer than two values.
    if (rare.size() < 2) continue;
    compressed_ = true;
    std::vector<std::vector<std::uint32_t>> groups;
    std::vector<double> values;
    for (std::uint32_t value : kept) {
      groups.push_back({value});
      values.push_back(measurement.values[value]);
    }
    double rare_sum = 0.0;
    for (std::uint32_t value : rare) rare_sum += measurement.values[value];
    // The merged cell sums rare.size() noisy counts: its noise is sqrt(k) times sigma, and
    // the estimation weighs it accordingly (the other cells keep scale 1).
    measurement.cell_scale.assign(kept.size(), 1.0);
    measurement.cell_scale.push_back(std::sqrt(static_cast<double>(rare.size())));
    groups.push_back(rare);
    values.push_back(rare_sum);
    for (std::uint32_t model_value = 0; model_value < groups.size(); ++model_value) {
      for (std::uint32_t value : groups[model_value]) to_model_[attribute][value] = model_value;
    }
    from_model_[attribute] = std::move(groups);
    sizes[attribute] = static_cast<std::uint32_t>(values.size());
    measurement.values = std::move(values);
  }
  domain_ = Domain(domain_.names(), std::move(sizes));
}

std::uint64_t PgmSynthesizer::MaxModelCells() const {
  return static_cast<std::uint64_t>(options_.max_model_size_mb * 1024.0 * 1024.0 / sizeof(double));
}

Result<GraphicalModel> PgmSynthesizer::EstimateModel(const std::vector<Clique>& cliques,
                                                     std::span<const Measurement> measurements,
                                                     const GraphicalModel* previous, const Context& ctx,
                                                     int max_iterations) {
  SYNTHSCALE_ASSIGN_OR_RETURN(GraphicalModel model, GraphicalModel::Create(domain_, cliques, MaxModelCells()));
  if (previous != nullptr) SYNTHSCALE_RETURN_IF_ERROR(model.WarmStartFrom(*previous));
  EstimationOptions estimation;
  estimation.max_iterations = max_iterations > 0 ? max_iterations : static_cast<int>(options_.max_iterations);
  SYNTHSCALE_ASSIGN_OR_RETURN(estimation_, Estimate(measurements, estimation, ctx, model));
  return model;
}

void PgmSynthesizer::SampleRow(RandomStream& stream, std::span<std::uint32_t> codes) const {
  model_->SampleRow(stream, codes);
  if (!compressed_) return;
  for (std::size_t attribute = 0; attribute < codes.size(); ++attribute) {
    const std::vector<std::uint32_t>& group = from_model_[attribute][codes[attribute]];
    codes[attribute] = group.size() == 1 ? group.front() : group[stream.UniformBelow(group.size())];
  }
}

Status PgmSynthesizer::SampleCodesRounded(std::uint64_t rows, std::uint64_t seed, const Context& ctx,
                                          std::vector<std::uint32_t>& codes) const {
  SYNTHSCALE_ASSIGN_OR_RETURN(RoundedSampler sampler,
                              RoundedSampler::Build(model_->tree(), model_->beliefs(), domain_.num_attributes()));
  SYNTHSCALE_RETURN_IF_ERROR(sampler.Sample(rows, seed, ctx, codes));
  if (!compressed_) return Status::Ok();
  // A merged value becomes one of its original values, uniformly, from a stream per row
  // (attributes in order), as SampleRow does: deterministic for any split of the rows.
  const std::uint64_t purpose = PurposeId("sample-rounded-expand");
  const std::size_t num_attributes = from_model_.size();
  return ctx.pool().Run(NumTasks(rows, kExpandGrain), [&](std::size_t task_idx) {
    const TaskRange range = TaskBounds(task_idx, rows, kExpandGrain);
    for (std::uint64_t row = range.begin; row < range.end; ++row) {
      RandomStream stream(seed, purpose, row);
      for (std::size_t attribute = 0; attribute < num_attributes; ++attribute) {
        std::uint32_t& code = codes[attribute * rows + row];
        const std::vector<std::uint32_t>& group = from_model_[attribute][code];
        code = group.size() == 1 ? group.front() : group[stream.UniformBelow(group.size())];
      }
    }
    return Status::Ok();
  });
}

SavedParameters PgmSynthesizer::SaveParameters() const {
  nlohmann::json json;
  nlohmann::json cliques = nlohmann::json::array();
  for (const Clique& clique : model_->cliques()) cliques.push_back(clique);
  json["cliques"] = cliques;
  if (compressed_) json["compressed_values"] = from_model_;
  json["estimation"] = {{"iterations", estimation_.iterations},
                        {"loss", estimation_.loss},
                        {"total", estimation_.total},
                        {"converged", estimation_.converged}};
  return {json.dump(), model_->Serialize()};
}

Status PgmSynthesizer::LoadParameters(const SavedParameters& saved, const Encoder& encoder) {
  const nlohmann::json json = nlohmann::json::parse(saved.json, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("estimation") || !json["estimation"].is_object()) {
    return Corrupt("expected an object with the estimation report");
  }
  const Domain original = ModelDomain(encoder);
  std::vector<std::vector<std::uint32_t>> to_model(original.num_attributes());
  std::vector<std::vector<std::vector<std::uint32_t>>> from_model(original.num_attributes());
  std::vector<std::uint32_t> sizes = original.sizes();
  const bool compressed = json.contains("compressed_values");
  for (std::uint32_t attribute = 0; attribute < original.num_attributes(); ++attribute) {
    to_model[attribute].assign(original.size(attribute), UINT32_MAX);
    if (!compressed) {
      for (std::uint32_t value = 0; value < original.size(attribute); ++value) {
        to_model[attribute][value] = value;
        from_model[attribute].push_back({value});
      }
      continue;
    }
    const nlohmann::json& all = json["compressed_values"];
    if (!all.is_array() || all.size() != original.num_attributes() || !all[attribute].is_array()) {
      return Corrupt("'compressed_values' must list every column's values");
    }
    for (const nlohmann::json& group : all[attribute]) {
      if (!group.is_array() || group.empty()) return Corrupt("a compressed value holds no value");
      std::vector<std::uint32_t> values;
      for (const nlohmann::json& value : group) {
        if (!value.is_number_unsigned() || value.get<std::uint64_t>() >= original.size(attribute) ||
            to_model[attribute][value.get<std::uint32_t>()] != UINT32_MAX) {
          return Corrupt("compressed values must split each column's values into disjoint groups");
        }
        to_model[attribute][value.get<std::uint32_t>()] = static_cast<std::uint32_t>(from_model[attribute].size());
        values.push_back(value.get<std::uint32_t>());
      }
      from_model[attribute].push_back(std::move(values));
    }
    if (std::count(to_model[attribute].begin(), to_model[attribute].end(), UINT32_MAX) != 0) {
      return Corrupt("compressed values must cover every value of every column");
    }
    sizes[attribute] = static_cast<std::uint32_t>(from_model[attribute].size());
  }
  Result<GraphicalModel> model = GraphicalModel::Deserialize(saved.binary);
  if (!model.ok()) return Corrupt(model.status().message());
  if (model->domain().sizes() != sizes) return Corrupt("the graphical model's domain does not match the schema");
  const nlohmann::json& estimation = json["estimation"];
  EstimationReport report;
  if (estimation.value("iterations", nlohmann::json()).is_number_integer()) report.iterations = estimation["iterations"];
  if (estimation.value("loss", nlohmann::json()).is_number()) report.loss = estimation["loss"];
  if (estimation.value("total", nlohmann::json()).is_number()) report.total = estimation["total"];
  if (estimation.value("converged", nlohmann::json()).is_boolean()) report.converged = estimation["converged"];
  to_model_ = std::move(to_model);
  from_model_ = std::move(from_model);
  compressed_ = compressed;
  domain_ = Domain(original.names(), std::move(sizes));
  estimation_ = report;
  model_ = std::move(model).value();
  return Status::Ok();
}

std::string PgmSynthesizer::DescribeJson() const {
  nlohmann::ordered_json json;
  nlohmann::ordered_json cliques = nlohmann::ordered_json::array();
  for (const Clique& clique : model_->cliques()) cliques.push_back(CliqueNames(domain_, clique));
  json["cliques"] = cliques;
  json["model_cells"] = model_->num_cells();
  json["estimated_rows"] = model_->total();
  json["estimation"] = {{"iterations", estimation_.iterations},
                        {"loss", estimation_.loss},
                        {"converged", estimation_.converged}};
  if (compressed_) {
    nlohmann::ordered_json merged = nlohmann::ordered_json::object();
    for (std::uint32_t attribute = 0; attribute < domain_.num_attributes(); ++attribute) {
      if (from_model_[attribute].size() < to_model_[attribute].size()) {
        merged[domain_.name(attribute)] = to_model_[attribute].size() - from_model_[attribute].size() + 1;
      }
    }
    json["rare_values_merged"] = merged;
  }
  return json.dump();
}

}  // namespace synthscale
