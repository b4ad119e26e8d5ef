#include "synthscale/workflow/pipeline.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

namespace synthscale {
namespace {

constexpr ParamSpec kDelimiter{"delimiter", ParamType::kString, "field delimiter: one character, or 'tab'"};
constexpr ParamSpec kNa{"na", ParamType::kRepeated, "tokens that mean a missing value"};
constexpr ParamSpec kOutOfDomain{"allow-out-of-domain", ParamType::kFlag, "keep values outside the domain"};
constexpr ParamSpec kLicense{"license", ParamType::kString, "license recorded in the manifest"};
constexpr ParamSpec kCreator{"creator", ParamType::kString, "creator recorded in the manifest"};
constexpr ParamSpec kSteward{"steward-manifest", ParamType::kFlag, "record hashes of confidential inputs"};
constexpr ParamSpec kSeed{"seed", ParamType::kCount, "seed of the random streams"};

std::vector<KindSpec> MakeSpecs() {
  std::vector<KindSpec> specs;
  specs.push_back({StepKind::kIngest,
                   {{"max-categories", ParamType::kCount, "infer: a column with at most this many values is categorical"},
                    {"continuous-bins", ParamType::kCount, "infer: equal-width bins of continuous columns"},
                    {"integer-bins", ParamType::kCount, "infer: integer ranges wider than this are binned"},
                    kDelimiter,
                    kNa,
                    kOutOfDomain},
                   {},
                   {"data", "schema"},
                   {"data"},
                   {"schema"},
                   {}});
  specs.push_back({StepKind::kFit,
                   {{"method", ParamType::kString, "aim, mst or independent"},
                    {"epsilon", ParamType::kNumber, "privacy budget epsilon (with delta)"},
                    {"delta", ParamType::kNumber, "privacy budget delta"},
                    {"rho", ParamType::kNumber, "privacy budget as zCDP rho"},
                    {"neighbouring", ParamType::kString, "add_remove_one_row or replace_one_row"},
                    {"allow-data-dependent-domain", ParamType::kFlag, "accept a domain read from the data"},
                    {"workload-degree", ParamType::kCount, "aim: marginals of this many columns"},
                    {"max-model-size", ParamType::kNumber, "aim: largest model in MiB"},
                    {"max-rounds", ParamType::kCount, "aim: most selection rounds"},
                    {"max-iterations", ParamType::kCount, "mst, aim: estimation iterations"},
                    kSeed,
                    kDelimiter,
                    kNa,
                    kOutOfDomain,
                    kLicense,
                    kCreator,
                    kSteward},
                   {"method"},
                   {"data", "schema", "workload", "noise-key-file"},
                   {"data"},
                   {"model"},
                   {"model"}});
  specs.push_back({StepKind::kSample,
                   {{"rows", ParamType::kCount, "number of rows to draw"},
                    {"sampling", ParamType::kString, "rounded (default: all rows jointly) or iid (row by row)"},
                    kSeed, kLicense, kCreator, kSteward},
                   {"rows"},
                   {"model"},
                   {"model"},
                   {"data"},
                   {"data"}});
  specs.push_back({StepKind::kEvaluate,
                   {{"target", ParamType::kString, "column the utility models predict"},
                    {"sensitive", ParamType::kList, "columns of the subgroup audit"},
                    {"metrics", ParamType::kList, "metrics to compute (default: all)"},
                    kSeed,
                    {"mix", ParamType::kNumberList, "shares of synthetic rows added to real training data"},
                    {"quasi-identifiers", ParamType::kList, "columns an attacker knows"},
                    {"bootstrap", ParamType::kCount, "bootstrap replicates of the intervals (0 = none)"},
                    {"confidence", ParamType::kNumber, "two-sided level of the intervals"},
                    {"max-three-way", ParamType::kCount, "a seeded sample of this many 3-way marginals (0 = all)"}},
                   {},
                   {"real", "holdout", "synthetic", "schema"},
                   {"real", "holdout", "synthetic", "schema"},
                   {"report"},
                   {"report"}});
  specs.push_back({StepKind::kMix,
                   {{"share", ParamType::kNumber, "synthetic rows to add, as a share of the real rows"},
                    {"rows", ParamType::kCount, "synthetic rows to add"}},
                   {},
                   {"real", "synthetic", "schema"},
                   {"real", "synthetic", "schema"},
                   {"data"},
                   {"data"}});
  return specs;
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out.empty() ? "(none)" : out;
}

// Parsing context: the file name for locations, and the errors' shape.
class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  SourceLocation At(const YAML::Node& node) const {
    SourceLocation location;
    location.file = file_;
    const YAML::Mark mark = node.Mark();
    if (mark.line >= 0) {
      location.line = mark.line + 1;
      location.column = mark.column + 1;
    }
    return location;
  }
  Status Error(const YAML::Node& node, const std::string& message) const {
    return Status(ErrorCode::kInvalidArgument, message, At(node));
  }
  Status ErrorAt(const SourceLocation& location, const std::string& message) const {
    return Status(ErrorCode::kInvalidArgument, message, location);
  }

