// synthscale._core: the compiled layer of the Python package (public library headers only).
//
// Columns cross the boundary as numpy arrays, never as CSV text. Each column is a tuple
// (name, kind, values, valid, labels):
//
//   kind                          values                               labels
//   categorical                   uint32 codes into labels             list[str], the dictionary
//   integer, datetime, boolean    int64 (datetime: seconds since the   None
//                                 epoch, UTC; boolean: 0 or 1)
//   continuous                    float64, finite where valid          None
//   id, text                      sequence of str                      None
//
// `valid` is a uint8 array, 0 where the value is missing (the value there is ignored).
// synthscale/_frame.py turns pandas columns into these tuples and back.
//
// Errors: a failed Status raises the package's exception for its code, built by
// synthscale._errors._from_status with the message and the location. Fit, sample, save
// and load release the GIL while the library works.
//
// Differentially private fits: Model.fit takes the method's options as the JSON object of
// SynthesizerOptions::ToJson (synthscale/_private.py builds and checks it) and an optional
// 32-byte noise key; the key only keys the noise generator and is never stored.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "synthscale/core/context.h"
#include "synthscale/core/crypto.h"
#include "synthscale/core/status.h"
#include "synthscale/core/version.h"
#include "synthscale/eval/eval_inputs.h"
#include "synthscale/eval/metric.h"
#include "synthscale/eval/report.h"
#include "synthscale/synth/model.h"
#include "synthscale/synth/synthesizer.h"
#include "synthscale/synth/synthesizer_options.h"
#include "synthscale/table/column_type.h"
#include "synthscale/table/schema.h"
#include "synthscale/table/schema_from_table.h"
#include "synthscale/table/table.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace synthscale::python {
namespace {

template <typename T>
using InArray = nb::ndarray<const T, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
template <typename T>
using OutArray = nb::ndarray<nb::numpy, T, nb::ndim<1>>;

// The key _errors._from_status maps to an exception class.
const char* ErrorKey(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kInvalidData: return "invalid_data";
    case ErrorCode::kNotFitted: return "not_fitted";
    case ErrorCode::kIO: return "io";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

// UTF-8 to str, replacing invalid bytes rather than failing: a message or a label read
// from a foreign file must still reach the user.
nb::str ToStr(std::string_view text) {
  PyObject* str = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (str == nullptr) throw nb::python_error();
  return nb::steal<nb::str>(str);
}

// Raise the package exception for `status` (the GIL must be held).
[[noreturn]] void Raise(const Status& status) {
  const SourceLocation& location = status.location();
  nb::object errors = nb::module_::import_("synthscale._errors");
  nb::object error = errors.attr("_from_status")(ErrorKey(status.code()), ToStr(status.message()),
                                                 ToStr(location.ToString()), ToStr(location.file),
                                                 location.line, location.column, location.row,
                                                 ToStr(location.field));
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
  throw nb::python_error();
}

void Check(const Status& status) {
  if (!status.ok()) Raise(status);
}

template <typename T>
T Unwrap(Result<T>&& result) {
  if (!result.ok()) Raise(result.status());
  return std::move(result).value();
}

SourceLocation FieldLocation(const std::string& field) {
  SourceLocation location;
  location.field = field;
  return location;
}

// A str as UTF-8; a lone surrogate (e.g. from a file name decoded with surrogateescape)
// has no UTF-8 form and is reported as invalid data in `column`.
std::string Utf8(nb::handle value, const std::string& column, const char* what) {
  if (!PyUnicode_Check(value.ptr())) {
    Raise(InvalidArgument("column '" + column + "': " + what + " must be str, got " +
                          std::string(Py_TYPE(value.ptr())->tp_name)));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    Raise(InvalidData("column '" + column + "': a " + what +
                          " is not valid Unicode (it holds a lone surrogate); clean or re-decode it",
                      FieldLocation(column)));
  }
  return std::string(data, static_cast<std::size_t>(size));
}

template <typename T>
InArray<T> CastArray(nb::handle values, const std::string& name, std::size_t rows, const char* what) {
  InArray<T> array;
  if (!nb::try_cast(values, array, /*convert=*/true)) {
    Raise(InvalidArgument("column '" + name + "': values must be a 1-d array of " + what));
  }
  if (array.shape(0) != rows) {
    Raise(InvalidArgument("column '" + name + "' has " + std::to_string(array.shape(0)) +
                          " values but " + std::to_string(rows) + " validity flags"));
  }
  return array;
}

// One column tuple to a Column, copying the values (the library owns its storage).
Column ToColumn(nb::handle spec) {
  nb::tuple fields;
  if (!nb::try_cast(spec, fields) || fields.size() != 5) {
    Raise(InvalidArgument("a column must be a tuple (name, kind, values, valid, labels)"));
  }
  Column column;
  column.name = Utf8(fields[0], "?", "column name");
  const std::string kind = Utf8(fields[1], column.name, "kind");
  const std::optional<ColumnType> type = ParseColumnType(kind);
  if (!type) Raise(InvalidArgument("column '" + column.name + "': unknown kind '" + kind + "'"));
  column.type = *type;

  InArray<std::uint8_t> valid;
  if (!nb::try_cast(fields[3], valid, /*convert=*/true)) {
    Raise(InvalidArgument("column '" + column.name + "': valid must be a 1-d uint8 array"));
  }
  const std::size_t rows = valid.shape(0);
  column.valid.resize(rows);
  for (std::size_t row = 0; row < rows; ++row) column.valid[row] = valid(row) != 0 ? 1 : 0;

  switch (column.type) {
    case ColumnType::kCategorical: {
      const auto codes = CastArray<std::uint32_t>(fields[2], column.name, rows, "uint32 codes");
      nb::sequence labels;
      if (!nb::try_cast(fields[4], labels)) {
        Raise(InvalidArgument("column '" + column.name + "': labels must be a sequence of str"));
      }
      for (nb::handle label : labels) column.dictionary.push_back(Utf8(label, column.name, "category"));
      column.codes.resize(rows);
      for (std::size_t row = 0; row < rows; ++row) {
        if (!column.valid[row]) continue;  // stays 0, as the Table contract says
        if (codes(row) >= column.dictionary.size()) {
          Raise(InvalidArgument("column '" + column.name + "': code " + std::to_string(codes(row)) +
                                " is outside its " + std::to_string(column.dictionary.size()) + " labels"));
        }
        column.codes[row] = codes(row);
      }
      break;
    }
    case ColumnType::kInteger:
    case ColumnType::kDatetime:
    case ColumnType::kBoolean: {
      const auto ints = CastArray<std::int64_t>(fields[2], column.name, rows, "int64");
      column.ints.resize(rows);
      for (std::size_t row = 0; row < rows; ++row) column.ints[row] = column.valid[row] ? ints(row) : 0;
      break;
    }
    case ColumnType::kContinuous: {
      const auto doubles = CastArray<double>(fields[2], column.name, rows, "float64");
      column.doubles.resize(rows);
      for (std::size_t row = 0; row < rows; ++row) {
        if (!column.valid[row]) continue;
        if (!std::isfinite(doubles(row))) {
          SourceLocation location = FieldLocation(column.name);
          location.row = static_cast<std::int64_t>(row) + 1;
          Raise(InvalidData("column '" + column.name + "' holds " + std::to_string(doubles(row)) +
                                "; continuous values must be finite",
                            location));
        }
        column.doubles[row] = doubles(row);
      }
      break;
    }
    case ColumnType::kId:
    case ColumnType::kText: {
      nb::sequence strings;
      if (!nb::try_cast(fields[2], strings) || nb::len(strings) != rows) {
        Raise(InvalidArgument("column '" + column.name + "': values must be a sequence of " +
                              std::to_string(rows) + " str"));
      }
      for (std::size_t row = 0; row < rows; ++row) {
        column.strings.push_back(column.valid[row] ? Utf8(strings[row], column.name, "value") : std::string());
      }
      break;
    }
  }
  return column;
}

Table ToTable(const nb::list& columns) {
  Table table;
  for (nb::handle spec : columns) {
    Column column = ToColumn(spec);
    if (table.num_columns() > 0 && column.size() != table.num_rows()) {
      Raise(InvalidArgument("column '" + column.name + "' has " + std::to_string(column.size()) +
                            " rows, the others " + std::to_string(table.num_rows())));
    }
    if (table.FindColumn(column.name) >= 0) {
      Raise(InvalidData("two columns are named '" + column.name + "'; column names must be unique",
                        FieldLocation(column.name)));
    }
    table.AddColumn(std::move(column));
  }
  return table;
}

// Hand a vector to numpy without copying: the array owns it through a capsule.
template <typename T>
OutArray<T> ToNumpy(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  if (owned->empty()) owned->reserve(1);  // a non-null data pointer for a 0-length array
  nb::capsule owner(owned, [](void* pointer) noexcept { delete static_cast<std::vector<T>*>(pointer); });
  return OutArray<T>(owned->data(), {owned->size()}, owner);
}

nb::list ToColumns(Table&& table) {
  nb::list out;
  for (std::size_t col_idx = 0; col_idx < table.num_columns(); ++col_idx) {
    Column& column = table.mutable_column(col_idx);
    nb::object values;
    nb::object labels = nb::none();
    switch (column.type) {
      case ColumnType::kCategorical: {
        values = nb::cast(ToNumpy(std::move(column.codes)));
        nb::list dictionary;
        for (const std::string& label : column.dictionary) dictionary.append(ToStr(label));
        labels = dictionary;
        break;
      }
      case ColumnType::kInteger:
      case ColumnType::kDatetime:
      case ColumnType::kBoolean: values = nb::cast(ToNumpy(std::move(column.ints))); break;
      case ColumnType::kContinuous: values = nb::cast(ToNumpy(std::move(column.doubles))); break;
      case ColumnType::kId:
      case ColumnType::kText: {
        nb::list strings;
        for (std::size_t row = 0; row < column.size(); ++row) {
          strings.append(column.is_valid(row) ? nb::object(ToStr(column.strings.at(row))) : nb::none());
        }
        values = strings;
        break;
      }
    }
    out.append(nb::make_tuple(ToStr(column.name), std::string(ColumnTypeName(column.type)), values,
                              ToNumpy(std::move(column.valid)), labels));
  }
  return out;
}

// SchemaFromTable leaves datetime columns in "date" format, and ToJson writes a "date"
// column's bounds as dates: a column whose values have a time of day needs "datetime",
// or its bounds would lose the time and its latest values fall outside the domain.
void MarkDatetimesWithTime(const Table& table, Schema& schema) {
  constexpr std::int64_t kSecondsPerDay = 86400;
  for (std::size_t col_idx = 0; col_idx < schema.size(); ++col_idx) {
    ColumnSchema& spec = schema.mutable_columns()[col_idx];
    if (spec.type != ColumnType::kDatetime) continue;
    const Column& column = table.column(col_idx);
    for (std::size_t row = 0; row < column.size(); ++row) {
      if (column.is_valid(row) && column.ints[row] % kSecondsPerDay != 0) {
        spec.datetime_format = DatetimeFormat::kDatetime;
        break;
      }
    }
  }
}

// A Context that records the library's warnings (from any thread) for the caller to
// re-issue as Python warnings once it holds the GIL again.
struct RecordingContext {
  explicit RecordingContext(std::size_t threads) : context(threads) {
    context.warning = [this](std::string_view message) {
      const std::lock_guard<std::mutex> lock(mutex);
      warnings.emplace_back(message);
    };
  }
  Context context;
  std::mutex mutex;
  std::vector<std::string> warnings;
};

// The fit's method, options (JSON) and noise key; bad options are the caller's arguments.
FitSettings MakeFitSettings(const std::string& method, const std::string& options_json,
                            const std::optional<nb::bytes>& noise_key) {
  FitSettings settings;
  settings.method = method;
  Result<SynthesizerOptions> options = SynthesizerOptions::FromJson(options_json);
  if (!options.ok()) Raise(InvalidArgument("options: " + options.status().message()));
  settings.options = std::move(options).value();
  if (noise_key) {
    NoiseKey key;
    if (noise_key->size() != key.size()) {
      Raise(InvalidArgument("noise_key must be " + std::to_string(key.size()) + " bytes, got " +
                            std::to_string(noise_key->size())));
    }
    const auto* bytes = static_cast<const std::uint8_t*>(noise_key->data());
    std::copy(bytes, bytes + key.size(), key.begin());
    settings.noise_key = key;
  }
  return settings;
}

nb::tuple Fit(const nb::list& columns, const std::string& schema_json, const std::string& method,
              std::size_t threads, const std::string& options_json, const std::optional<nb::bytes>& noise_key) {
  const FitSettings settings = MakeFitSettings(method, options_json, noise_key);
  const Table table = ToTable(columns);
  const Schema schema = Unwrap(Schema::FromJson(schema_json, "<schema>"));
  std::vector<std::string> warnings;
  Result<Model> model = [&] {
    nb::gil_scoped_release release;
    RecordingContext recording(threads);
    Result<Model> fitted = FitModel(table, schema, settings, recording.context);
    warnings = std::move(recording.warnings);
    return fitted;
  }();
  nb::object fitted = nb::cast(Unwrap(std::move(model)), nb::rv_policy::move);
  return nb::make_tuple(fitted, warnings);
}

nb::list Sample(const Model& model, std::uint64_t rows, std::uint64_t seed, const std::string& sampling,
                std::size_t threads) {
  const SamplingMethod method = Unwrap(ParseSamplingMethod(sampling));
  Result<Table> table = [&] {
    nb::gil_scoped_release release;
    const Context context(threads);
    return model.Sample(0, rows, rows, seed, method, context);
  }();
  return ToColumns(Unwrap(std::move(table)));
}

// The evaluate() options as JSON (python/synthscale/evaluate.py builds it): keys of
// EvalOptions; a malformed object is the caller's argument error.
eval::EvalOptions ParseEvalOptions(const std::string& options_json) {
  const nlohmann::json json = nlohmann::json::parse(options_json, nullptr, false);
  if (!json.is_object()) Raise(InvalidArgument("evaluate options must be a JSON object"));
  eval::EvalOptions options;
  try {
    if (json.contains("target") && !json["target"].is_null()) options.target = json["target"].get<std::string>();
    options.sensitive = json.value("sensitive", std::vector<std::string>{});
    options.quasi_identifiers = json.value("quasi_identifiers", std::vector<std::string>{});
    options.seed = json.value("seed", std::uint64_t{0});
    options.bootstrap_replicates = json.value("bootstrap_replicates", options.bootstrap_replicates);
    options.confidence = json.value("confidence", options.confidence);
    options.max_three_way = json.value("max_three_way", options.max_three_way);
    options.mix_ratios = json.value("mix_ratios", std::vector<double>{});
  } catch (const nlohmann::json::exception& error) {
    Raise(InvalidArgument(std::string("evaluate options: ") + error.what()));
  }
  return options;
}

std::string Evaluate(const nb::list& real, const std::optional<nb::list>& holdout, const nb::list& synthetic,
                     const std::string& schema_json, const std::string& options_json,
                     const std::vector<std::string>& metrics, std::size_t threads) {
  eval::EvalOptions options = ParseEvalOptions(options_json);
  const Schema schema = Unwrap(Schema::FromJson(schema_json, "<schema>"));
  const Table real_table = ToTable(real);
  const std::optional<Table> holdout_table = holdout ? std::optional<Table>(ToTable(*holdout)) : std::nullopt;
  const Table synthetic_table = ToTable(synthetic);
  Result<nlohmann::json> report = [&]() -> Result<nlohmann::json> {
    nb::gil_scoped_release release;
    const Context context(threads);
    SYNTHSCALE_ASSIGN_OR_RETURN(
        eval::EvalInputs inputs,
        eval::PrepareEvalInputs(schema, real_table, holdout_table ? &*holdout_table : nullptr, synthetic_table,
                                std::move(options), context));
    return eval::BuildReport(inputs, metrics, context);
  }();
  return eval::ReportJsonText(Unwrap(std::move(report)));
}

nb::tuple WriteReport(const std::string& report_json, const std::string& folder, bool overwrite) {
  const nlohmann::json report = nlohmann::json::parse(report_json, nullptr, false);
  if (!report.is_object() || !report.contains("summary")) {
    Raise(InvalidArgument("write_report needs the JSON text evaluate() returned"));
  }
  Result<eval::ReportPaths> paths = [&] {
    nb::gil_scoped_release release;
    return eval::WriteReport(report, folder, overwrite);
  }();
  const eval::ReportPaths written = Unwrap(std::move(paths));
  return nb::make_tuple(written.json, written.html);
}

}  // namespace

// The text audit's functions (_text.cpp); `raise` turns a failed Status into the package's exception.
void AddTextBindings(nb::module_& m, void (*raise)(const Status&));

}  // namespace synthscale::python

