#include "synthscale/eval/eval_inputs.h"

#include <cmath>
#include <limits>
#include <set>
#include <variant>

#include "synthscale/table/column_type.h"

namespace synthscale::eval {

namespace {

bool IsNumeric(ColumnType type) {
  return type == ColumnType::kInteger || type == ColumnType::kContinuous ||
         type == ColumnType::kDatetime || type == ColumnType::kBoolean;
}

std::vector<double> NumericValues(const Column& column) {
  std::vector<double> values(column.size(), std::numeric_limits<double>::quiet_NaN());
  const bool doubles = column.type == ColumnType::kContinuous;
  for (std::size_t row = 0; row < column.size(); ++row) {
    if (!column.is_valid(row)) continue;
    values[row] = doubles ? column.doubles[row] : static_cast<double>(column.ints[row]);
  }
  return values;
}

Result<EvalTable> Prepare(const Encoder& encoder, const std::vector<EvalColumn>& columns,
                          const Table& table, const char* which, const Context& ctx) {
  // Numeric values are read by name: a table's column order need not be the schema's.
  std::vector<const Column*> sources(columns.size(), nullptr);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::ptrdiff_t found = table.FindColumn(columns[c].name);
    if (found < 0) {
      return InvalidArgument(std::string("the ") + which + " table has no column '" + columns[c].name +
                             "', which the schema models; every table needs every modelled column");
    }
    sources[c] = &table.column(static_cast<std::size_t>(found));
    if (sources[c]->type != columns[c].type) {
      return InvalidArgument(std::string("column '") + columns[c].name + "' of the " + which + " table is " +
                             std::string(ColumnTypeName(sources[c]->type)) + " but the schema says " +
                             std::string(ColumnTypeName(columns[c].type)) + "; read every table with the same schema");
    }
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(EncodedTable encoded, encoder.Encode(table, ctx));
  EvalTable out;
  out.num_rows = table.num_rows();
  out.codes.resize(columns.size());
  out.numeric.resize(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::visit([&](const auto& codes) { out.codes[c].assign(codes.begin(), codes.end()); },
               encoded.column(c).codes());
    if (columns[c].numeric) out.numeric[c] = NumericValues(*sources[c]);
  }
  return out;
}

Result<std::size_t> Resolve(const EvalInputs& inputs, const std::string& name, const char* option) {
  if (auto index = inputs.FindColumn(name)) return *index;
  return InvalidArgument(std::string(option) + " names column '" + name +
                         "', which is not a modelled column of the schema (id and text "
                         "columns are not evaluated); check the spelling against the schema");
}

}  // namespace

Status EvalOptions::Validate() const {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    return InvalidArgument("confidence must be in (0, 1), e.g. 0.95");
  }
  if (bootstrap_replicates == 1) {
    return InvalidArgument("bootstrap replicates must be 0 (no intervals) or at least 2");
  }
  for (double ratio : mix_ratios) {
    if (!std::isfinite(ratio) || ratio < 0.0) {
      return InvalidArgument("mixing ratios must be finite and non-negative, e.g. 0,0.25,0.5,1");
    }
  }
  return Status::Ok();
}

std::optional<std::size_t> EvalInputs::FindColumn(const std::string& name) const {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].name == name) return c;
  }
  return std::nullopt;
}

Result<EvalInputs> PrepareEvalInputs(const Schema& schema, const Table& real, const Table* holdout,
                                     const Table& synthetic, EvalOptions options,
                                     const Context& ctx) {
  SYNTHSCALE_RETURN_IF_ERROR(options.Validate());
  if (real.num_rows() == 0) return InvalidArgument("the real table has no rows; nothing to compare");
  if (synthetic.num_rows() == 0) {
    return InvalidArgument("the synthetic table has no rows; nothing to evaluate");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(Encoder encoder, Encoder::Create(schema));
  EvalInputs inputs;
  inputs.schema = schema;
  for (const ColumnCodec& codec : encoder.codecs()) {
    const ColumnSchema& column = codec.schema();
    EvalColumn out;
    out.name = column.name;
    out.type = column.type;
    for (std::size_t i = 0; i < schema.columns().size(); ++i) {
      if (schema.columns()[i].name == column.name) out.schema_index = i;
    }
    out.domain_size = codec.domain_size();
    out.numeric = IsNumeric(column.type);
    inputs.columns.push_back(std::move(out));
  }
  if (inputs.columns.empty()) {
    return InvalidArgument("the schema has no modelled columns (only id or text); nothing to evaluate");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(inputs.real, Prepare(encoder, inputs.columns, real, "real", ctx));
  SYNTHSCALE_ASSIGN_OR_RETURN(inputs.synthetic,
                              Prepare(encoder, inputs.columns, synthetic, "synthetic", ctx));
  if (holdout != nullptr) {
    if (holdout->num_rows() == 0) {
      return InvalidArgument("the holdout table has no rows; give real rows not used for fitting");
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(inputs.holdout,
                                Prepare(encoder, inputs.columns, *holdout, "holdout", ctx));
    inputs.has_holdout = true;
  }
  if (options.target) {
    SYNTHSCALE_ASSIGN_OR_RETURN(inputs.target, Resolve(inputs, *options.target, "--target"));
  }
  std::set<std::size_t> seen;
  for (const std::string& name : options.sensitive) {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::size_t index, Resolve(inputs, name, "--sensitive"));
    if (!seen.insert(index).second) {
      return InvalidArgument("--sensitive lists column '" + name + "' twice");
    }
    inputs.sensitive.push_back(index);
  }
  for (const std::string& name : options.quasi_identifiers) {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::size_t index, Resolve(inputs, name, "--quasi-identifiers"));
    inputs.quasi_identifiers.push_back(index);
  }
  if (options.quasi_identifiers.empty()) {
    for (std::size_t c = 0; c < inputs.columns.size(); ++c) {
      if (seen.count(c) == 0 && inputs.target != c) inputs.quasi_identifiers.push_back(c);
    }
  }
  inputs.options = std::move(options);
  return inputs;
}

}  // namespace synthscale::eval