  // Check `node` is a mapping with only `allowed` keys, each once.
  Status CheckMapping(const YAML::Node& node, const std::string& what,
                      const std::vector<std::string_view>& allowed) const {
    if (!node.IsMap()) {
      return Error(node, what + " must be a mapping of 'key: value' lines; allowed keys: " + JoinNames(allowed));
    }
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        return Error(entry.first, "keys in " + what + " must be plain names, not lists or mappings; allowed keys: " +
                                      JoinNames(allowed));
      }
      const std::string key = entry.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return Error(entry.first, "unknown key '" + key + "' in " + what + "; allowed keys: " + JoinNames(allowed));
      }
      if (!seen.insert(key).second) {
        return Error(entry.first, "key '" + key + "' appears twice in " + what + "; keep one");
      }
    }
    return Status::Ok();
  }

  Result<std::string> Scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) return Error(node, what + " must be a single value, not a list or mapping");
    return node.Scalar();
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

Result<std::uint64_t> ParseCount(const Parser& parser, const YAML::Node& node, const std::string& what) {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::string text, parser.Scalar(node, what));
  std::uint64_t value = 0;
  const char* begin = text.data();
  if (!text.empty() && text[0] == '+') ++begin;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return parser.Error(node, what + " must be a whole number >= 0, got '" + text + "'");
  }
  return value;
}

Result<double> ParseNumber(const Parser& parser, const YAML::Node& node, const std::string& what) {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::string text, parser.Scalar(node, what));
  double value = 0;
  const char* begin = text.data();
  if (!text.empty() && text[0] == '+') ++begin;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return parser.Error(node, what + " must be a finite number (e.g. 1, 0.5 or 1e-9), got '" + text + "'");
  }
  return value;
}

// A list given as a YAML sequence, or as one comma-separated value.
Result<std::vector<YAML::Node>> ListItems(const Parser& parser, const YAML::Node& node, const std::string& what) {
  std::vector<YAML::Node> items;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) items.push_back(item);
  } else if (node.IsScalar()) {
    items.push_back(node);
  } else {
    return parser.Error(node, what + " must be a list like [a, b] or one value");
  }
  if (items.empty()) return parser.Error(node, what + " must not be an empty list; leave the key out instead");
  return items;
}

Result<nlohmann::json> ParseParamValue(const Parser& parser, const ParamSpec& spec, const YAML::Node& node,
                                       const std::string& what) {
  switch (spec.type) {
    case ParamType::kCount: {
      SYNTHSCALE_ASSIGN_OR_RETURN(std::uint64_t value, ParseCount(parser, node, what));
      return nlohmann::json(value);
    }
    case ParamType::kNumber: {
      SYNTHSCALE_ASSIGN_OR_RETURN(double value, ParseNumber(parser, node, what));
      return nlohmann::json(value);
    }
    case ParamType::kString: {
      SYNTHSCALE_ASSIGN_OR_RETURN(std::string value, parser.Scalar(node, what));
      if (value.empty()) return parser.Error(node, what + " must not be empty; give a value or leave the key out");
      return nlohmann::json(value);
    }
    case ParamType::kFlag: {
      SYNTHSCALE_ASSIGN_OR_RETURN(std::string text, parser.Scalar(node, what));
      if (text == "true" || text == "True" || text == "TRUE") return nlohmann::json(true);
      if (text == "false" || text == "False" || text == "FALSE") return nlohmann::json(false);
      return parser.Error(node, what + " must be true or false, got '" + text + "'");
    }
    case ParamType::kList:
    case ParamType::kRepeated: {
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, ListItems(parser, node, what));
      nlohmann::json list = nlohmann::json::array();
      for (const YAML::Node& item : items) {
        SYNTHSCALE_ASSIGN_OR_RETURN(std::string text, parser.Scalar(item, "each item of " + what));
        if (spec.type == ParamType::kList) {
          // "sex,race" as one value means the two columns, as on the command line.
          std::size_t start = 0;
          while (start <= text.size()) {
            const std::size_t comma = std::min(text.find(',', start), text.size());
            const std::string piece = text.substr(start, comma - start);
            if (piece.empty()) return parser.Error(item, what + " has an empty item in '" + text + "'");
            list.push_back(piece);
            start = comma + 1;
          }
        } else {
          list.push_back(text);
        }
      }
      return list;
    }
    case ParamType::kNumberList: {
      SYNTHSCALE_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, ListItems(parser, node, what));
      nlohmann::json list = nlohmann::json::array();
      for (const YAML::Node& item : items) {
        if (item.IsScalar() && item.Scalar().find(',') != std::string::npos) {
          return parser.Error(item, what + " must be a YAML list like [0, 0.5, 1], got '" + item.Scalar() + "'");
        }
        SYNTHSCALE_ASSIGN_OR_RETURN(double value, ParseNumber(parser, item, "each item of " + what));
        list.push_back(value);
      }
      return list;
    }
  }
  return Status(ErrorCode::kInternal, "unhandled parameter type");
}