NB_MODULE(_core, m) {
  using namespace synthscale;
  using namespace synthscale::python;
  m.doc() = "synthscale's compiled core; use the `synthscale` package instead of this module.";
  m.attr("__version__") = Version();

  m.def("version", [] { return std::string(Version()); }, "The library's version.");
  m.def("git_commit", [] { return std::string(GitCommit()); }, "The git commit the library was built from.");
  m.def("synthesizer_methods", &SynthesizerMethods, "Names of the registered synthesis methods, sorted.");

  m.def("metric_names", &eval::MetricNames, "Names of the trust report's metrics, in report order.");
  m.def("evaluate", &Evaluate, "real"_a, "holdout"_a.none(), "synthetic"_a, "schema_json"_a, "options_json"_a,
        "metrics"_a, "threads"_a = 0,
        "The trust report's JSON text for three tables given as column tuples. Releases the GIL.");
  m.def("write_report", &WriteReport, "report_json"_a, "folder"_a, "overwrite"_a = false,
        "Write report.json and report.html into `folder` atomically; returns their paths.");
  AddTextBindings(m, [](const Status& status) { Raise(status); });

  const DomainOptions defaults;
  m.def(
      "schema_from_columns",
      [](const nb::list& columns, std::uint32_t continuous_bins, std::uint32_t integer_bins) {
        if (continuous_bins == 0 || integer_bins == 0) Raise(InvalidArgument("bins must be >= 1, got 0"));
        DomainOptions options;
        options.continuous_bins = continuous_bins;
        options.integer_bins = integer_bins;
        const Table table = ToTable(columns);
        Schema schema = SchemaFromTable(table, options);
        MarkDatetimesWithTime(table, schema);
        return schema.ToJson();
      },
      "columns"_a, "continuous_bins"_a = defaults.continuous_bins, "integer_bins"_a = defaults.integer_bins,
      "Schema JSON with domains read from the columns (NOT differentially private).");
  m.def(
      "normalize_schema",
      [](const std::string& json, const std::string& source) {
        const Schema schema = Unwrap(Schema::FromJson(json, source));
        Check(schema.Validate());
        return schema.ToJson();
      },
      "json"_a, "source"_a = "<schema>", "Parse and validate schema JSON; return it in canonical form.");

  nb::class_<Model>(m, "Model", "A fitted synthesizer with its schema (synthscale/synth/model.h).")
      .def_static("fit", &Fit, "columns"_a, "schema_json"_a, "method"_a, "threads"_a = 0, "options_json"_a = "{}",
                  "noise_key"_a = nb::none(),
                  "Fit `method` on the columns with its options (JSON object of SynthesizerOptions) and, "
                  "for a DP method, a 32-byte noise key (None: fresh from the OS); returns (model, "
                  "warnings). Releases the GIL.")
      .def_static(
          "load",
          [](const std::string& path) {
            Result<Model> model = [&] {
              nb::gil_scoped_release release;
              return Model::Load(path);
            }();
            return Unwrap(std::move(model));
          },
          "path"_a, "Read a model file. Releases the GIL.")
      .def_static(
          "deserialize",
          [](const nb::bytes& data, const std::string& source) {
            return Unwrap(Model::Deserialize(std::string_view(data.c_str(), data.size()), source));
          },
          "data"_a, "source"_a = "<bytes>", "Parse the bytes of a model file.")
      .def(
          "serialize",
          [](const Model& model) {
            const std::string bytes = model.Serialize();
            return nb::bytes(bytes.data(), bytes.size());
          },
          "The bytes of the model file.")
      .def(
          "save",
          [](const Model& model, const std::string& path, bool overwrite) {
            Status status;
            {
              nb::gil_scoped_release release;
              status = model.Save(path, overwrite);
            }
            Check(status);
          },
          "path"_a, "overwrite"_a = false,
          "Write the model file atomically; an existing file is kept unless overwrite. Releases the GIL.")
      .def("sample", &Sample, "rows"_a, "seed"_a, "sampling"_a = "rounded", "threads"_a = 0,
           "Draw a sample of `rows` rows ('rounded' or 'iid') as column tuples. Releases the GIL.")
      .def_prop_ro("method", [](const Model& model) { return std::string(model.synthesizer().method()); })
      .def_prop_ro("differentially_private",
                   [](const Model& model) { return model.synthesizer().differentially_private(); })
      .def_prop_ro("schema_json", [](const Model& model) { return model.schema().ToJson(); })
      .def_prop_ro("rows", [](const Model& model) { return model.info().rows; })
      .def_prop_ro("describe_json", [](const Model& model) { return model.DescribeJson(); },
                   "What `synthscale inspect --json` prints: method, options, fit, columns, structure, privacy.")
      .def_prop_ro(
          "ledger_json",
          [](const Model& model) -> std::optional<std::string> {
            if (!model.ledger()) return std::nullopt;
            return model.ledger()->ToJson();
          },
          "The privacy ledger's JSON (docs/privacy.md) of a DP model; None for other methods.");
}
