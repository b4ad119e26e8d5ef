#include "synthscale/table/schema.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "synthscale/table/datetime.h"
#include "synthscale/table/json_locate.h"

namespace synthscale {
namespace {

using nlohmann::json;

constexpr std::uint32_t kMaxBins = 1u << 24;

// A semantic error in schema JSON, located at the value it is about.
class SchemaErrors {
 public:
  SchemaErrors(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  Status At(const std::vector<JsonPathStep>& path, const std::string& message,
            const std::string& column_name = {}) const {
    const TextPosition position = LocateJsonPath(text_, path);
    SourceLocation location;
    location.file = file_;
    location.line = position.line;
    location.column = position.column;
    location.field = column_name;
    return InvalidData(message + " (see docs/schema.md)", location);
  }

 private:
  std::string_view text_;
  std::string file_;
};

std::string Describe(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// Parse a datetime bound: an ISO string, or a number of seconds since the epoch.
std::optional<double> DatetimeBound(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const auto parsed = ParseDatetime(value.get<std::string>());
  if (!parsed) return std::nullopt;
  return static_cast<double>(parsed->seconds);
}

Status ParseDomain(const json& domain, ColumnSchema& column, std::vector<JsonPathStep> path,
                   const SchemaErrors& errors) {
  path.emplace_back(std::string("domain"));
  if (!domain.is_object()) {
    return errors.At(path, "'domain' must be an object, got " + Describe(domain), column.name);
  }
  const bool numeric = column.type == ColumnType::kInteger ||
                       column.type == ColumnType::kContinuous ||
                       column.type == ColumnType::kDatetime;
  for (const auto& [key, value] : domain.items()) {
    std::vector<JsonPathStep> key_path = path;
    key_path.emplace_back(key);
    if (key == "categories" && column.type == ColumnType::kCategorical) {
      if (!value.is_array()) {
        return errors.At(key_path, "'categories' must be an array of strings", column.name);
      }
      for (std::size_t cat_idx = 0; cat_idx < value.size(); ++cat_idx) {
        if (!value[cat_idx].is_string()) {
          std::vector<JsonPathStep> cat_path = key_path;
          cat_path.emplace_back(cat_idx);
          return errors.At(cat_path, "category labels must be strings, got " +
                                         Describe(value[cat_idx]) + "; quote numbers",
                           column.name);
        }
        column.categories.push_back(value[cat_idx].get<std::string>());
      }
    } else if ((key == "min" || key == "max") && numeric) {
      const std::optional<double> bound =
          column.type == ColumnType::kDatetime
              ? DatetimeBound(value)
              : (value.is_number() ? std::optional<double>(value.get<double>()) : std::nullopt);
      if (!bound) {
        return errors.At(key_path,
                         "'" + key + "' must be " +
                             (column.type == ColumnType::kDatetime
                                  ? "an ISO date such as \"2020-01-31\""
                                  : "a number") +
                             ", got " + Describe(value),
                         column.name);
      }
      (key == "min" ? column.min : column.max) = *bound;
    } else if (key == "bins" && numeric) {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
          value.get<std::int64_t>() > kMaxBins) {
        return errors.At(key_path,
                         "'bins' must be an integer from 1 to " + std::to_string(kMaxBins) +
                             ", got " + Describe(value),
                         column.name);
      }
      column.bins = value.get<std::uint32_t>();
    } else {
      return errors.At(key_path,
                       "unknown domain key '" + key + "' for a " +
                           std::string(ColumnTypeName(column.type)) + " column",
                       column.name);
    }
  }
  if (numeric && (!domain.contains("min") || !domain.contains("max") || !domain.contains("bins"))) {
    return errors.At(path, "a " + std::string(ColumnTypeName(column.type)) +
                               " domain needs 'min', 'max' and 'bins'",
                     column.name);
  }
  if (column.type == ColumnType::kCategorical && !domain.contains("categories")) {
    return errors.At(path, "a categorical domain needs 'categories'", column.name);
  }
  return Status::Ok();
}

Result<ColumnSchema> ParseColumn(const json& entry, std::size_t col_idx, const SchemaErrors& errors) {
  std::vector<JsonPathStep> path = {std::string("columns"), col_idx};
  if (!entry.is_object()) return errors.At(path, "each column must be an object, got " + Describe(entry));
  ColumnSchema column;
  if (!entry.contains("name") || !entry["name"].is_string()) {
    return errors.At(path, "column " + std::to_string(col_idx + 1) + " needs a string 'name'");
  }
  column.name = entry["name"].get<std::string>();
  if (!entry.contains("type") || !entry["type"].is_string()) {
    return errors.At(path, "column '" + column.name + "' needs a string 'type'", column.name);
  }
  const std::string type_name = entry["type"].get<std::string>();
  const auto type = ParseColumnType(type_name);
  if (!type) {
    path.emplace_back(std::string("type"));
    return errors.At(path,
                     "unknown column type '" + type_name +
                         "'; expected one of categorical, integer, continuous, datetime, "
                         "boolean, id, text",
                     column.name);
  }
  column.type = *type;
  for (const auto& [key, value] : entry.items()) {
    std::vector<JsonPathStep> key_path = path;
    key_path.emplace_back(key);
    if (key == "name" || key == "type" || key == "description") continue;
    if (key == "nullable" || key == "domain_from_data") {
      if (!value.is_boolean()) {
        return errors.At(key_path, "'" + key + "' must be true or false, got " + Describe(value),
                         column.name);
      }
      (key == "nullable" ? column.nullable : column.domain_from_data) = value.get<bool>();
    } else if (key == "format" && column.type == ColumnType::kDatetime) {
      if (value == "date") {
        column.datetime_format = DatetimeFormat::kDate;
      } else if (value == "datetime") {
        column.datetime_format = DatetimeFormat::kDatetime;
      } else {
        return errors.At(key_path, "'format' must be \"date\" or \"datetime\", got " + Describe(value),
                         column.name);
      }
    } else if (key == "domain" && column.type != ColumnType::kBoolean &&
               column.type != ColumnType::kId && column.type != ColumnType::kText) {
      SYNTHSCALE_RETURN_IF_ERROR(ParseDomain(value, column, path, errors));
    } else {
      return errors.At(key_path,
                       "unknown key '" + key + "' for a " + type_name + " column", column.name);
    }
  }
  if (column.type != ColumnType::kBoolean && column.type != ColumnType::kId &&
      column.type != ColumnType::kText && !entry.contains("domain")) {
    return errors.At(path, "column '" + column.name + "' (" + type_name + ") needs a 'domain'",
                     column.name);
  }
  return column;
}

std::string DatetimeBoundJson(double seconds, const ColumnSchema& column) {
  // A bound that is not at midnight keeps its time even in "date" format: dropping it
  // would move the bound (and change the domain) when the schema is read back.
  const auto whole = static_cast<std::int64_t>(seconds);
  return FormatDatetime(whole, column.datetime_format == DatetimeFormat::kDatetime || whole % 86400 != 0);
}

// An integer bound as a JSON integer when it is whole; else as written, so that reading
// the schema back gives the same domain.
nlohmann::ordered_json IntegerBoundJson(double bound) {
  if (bound == std::trunc(bound)) return static_cast<std::int64_t>(bound);
  return bound;
}

}  // namespace

std::uint32_t ColumnSchema::DomainSize() const {
  switch (type) {
    case ColumnType::kCategorical: return static_cast<std::uint32_t>(categories.size());
    case ColumnType::kBoolean: return 2;
    case ColumnType::kInteger:
    case ColumnType::kDatetime: {
      // A bin never holds less than one integer (or one second): cap bins by the range.
      const double range = std::floor(max) - std::ceil(min) + 1.0;
      return range < bins ? static_cast<std::uint32_t>(std::max(range, 1.0)) : bins;
    }
    case ColumnType::kContinuous: return bins;
    case ColumnType::kId:
    case ColumnType::kText: return 0;
  }
  return 0;
}

std::ptrdiff_t Schema::FindColumn(std::string_view name) const {
  for (std::size_t col_idx = 0; col_idx < columns_.size(); ++col_idx) {
    if (columns_[col_idx].name == name) return static_cast<std::ptrdiff_t>(col_idx);
  }
  return -1;
}

bool Schema::AnyDomainFromData() const {
  return std::any_of(columns_.begin(), columns_.end(),
                     [](const ColumnSchema& column) { return column.domain_from_data; });
}

Status Schema::Validate() const {
  std::set<std::string_view> names;
  for (const ColumnSchema& column : columns_) {
    SourceLocation location;
    location.field = column.name;
    if (column.name.empty()) return InvalidData("a column name is empty; give every column a name", location);
    if (!names.insert(column.name).second) {
      return InvalidData("column '" + column.name + "' appears twice; column names must be unique", location);
    }
    const std::string what = "column '" + column.name + "': ";
    switch (column.type) {
      case ColumnType::kCategorical: {
        if (column.categories.empty()) {
          return InvalidData(what + "a categorical domain needs at least one category", location);
        }
        std::set<std::string_view> labels;
        for (const std::string& label : column.categories) {
          if (!labels.insert(label).second) {
            return InvalidData(what + "category '" + label + "' is listed twice", location);
          }
        }
        if (column.categories.size() >= (1ull << 31)) {
          return InvalidData(what + "too many categories", location);
        }
        break;
      }
      case ColumnType::kInteger:
      case ColumnType::kContinuous:
      case ColumnType::kDatetime:
        if (!std::isfinite(column.min) || !std::isfinite(column.max)) {
          return InvalidData(what + "domain bounds must be finite numbers", location);
        }
        if (column.min > column.max) {
          return InvalidData(what + "domain min (" + std::to_string(column.min) +
                                 ") is greater than max (" + std::to_string(column.max) + ")",
                             location);
        }
        if (column.bins < 1 || column.bins > kMaxBins) {
          return InvalidData(what + "'bins' must be from 1 to " + std::to_string(kMaxBins), location);
        }
        if (column.type != ColumnType::kContinuous &&
            (std::fabs(column.min) > 9.0e15 || std::fabs(column.max) > 9.0e15)) {
          return InvalidData(what + "integer bounds must be within +-9e15 (exact in a double)", location);
        }
        if (column.type != ColumnType::kContinuous && std::ceil(column.min) > std::floor(column.max)) {
          return InvalidData(what + "the domain [min, max] contains no whole number", location);
        }
        if (!std::isfinite(column.max - column.min)) {
          return InvalidData(what + "the domain's width max - min overflows a double", location);
        }
        break;
      case ColumnType::kBoolean:
      case ColumnType::kId:
      case ColumnType::kText: break;
    }
  }
  return Status::Ok();
}

Result<Schema> Schema::FromJson(std::string_view text, const std::string& file) {
  const SchemaErrors errors(text, file);
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    // Re-parse with exceptions only to learn where the syntax error is.
    std::size_t offset = 0;
    std::string what = "not valid JSON";
    try {
      const json unused = json::parse(text);
      (void)unused;
    } catch (const json::parse_error& error) {
      offset = error.byte > 0 ? error.byte - 1 : 0;
      what = error.what();
      const auto colon = what.rfind(": ");
      if (colon != std::string::npos) what = what.substr(colon + 2);
    } catch (const std::exception& error) {
      what = error.what();
    }
    const TextPosition position = PositionOfOffset(text, offset);
    SourceLocation location;
    location.file = file;
    location.line = position.line;
    location.column = position.column;
    return InvalidData("schema is not valid JSON (" + what +
                           "); fix the syntax, or regenerate it with 'synthscale schema infer'",
                       location);
  }
  if (!document.is_object()) return errors.At({}, "a schema must be a JSON object with a 'columns' array");
  for (const auto& [key, value] : document.items()) {
    if (key == "synthscale_schema") {
      if (!value.is_number_integer() || value.get<std::int64_t>() != kSchemaFormatVersion) {
        return errors.At({key}, "unsupported schema version " + Describe(value) + "; this synthscale reads version " +
                                    std::to_string(kSchemaFormatVersion));
      }
    } else if (key != "columns" && key != "description") {
      return errors.At({key}, "unknown top-level key '" + key + "'; expected 'synthscale_schema', 'columns', 'description'");
    }
  }
  if (!document.contains("columns") || !document["columns"].is_array()) {
    return errors.At({}, "a schema needs a 'columns' array");
  }
  const json& columns = document["columns"];
  if (columns.empty()) return errors.At({std::string("columns")}, "a schema needs at least one column");
  std::vector<ColumnSchema> parsed;
  for (std::size_t col_idx = 0; col_idx < columns.size(); ++col_idx) {
    SYNTHSCALE_ASSIGN_OR_RETURN(ColumnSchema column, ParseColumn(columns[col_idx], col_idx, errors));
    parsed.push_back(std::move(column));
  }
  Schema schema(std::move(parsed));
  const Status valid = schema.Validate();
  if (!valid.ok()) {
    // Point at the offending column's entry.
    const std::ptrdiff_t col_idx = schema.FindColumn(valid.location().field);
    std::vector<JsonPathStep> path = {std::string("columns")};
    if (col_idx >= 0) path.emplace_back(static_cast<std::size_t>(col_idx));
    if (valid.message().find("appears twice") != std::string::npos) {
      // The second occurrence is the offending one.
      std::size_t seen = 0;
      for (std::size_t idx = 0; idx < schema.size(); ++idx) {
        if (schema.column(idx).name == valid.location().field && seen++ == 1) path.back() = idx;
      }
    }
    return errors.At(path, valid.message(), valid.location().field);
  }
  return schema;
}

Result<Schema> Schema::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot open schema file '" + path + "': check the path", path);
  // Opening a directory succeeds on Linux and reading it fails inside rdbuf(), which
  // `in.bad()` below does not see.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    return IOError("cannot read schema file '" + path + "': it is a directory", path);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return IOError("cannot read schema file '" + path + "' (is it a directory?)", path);
  }
  return FromJson(buffer.str(), path);
}