const std::regex& ReferencePattern() {
  static const std::regex pattern(R"(^\$\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\}$)");
  return pattern;
}

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
           ch == '-';
  });
}

Result<std::string> ParsePath(const Parser& parser, const YAML::Node& node, const std::string& what) {
  SYNTHSCALE_ASSIGN_OR_RETURN(std::string text, parser.Scalar(node, what));
  if (text.empty()) return parser.Error(node, what + " must be a file path, got an empty value");
  if (text.find("${") != std::string::npos) {
    return parser.Error(node, what + " mixes a reference with other text ('" + text +
                                  "'); a reference must be the whole value, e.g. ${fit.model}");
  }
  return NormalizePath(text);
}

Result<std::vector<StepInput>> ParseInputs(const Parser& parser, const YAML::Node& node, const std::string& step,
                                           const KindSpec& spec) {
  std::vector<StepInput> inputs;
  if (!node) return inputs;
  SYNTHSCALE_RETURN_IF_ERROR(parser.CheckMapping(node, "the inputs of step '" + step + "'", spec.inputs));
  for (const auto& entry : node) {
    StepInput input;
    input.name = entry.first.Scalar();
    input.location = parser.At(entry.second);
    const std::string what = "input '" + input.name + "' of step '" + step + "'";
    if (entry.second.IsScalar()) {
      std::smatch match;
      const std::string& text = entry.second.Scalar();
      if (std::regex_match(text, match, ReferencePattern())) {
        input.ref_step = match[1];
        input.ref_output = match[2];
        inputs.push_back(std::move(input));
        continue;
      }
    }
    SYNTHSCALE_ASSIGN_OR_RETURN(input.path, ParsePath(parser, entry.second, what));
    inputs.push_back(std::move(input));
  }
  return inputs;
}

Result<std::vector<StepOutput>> ParseOutputs(const Parser& parser, const YAML::Node& node, const std::string& step,
                                             const KindSpec& spec) {
  std::vector<StepOutput> outputs;
  if (!node) return outputs;
  SYNTHSCALE_RETURN_IF_ERROR(parser.CheckMapping(node, "the outputs of step '" + step + "'", spec.outputs));
  for (const auto& entry : node) {
    StepOutput output;
    output.name = entry.first.Scalar();
    output.location = parser.At(entry.second);
    SYNTHSCALE_ASSIGN_OR_RETURN(output.path,
                                ParsePath(parser, entry.second, "output '" + output.name + "' of step '" + step + "'"));
    outputs.push_back(std::move(output));
  }
  return outputs;
}

