// BuildDataCard: the Markdown data card, rendered from a manifest so that both say the same.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "synthscale/provenance/manifest.h"
#include "synthscale/provenance/manifest_internal.h"

namespace synthscale {
namespace {

using Json = nlohmann::ordered_json;

// A value as text: strings bare, the first of a list, anything else as JSON.
std::string Text(const Json& object, const char* key, const std::string& fallback = "") {
  if (!object.is_object() || !object.contains(key)) return fallback;
  const Json& value = object[key];
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array() && !value.empty()) {
    return value.front().is_string() ? value.front().get<std::string>() : value.front().dump();
  }
  if (value.is_object() && value.contains("name")) return Text(value, "name", fallback);
  return value.dump();
}

// A table cell: no line breaks, pipes escaped.
std::string Cell(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Code(const std::string& text) { return "`" + Cell(text) + "`"; }

std::string ShellQuote(const std::string& word) {
  static constexpr const char* kSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%";
  if (!word.empty() && word.find_first_not_of(kSafe) == std::string::npos) return word;
  std::string quoted = "'";
  for (const char c : word) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void AppendFiles(const Json& manifest, std::string& card) {
  card += "\n## Files\n\n| file | format | size | SHA-256 |\n|---|---|---:|---|\n";
  for (const Json& file : manifest.value("distribution", Json::array())) {
    card += "| " + Code(Text(file, "contentUrl")) + " | " + Cell(Text(file, "encodingFormat")) + " | " +
            Cell(Text(file, "contentSize")) + " | " + Code(Text(file, "sha256")) + " |\n";
  }
}

void AppendProvenance(const Json& manifest, std::string& card) {
  const Json activity = manifest.value("prov:wasGeneratedBy", Json::object());
  const Json agent = activity.value("prov:wasAssociatedWith", Json::object());
  card += "\n## How it was made\n\n";
  card += "- Tool: synthscale " + Text(agent, "softwareVersion", "?") + " (commit " +
          Code(Text(agent, "ss:gitCommit", "?")) + "), method " + Code(Text(activity, "ss:method", "?")) + "\n";
  card += "- Run: " + Text(activity, "prov:startedAtTime", "?") + " to " + Text(activity, "prov:endedAtTime", "?") +
          " on host " + Code(Text(activity, "ss:host", "?")) + ", " + Text(activity, "ss:threads", "?") +
          " threads, " + Text(activity, "ss:ranks", "1") + " rank(s)\n";
  if (activity.contains("ss:seed")) card += "- Seed: " + Code(Text(activity, "ss:seed")) + "\n";
  if (activity.contains("ss:noiseKeySha256")) {
    card += "- Noise key commitment (SHA-256 of the key, never the key): " +
            Code(Text(activity, "ss:noiseKeySha256")) + "\n";
  }
  if (activity.contains("ss:outputRows")) card += "- Rows generated: " + Text(activity, "ss:outputRows") + "\n";
  if (activity.contains("ss:inputRows")) card += "- Input rows: " + Text(activity, "ss:inputRows") + "\n";
  std::string command;
  for (const Json& word : activity.value("commandLine", Json::array())) {
    if (!word.is_string()) continue;
    command += (command.empty() ? "" : " ") + ShellQuote(word.get<std::string>());
  }
  if (!command.empty()) card += "\nCommand line:\n\n```\n" + command + "\n```\n";
  if (activity.contains("configuration")) {
    card += "\nConfiguration:\n\n```json\n" + activity["configuration"].dump(2) + "\n```\n";
  }
  const Json inputs = manifest.value("prov:wasDerivedFrom", Json::array());
  if (inputs.empty()) return;
  card += "\nDerived from:\n\n| input | SHA-256 |\n|---|---|\n";
  for (const Json& input : inputs) {
    const std::string hash = input.contains("sha256") ? Code(Text(input, "sha256"))
                                                      : std::string("withheld (not covered by differential privacy)");
    card += "| " + Code(Text(input, "name")) + " | " + hash + " |\n";
  }
}

void AppendPrivacy(const Json& manifest, std::string& card) {
  card += "\n## Privacy\n\n";
  if (!manifest.value("ss:differentiallyPrivate", false)) {
    card += "**Not differentially private.** The method gives no formal privacy guarantee: the data may reveal "
            "records of its input. Share it only as you would share the input.\n";
    return;
  }
  const Json privacy = manifest.value("ss:privacy", Json::object());
  card += "Differentially private (zCDP accounting, privacy unit: one row, " +
          Code(Text(privacy, "ss:neighbouring", "?")) + ").\n\n";
  card += "| budget | value |\n|---|---|\n";
  for (const char* key : {"ss:epsilon", "ss:delta", "ss:rhoBudget", "ss:rhoSpent"}) {
    if (privacy.contains(key)) card += "| " + std::string(key + 3) + " | " + privacy[key].dump() + " |\n";
  }
  card += "\n| mechanism | charges | rho |\n|---|---:|---:|\n";
  for (const Json& mechanism : privacy.value("ss:perMechanism", Json::array())) {
    card += "| " + Cell(Text(mechanism, "ss:mechanism")) + " | " + Text(mechanism, "ss:charges") + " | " +
            Text(mechanism, "ss:rho") + " |\n";
  }
  if (privacy.value("ss:dataDependentDomain", false)) {
    card += "\n**Warning:** the schema's domain was read from the private data: the guarantee does not cover it.\n";
  }
  if (!manifest.value("ss:inputHashesIncluded", false)) {
    card += "\nThe input's hash, size and row count are withheld: differential privacy does not cover them.\n";
  } else {
    card += "\n**For the data steward:** this manifest records the input's hash (and row count), which differential "
            "privacy does not cover. Do not publish it with the release.\n";
  }
}

}  // namespace

Result<std::string> BuildDataCard(std::string_view manifest_json) {
  const Json manifest = Json::parse(manifest_json, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("distribution") ||
      !manifest["distribution"].is_array()) {
    return InvalidData("not a synthscale manifest: expected a JSON object with a 'distribution' list");
  }
  std::string card = "# " + Text(manifest, "name", "Synthetic data") + "\n\n" + Text(manifest, "description") + "\n\n";
  card += "| | |\n|---|---|\n";
  card += "| License | " + Cell(Text(manifest, "license", "unspecified")) + " |\n";
  card += "| Creator | " + Cell(Text(manifest, "creator", "unspecified")) + " |\n";
  card += "| Published | " + Cell(Text(manifest, "datePublished", "?")) + " |\n";
  card += "| Data collection | " + Cell(Text(manifest, "rai:dataCollection")) + " |\n";
  card += "| Personal or sensitive information | " + Cell(Text(manifest, "rai:personalSensitiveInformation")) + " |\n";
  card += "| Limitations | " + Cell(Text(manifest, "rai:dataLimitations")) + " |\n";
  AppendFiles(manifest, card);
  AppendProvenance(manifest, card);
  AppendPrivacy(manifest, card);
  if (manifest.contains("evaluation")) {
    card += "\n## Evaluation\n\n```json\n" + manifest["evaluation"].dump(2) + "\n```\n";
  }
  const Json& files = manifest["distribution"];
  const std::string first = files.empty() ? std::string("<file>") : Text(files.front(), "contentUrl", "<file>");
  card += "\n## Verify\n\nThe manifest (Croissant 1.1 JSON-LD) beside this card records every file's SHA-256:\n\n"
          "```\nsynthscale verify " + ShellQuote(ManifestPathFor(first)) + "\n```\n";
  return card;
}

}  // namespace synthscale