std::string Schema::ToJson() const {
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  for (const ColumnSchema& column : columns_) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry["name"] = column.name;
    entry["type"] = std::string(ColumnTypeName(column.type));
    entry["nullable"] = column.nullable;
    switch (column.type) {
      case ColumnType::kCategorical: entry["domain"] = {{"categories", column.categories}}; break;
      case ColumnType::kInteger:
        entry["domain"] = {{"min", IntegerBoundJson(column.min)},
                           {"max", IntegerBoundJson(column.max)},
                           {"bins", column.bins}};
        break;
      case ColumnType::kContinuous:
        entry["domain"] = {{"min", column.min}, {"max", column.max}, {"bins", column.bins}};
        break;
      case ColumnType::kDatetime:
        entry["format"] = column.datetime_format == DatetimeFormat::kDate ? "date" : "datetime";
        entry["domain"] = {{"min", DatetimeBoundJson(column.min, column)},
                           {"max", DatetimeBoundJson(column.max, column)},
                           {"bins", column.bins}};
        break;
      case ColumnType::kBoolean:
      case ColumnType::kId:
      case ColumnType::kText: break;
    }
    entry["domain_from_data"] = column.domain_from_data;
    columns.push_back(std::move(entry));
  }
  nlohmann::ordered_json document = nlohmann::ordered_json::object();
  document["synthscale_schema"] = kSchemaFormatVersion;
  document["columns"] = std::move(columns);
  // ordered_json keeps keys in insertion order: name first, stable output.
  return document.dump(2) + "\n";
}

}  // namespace synthscale