Result<std::vector<StepParam>> ParseParams(const Parser& parser, const YAML::Node& node, const std::string& step,
                                           const KindSpec& spec) {
  std::vector<StepParam> params;
  if (!node) return params;
  std::vector<std::string_view> keys;
  for (const ParamSpec& param : spec.params) keys.push_back(param.key);
  SYNTHSCALE_RETURN_IF_ERROR(parser.CheckMapping(
      node, "the params of step '" + step + "' (kind " + StepKindName(spec.kind) + ")", keys));
  for (const auto& entry : node) {
    StepParam param;
    param.key = entry.first.Scalar();
    param.location = parser.At(entry.second);
    const ParamSpec& param_spec =
        *std::find_if(spec.params.begin(), spec.params.end(), [&](const ParamSpec& s) { return s.key == param.key; });
    SYNTHSCALE_ASSIGN_OR_RETURN(
        param.value, ParseParamValue(parser, param_spec, entry.second,
                                     "parameter '" + param.key + "' of step '" + step + "' (" +
                                         std::string(param_spec.help) + ")"));
    params.push_back(std::move(param));
  }
  return params;
}

template <typename T>
void SortByName(std::vector<T>& items) {
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.name < b.name; });
}

// Rules that involve more than one key of a step.
Status CheckStepRules(const Parser& parser, const Step& step, const KindSpec& spec) {
  const std::string who = "step '" + step.name + "' (kind " + StepKindName(step.kind) + ")";
  for (std::string_view required : spec.required_inputs) {
    if (!step.FindInput(required)) {
      return parser.ErrorAt(step.location, who + " needs input '" + std::string(required) + "'; add it under inputs:");
    }
  }
  for (std::string_view required : spec.required_params) {
    if (!step.FindParam(required)) {
      return parser.ErrorAt(step.location,
                            who + " needs parameter '" + std::string(required) + "'; add it under params:");
    }
  }
  for (std::string_view required : spec.required_outputs) {
    if (!step.FindOutput(required)) {
      return parser.ErrorAt(step.location,
                            who + " needs output '" + std::string(required) + "'; add it under outputs:");
    }
  }
  if (step.kind == StepKind::kIngest) {
    const bool infers = step.FindInput("schema") == nullptr;
    if (infers && !step.FindOutput("schema")) {
      return parser.ErrorAt(step.location, who + " has no schema input, so it infers one: add outputs: {schema: "
                                                 "FILE} to say where, or give inputs: {schema: FILE} to validate");
    }
    if (!infers) {
      if (const StepOutput* output = step.FindOutput("schema")) {
        return parser.ErrorAt(output->location, who + " validates its schema input and writes no schema; remove "
                                                      "outputs: schema, or the schema input to infer one");
      }
    }
    for (std::string_view infer_only : {"max-categories", "continuous-bins", "integer-bins"}) {
      if (const StepParam* param = step.FindParam(infer_only); param && !infers) {
        return parser.ErrorAt(param->location, "parameter '" + std::string(infer_only) + "' of " + who +
                                                   " applies only when inferring a schema; remove it");
      }
    }
    if (const StepParam* param = step.FindParam("allow-out-of-domain"); param && infers) {
      return parser.ErrorAt(param->location, "parameter 'allow-out-of-domain' of " + who +
                                                 " applies only when validating against a schema; remove it");
    }
  }
  if (step.kind == StepKind::kMix) {
    const StepParam* share = step.FindParam("share");
    const StepParam* rows = step.FindParam("rows");
    if ((share == nullptr) == (rows == nullptr)) {
      return parser.ErrorAt(share && rows ? rows->location : step.location,
                            who + " needs exactly one of the parameters 'share' (synthetic rows as a share of "
                                  "the real rows, e.g. 0.5) and 'rows' (a count)");
    }
    if (share && share->value.get<double>() < 0) {
      return parser.ErrorAt(share->location, "parameter 'share' of " + who + " must be >= 0");
    }
  }
  return Status::Ok();
}

Result<Step> ParseStep(const Parser& parser, const YAML::Node& key, const YAML::Node& node) {
  Step step;
  if (!key.IsScalar()) return parser.Error(key, "a step's name must be plain text like 'fit', not a list or mapping");
  step.name = key.Scalar();
  step.location = parser.At(key);
  if (!ValidName(step.name)) {
    return parser.Error(key, "step name '" + step.name + "' may use only letters, digits, '_' and '-'; rename it");
  }
  if (!node.IsMap()) {
    // An empty step has no position of its own; point at its name.
    return parser.Error(key, "step '" + step.name + "' must be a mapping with kind, inputs, params and outputs; "
                                                    "see docs/pipelines.md");
  }
  SYNTHSCALE_RETURN_IF_ERROR(
      parser.CheckMapping(node, "step '" + step.name + "'", {"kind", "inputs", "params", "outputs"}));
  const YAML::Node kind_node = node["kind"];
  if (!kind_node) {
    return parser.Error(key, "step '" + step.name + "' needs 'kind: ingest|fit|sample|evaluate|mix'");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(std::string kind, parser.Scalar(kind_node, "kind of step '" + step.name + "'"));
  bool known = false;
  for (StepKind candidate :
       {StepKind::kIngest, StepKind::kFit, StepKind::kSample, StepKind::kEvaluate, StepKind::kMix}) {
    if (kind == StepKindName(candidate)) {
      step.kind = candidate;
      known = true;
    }
  }
  if (!known) {
    return parser.Error(kind_node, "unknown kind '" + kind + "' of step '" + step.name +
                                       "'; expected one of ingest, fit, sample, evaluate, mix");
  }
  const KindSpec& spec = SpecFor(step.kind);
  SYNTHSCALE_ASSIGN_OR_RETURN(step.inputs, ParseInputs(parser, node["inputs"], step.name, spec));
  SYNTHSCALE_ASSIGN_OR_RETURN(step.params, ParseParams(parser, node["params"], step.name, spec));
  SYNTHSCALE_ASSIGN_OR_RETURN(step.outputs, ParseOutputs(parser, node["outputs"], step.name, spec));
  SortByName(step.inputs);
  SortByName(step.outputs);
  std::sort(step.params.begin(), step.params.end(), [](const StepParam& a, const StepParam& b) { return a.key < b.key; });
  return step;
}

Result<PipelineDefaults> ParseDefaults(const Parser& parser, const YAML::Node& node, SourceLocation* seed_at,
                                       SourceLocation* key_at) {
  PipelineDefaults defaults;
  if (!node) return defaults;
  SYNTHSCALE_RETURN_IF_ERROR(parser.CheckMapping(node, "defaults", {"threads", "seed", "noise-key-file"}));
  if (node["threads"]) {
    SYNTHSCALE_ASSIGN_OR_RETURN(defaults.threads, ParseCount(parser, node["threads"], "defaults: threads"));
  }
  if (node["seed"]) {
    *seed_at = parser.At(node["seed"]);
    SYNTHSCALE_ASSIGN_OR_RETURN(defaults.seed, ParseCount(parser, node["seed"], "defaults: seed"));
  }
  if (node["noise-key-file"]) {
    *key_at = parser.At(node["noise-key-file"]);
    SYNTHSCALE_ASSIGN_OR_RETURN(defaults.noise_key_file,
                                ParsePath(parser, node["noise-key-file"], "defaults: noise-key-file"));
  }
  return defaults;
}

// Defaults fill what a step leaves out, so the cache key sees the value actually used.
void ApplyDefaults(Pipeline& pipeline, const SourceLocation& seed_at, const SourceLocation& key_at) {
  for (Step& step : pipeline.steps) {
    const bool takes_seed =
        step.kind == StepKind::kFit || step.kind == StepKind::kSample || step.kind == StepKind::kEvaluate;
    if (takes_seed && pipeline.defaults.seed && !step.FindParam("seed")) {
      step.params.push_back({"seed", nlohmann::json(*pipeline.defaults.seed), seed_at});
    }
    const StepParam* method = step.FindParam("method");
    const bool is_private = step.kind == StepKind::kFit && method &&
                            (method->value == "mst" || method->value == "aim");
    if (is_private && !pipeline.defaults.noise_key_file.empty() && !step.FindInput("noise-key-file")) {
      step.inputs.push_back({"noise-key-file", pipeline.defaults.noise_key_file, "", "", key_at});
    }
    SortByName(step.inputs);
    std::sort(step.params.begin(), step.params.end(),
              [](const StepParam& a, const StepParam& b) { return a.key < b.key; });
  }
}

Result<Pipeline> ParseDocument(const Parser& parser, const YAML::Node& root, const std::string& directory) {
  Pipeline pipeline;
  pipeline.file = parser.file();
  pipeline.directory = directory;
  if (!root || root.IsNull()) {
    SourceLocation location;
    location.file = parser.file();
    return parser.ErrorAt(location, "the pipeline file is empty; it needs 'steps:' (see docs/pipelines.md)");
  }
  SYNTHSCALE_RETURN_IF_ERROR(parser.CheckMapping(root, "the pipeline file", {"version", "defaults", "steps"}));
  if (const YAML::Node version = root["version"]) {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::uint64_t value, ParseCount(parser, version, "version"));
    if (value != 1) {
      return parser.Error(version, "pipeline version " + std::to_string(value) +
                                       " is not supported by this synthscale; expected version: 1");
    }
  }
  SourceLocation seed_at;
  SourceLocation key_at;
  SYNTHSCALE_ASSIGN_OR_RETURN(pipeline.defaults, ParseDefaults(parser, root["defaults"], &seed_at, &key_at));
  const YAML::Node steps = root["steps"];
  if (!steps) {
    return parser.Error(root, "the pipeline has no 'steps:'; add a mapping of step names to steps");
  }
  if (!steps.IsMap() || steps.size() == 0) {
    return parser.Error(steps, "'steps' must be a non-empty mapping of step names to steps, e.g. "
                               "steps: {fit: {kind: fit, ...}}");
  }
  std::set<std::string> names;
  for (const auto& entry : steps) {
    SYNTHSCALE_ASSIGN_OR_RETURN(Step step, ParseStep(parser, entry.first, entry.second));
    if (!names.insert(step.name).second) {
      return parser.Error(entry.first, "step '" + step.name + "' is defined twice; rename one");
    }
    pipeline.steps.push_back(std::move(step));
  }
  ApplyDefaults(pipeline, seed_at, key_at);
  for (const Step& step : pipeline.steps) {
    SYNTHSCALE_RETURN_IF_ERROR(CheckStepRules(parser, step, SpecFor(step.kind)));
  }
  return pipeline;
}

}  // namespace

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kIngest: return "ingest";
    case StepKind::kFit: return "fit";
    case StepKind::kSample: return "sample";
    case StepKind::kEvaluate: return "evaluate";
    case StepKind::kMix: return "mix";
  }
  return "unknown";
}

const KindSpec& SpecFor(StepKind kind) {
  static const std::vector<KindSpec> specs = MakeSpecs();
  return specs[static_cast<std::size_t>(kind)];
}

const StepInput* Step::FindInput(std::string_view input_name) const {
  for (const StepInput& input : inputs) {
    if (input.name == input_name) return &input;
  }
  return nullptr;
}

const StepParam* Step::FindParam(std::string_view key) const {
  for (const StepParam& param : params) {
    if (param.key == key) return &param;
  }
  return nullptr;
}

const StepOutput* Step::FindOutput(std::string_view output_name) const {
  for (const StepOutput& output : outputs) {
    if (output.name == output_name) return &output;
  }
  return nullptr;
}

nlohmann::json Step::ParamsJson() const {
  nlohmann::json object = nlohmann::json::object();  // std::map: keys sorted
  for (const StepParam& param : params) object[param.key] = param.value;
  return object;
}

std::ptrdiff_t Pipeline::FindStep(std::string_view name) const {
  for (std::size_t idx = 0; idx < steps.size(); ++idx) {
    if (steps[idx].name == name) return static_cast<std::ptrdiff_t>(idx);
  }
  return -1;
}

std::string NormalizePath(std::string_view path) {
  if (path.empty()) return {};
  const bool absolute = path.front() == '/';
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string part(path.substr(start, slash - start));
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (part == ".." && absolute) {
      continue;  // "/.." is "/"
    } else {
      parts.push_back(part);
    }
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t idx = 0; idx < parts.size(); ++idx) {
    if (idx > 0) out += '/';
    out += parts[idx];
  }
  return out.empty() ? "." : out;
}

Result<Pipeline> ParsePipeline(std::string_view text, const std::string& file, const std::string& directory) {
  const Parser parser(file);
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return ParseDocument(parser, root, directory);
  } catch (const YAML::Exception& error) {
    // yaml-cpp reports syntax errors (and failed conversions) by exception; none may leave
    // the library, so each becomes a located error.
    SourceLocation location;
    location.file = file;
    if (error.mark.line >= 0) {
      location.line = error.mark.line + 1;
      location.column = error.mark.column + 1;
    }
    return Status(ErrorCode::kInvalidArgument,
                  "not valid YAML: " + error.msg + "; check indentation (spaces, not tabs) and quoting", location);
  }
}

Result<Pipeline> ReadPipelineFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return IOError("'" + path + "' is a folder; give the pipeline file (e.g. " + path + "/pipeline.yaml)", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot open pipeline file '" + path + "'; check the path", path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return IOError("error while reading pipeline file '" + path + "'", path);
  const std::size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  return ParsePipeline(text, path, directory);
}

}  // namespace synthscale
