// report.html for the text audit: one self-contained page rendered from report.json, in
// the style of the trust report (eval/report_html.cpp). Inline CSS and SVG only: no
// scripts, fonts or images are fetched, so it opens offline and from an archive. Long
// lists are cut to their first entries on the page; report.json has them all.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "synthscale/text/report.h"

namespace synthscale::text {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxRows = 50;

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Number(const json& value) {
  if (value.is_null()) return "n/a";
  if (value.is_number_integer()) return value.dump();
  if (!value.is_number()) return Escape(value.is_string() ? value.get<std::string>() : value.dump());
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value.get<double>());
  return buffer;
}

std::string Percent(double share) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.1f %%", 100.0 * share);
  return buffer;
}

// Horizontal bars with an optional target mark per bar.
std::string ShareChart(const std::string& title, const std::vector<std::tuple<std::string, double, double>>& bars) {
  if (bars.empty()) return "";
  double max = 0.0;
  for (const auto& [label, share, target] : bars) max = std::max({max, share, std::isfinite(target) ? target : 0.0});
  if (max <= 0.0) max = 1.0;
  const int label_width = 160;
  const int bar_width = 420;
  const int row = 18;
  const int height = static_cast<int>(bars.size()) * row + 8;
  std::ostringstream svg;
  svg << "<figure><figcaption>" << Escape(title) << "</figcaption><svg class=\"plot bars\" role=\"img\" width=\""
      << label_width + bar_width + 90 << "\" height=\"" << height << "\" xmlns=\"http://www.w3.org/2000/svg\">";
  for (std::size_t idx = 0; idx < bars.size(); ++idx) {
    const auto& [label, share, target] = bars[idx];
    const int y = static_cast<int>(idx) * row + 4;
    const double length = share / max * bar_width;
    char length_text[32];
    std::snprintf(length_text, sizeof(length_text), "%.1f", length);
    svg << "<text x=\"" << label_width - 6 << "\" y=\"" << y + 12 << "\" text-anchor=\"end\">" << Escape(label)
        << "</text><rect x=\"" << label_width << "\" y=\"" << y << "\" width=\"" << length_text << "\" height=\""
        << row - 4 << "\"/><text x=\"" << label_width + static_cast<int>(length) + 4 << "\" y=\"" << y + 12 << "\">"
        << Percent(share) << "</text>";
    if (std::isfinite(target)) {
      const int x = label_width + static_cast<int>(target / max * bar_width);
      svg << "<line class=\"reference\" x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << y - 1 << "\" y2=\"" << y + row - 3
          << "\"/>";
    }
  }
  svg << "</svg></figure>";
  return svg.str();
}

std::string IdList(const json& ids, std::size_t limit = 12) {
  std::string out;
  for (std::size_t idx = 0; idx < ids.size() && idx < limit; ++idx) {
    out += (idx == 0 ? "" : ", ") + std::string("<code>") + Escape(ids[idx].get<std::string>()) + "</code>";
  }
  if (ids.size() > limit) out += ", … (" + std::to_string(ids.size()) + " in all)";
  return out;
}

std::string Clusters(const std::string& title, const json& section) {
  std::ostringstream html;
  html << "<h3>" << title << "</h3><p>" << Number(section["cluster_count"]) << " clusters holding "
       << Number(section["documents_in_clusters"]) << " documents; keeping one per cluster removes "
       << Number(section["removable_documents"]) << ".</p>";
  const json& clusters = section["clusters"];
  if (clusters.empty()) return html.str();
  std::vector<std::size_t> order(clusters.size());
  for (std::size_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return clusters[a].size() > clusters[b].size(); });
  html << "<table><tr><th>documents</th><th>ids</th></tr>";
  for (std::size_t idx = 0; idx < order.size() && idx < kMaxRows; ++idx) {
    const json& cluster = clusters[order[idx]];
    html << "<tr><td>" << cluster.size() << "</td><td>" << IdList(cluster) << "</td></tr>";
  }
  html << "</table>";
  if (clusters.size() > kMaxRows) html << "<p class=\"note\">The " << kMaxRows << " largest of " << clusters.size() << " clusters; report.json lists all.</p>";
  return html.str();
}

const char* kStyle = R"(
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccd;padding:.2em .5em;text-align:left;font-size:.9em;vertical-align:top}
th{background:#eef}small,.note{color:#666}figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}
svg text{font-size:11px;fill:#333}svg.bars rect{fill:#4a6fa5}.reference{stroke:#b03a2e;stroke-width:2}
.flag{color:#b03a2e;font-weight:600}q{background:#f6f6f9;font-size:.85em}td code{white-space:nowrap}
pre{background:#f6f6f9;padding:.5em;overflow:auto;max-height:30em;font-size:.8em}
)";

std::string LanguagesHtml(const json& report) {
  std::ostringstream html;
  const json& languages = report["languages"];
  std::vector<std::pair<std::string, const json*>> rows;
  for (const auto& [code, entry] : languages.items()) rows.emplace_back(code, &entry);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return (*a.second)["documents"].template get<std::int64_t>() > (*b.second)["documents"].template get<std::int64_t>();
  });
  std::vector<std::tuple<std::string, double, double>> bars;
  for (const auto& [code, entry] : rows) {
    const double target = entry->contains("target_share") ? (*entry)["target_share"].get<double>() : std::numeric_limits<double>::quiet_NaN();
    bars.emplace_back(code + " " + (*entry)["name"].get<std::string>(), (*entry)["share"].get<double>(), target);
  }
  html << "<section id=\"languages\"><h2>Languages</h2><p>Identified by "
       << Escape(report["generator"]["language_identifier"].get<std::string>())
       << " per document; <code>und</code> = no language found, <code>mul</code> = no language covers half the text.";
  if (!report["language_targets"].is_null()) html << " Red marks: target shares.";
  html << "</p>" << ShareChart("Share of documents by language", bars);
  html << "<table><tr><th>language</th><th>documents</th><th>share</th><th>script</th><th>unreliable</th>";
  if (!report["language_targets"].is_null()) html << "<th>target</th><th>share / target</th>";
  html << "</tr>";
  for (const auto& [code, entry] : rows) {
    html << "<tr><td>" << Escape(code) << " (" << Escape((*entry)["name"].get<std::string>()) << ")</td><td>"
         << Number((*entry)["documents"]) << "</td><td>" << Percent((*entry)["share"].get<double>()) << "</td><td>"
         << Escape((*entry)["script"].get<std::string>()) << "</td><td>" << Number((*entry)["unreliable_documents"])
         << "</td>";
    if (!report["language_targets"].is_null()) {
      if (entry->contains("target_share")) {
        const bool under = (*entry)["under_represented"].get<bool>();
        html << "<td>" << Percent((*entry)["target_share"].get<double>()) << "</td><td" << (under ? " class=\"flag\"" : "")
             << ">" << Number((*entry)["representation_ratio"]) << (under ? " under-represented" : "") << "</td>";
      } else {
        html << "<td>—</td><td>not a target</td>";
      }
    }
    html << "</tr>";
  }
  html << "</table>";
  const json& targets = report["language_targets"];
  if (!targets.is_null() && !targets["missing"].empty()) {
    html << "<p class=\"flag\">Target languages with no document: ";
    for (std::size_t idx = 0; idx < targets["missing"].size(); ++idx) {
      html << (idx == 0 ? "" : ", ") << Escape(targets["missing"][idx].get<std::string>());
    }
    html << "</p>";
  }
  html << "</section>\n";
  return html.str();
}

std::string QualityHtml(const json& report) {
  std::ostringstream html;
  html << "<section id=\"quality\"><h2>Quality signals by language</h2><p>Mean length in characters (Unicode code "
          "points) and words; shares of characters by class; repetition after Gopher (Rae et al. 2021): characters in "
          "the most frequent word 2-gram, characters in repeated word 5-grams, and documents whose repeated 5-grams "
          "exceed 15 % of their word characters.</p><table><tr><th>language</th><th>documents</th><th>mean chars</th>"
          "<th>mean words</th><th>letters</th><th>digits</th><th>punctuation</th><th>symbols</th><th>other</th>"
          "<th>top 2-gram</th><th>repeated 5-grams</th><th>repetitive docs</th></tr>";
  for (const auto& [code, entry] : report["quality"].items()) {
    const json& classes = entry["character_classes"];
    html << "<tr><td>" << Escape(code) << "</td><td>" << Number(entry["documents"]) << "</td><td>"
         << Number(entry["mean_chars"]) << "</td><td>" << Number(entry["mean_words"]) << "</td><td>"
         << Percent(classes["letters"].get<double>()) << "</td><td>" << Percent(classes["digits"].get<double>())
         << "</td><td>" << Percent(classes["punctuation"].get<double>()) << "</td><td>"
         << Percent(classes["symbols"].get<double>()) << "</td><td>" << Percent(classes["other"].get<double>())
         << "</td><td>" << Percent(entry["top_bigram_char_share"].get<double>()) << "</td><td>"
         << Percent(entry["duplicate_5gram_char_share"].get<double>()) << "</td><td>"
         << Number(entry["repetitive_documents"]) << "</td></tr>";
  }
  html << "</table></section>\n";
  return html.str();
}

std::string DuplicatesHtml(const json& report) {
  const json& near = report["near_duplicates"];
  std::ostringstream html;
  html << "<section id=\"duplicates\"><h2>Duplicates</h2>" << Clusters("Exact duplicates (identical text)", report["exact_duplicates"])
       << Clusters("Near duplicates (Jaccard of " + near["shingle_words"].dump() + "-word shingles ≥ " +
                       Number(near["jaccard_threshold"]) + ")",
                   near)
       << "<p class=\"note\">MinHash LSH with " << Number(near["bands"]) << " bands × " << Number(near["rows"])
       << " rows; every candidate pair is verified by exact Jaccard. " << Number(near["candidate_pairs"])
       << " candidate pairs, " << Number(near["verified_pairs"])
       << " verified. Probability that a pair becomes a candidate, by Jaccard similarity: ";
  bool first = true;
  for (const json& point : near["recall_curve"]) {
    if (!first) html << ", ";
    first = false;
    html << Number(point["jaccard"]) << " → " << Number(point["candidate_probability"]);
  }
  html << ".</p></section>\n";
  return html.str();
}

std::string MemorisationHtml(const json& report) {
  const json& section = report["memorisation"];
  std::ostringstream html;
  html << "<section id=\"memorisation\"><h2>Memorisation of the private source</h2>";
  if (section.is_null()) {
    html << "<p>Not checked: no <code>--source</code> given.</p></section>\n";
    return html.str();
  }
  html << "<p>" << Number(section["document_count"]) << " synthetic documents share a span of at least "
       << Number(section["min_span_chars"]) << " characters with the " << Number(section["source"]["documents"])
       << " source documents (exact, by suffix array). The spans below are private text.</p>";
  if (!section["documents"].empty()) {
    // Longest spans first on the page (report.json keeps corpus order).
    std::vector<const json*> documents;
    for (const json& doc : section["documents"]) documents.push_back(&doc);
    std::stable_sort(documents.begin(), documents.end(), [](const json* a, const json* b) {
      return (*a)["longest_span_chars"].get<std::uint64_t>() > (*b)["longest_span_chars"].get<std::uint64_t>();
    });
    html << "<table><tr><th>document</th><th>source</th><th>longest span</th><th>memorised share</th><th>longest span "
            "text</th></tr>";
    for (std::size_t idx = 0; idx < documents.size() && idx < kMaxRows; ++idx) {
      const json& doc = *documents[idx];
      html << "<tr><td><code>" << Escape(doc["id"].get<std::string>()) << "</code></td><td><code>"
           << Escape(doc["source_id"].get<std::string>()) << "</code></td><td>" << Number(doc["longest_span_chars"])
           << "</td><td>" << Percent(doc["memorised_share"].get<double>()) << "</td><td><q>"
           << Escape(doc["examples"][0]["text"].get<std::string>()) << "</q></td></tr>";
    }
    html << "</table>";
    if (documents.size() > kMaxRows) {
      html << "<p class=\"note\">The " << kMaxRows << " longest of " << documents.size()
           << " documents; report.json lists all, with up to three spans each.</p>";
    }
  }
  html << "</section>\n";
  return html.str();
}

std::string ContaminationHtml(const json& report) {
  const json& section = report["contamination"];
  std::ostringstream html;
  html << "<section id=\"contamination\"><h2>Benchmark contamination</h2>";
  if (section.is_null()) {
    html << "<p>Not checked: no <code>--benchmark</code> given.</p></section>\n";
    return html.str();
  }
  html << "<p>A document contains an item when it holds at least " << Percent(section["overlap_threshold"].get<double>())
       << " of the item's " << Number(section["ngram_words"]) << "-word n-grams (normalised).</p>"
       << "<table><tr><th>benchmark</th><th>items</th><th>too short</th><th>contaminated</th></tr>";
  for (const json& benchmark : section["benchmarks"]) {
    html << "<tr><td>" << Escape(benchmark["name"].get<std::string>()) << "</td><td>" << Number(benchmark["items"])
         << "</td><td>" << Number(benchmark["too_short"]) << "</td><td>" << Number(benchmark["contaminated_items"])
         << "</td></tr>";
  }
  html << "</table>";
  if (!section["items"].empty()) {
    html << "<table><tr><th>benchmark</th><th>item</th><th>max overlap</th><th>documents</th></tr>";
    std::size_t shown = 0;
    for (const json& item : section["items"]) {
      if (++shown > kMaxRows) break;
      html << "<tr><td>" << Escape(item["benchmark"].get<std::string>()) << "</td><td><code>"
           << Escape(item["benchmark_id"].get<std::string>()) << "</code></td><td>"
           << Percent(item["max_overlap"].get<double>()) << "</td><td>" << IdList(item["documents"]) << "</td></tr>";
    }
    html << "</table>";
  }
  html << "</section>\n";
  return html.str();
}

}  // namespace

std::string RenderTextReportHtml(const json& report) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>synthscale text audit</title><style>"
       << kStyle << "</style></head><body>\n";
  const json& summary = report["summary"];
  const json& synthetic = report["inputs"]["synthetic"];
  html << "<h1>Text audit</h1><p>" << Number(synthetic["documents"]) << " documents ("
       << Number(synthetic["characters"]) << " characters) in <code>" << Escape(synthetic["file"].get<std::string>())
       << "</code>. Generated by " << Escape(report["generator"]["name"].get<std::string>()) << " "
       << Escape(report["generator"]["version"].get<std::string>()) << " ("
       << Escape(report["generator"]["commit"].get<std::string>()) << ").</p>\n";
  html << "<section id=\"summary\"><h2>Summary</h2><table>";
  for (const auto& [key, value] : summary.items()) {
    html << "<tr><td>" << Escape(key) << "</td><td>";
    if (value.is_array()) {
      std::string list;
      for (const json& entry : value) list += (list.empty() ? "" : ", ") + Escape(entry.get<std::string>());
      html << (list.empty() ? "none" : list);
    } else {
      html << (value.is_null() ? "not checked" : Number(value));
    }
    html << "</td></tr>";
  }
  html << "</table></section>\n";
  html << LanguagesHtml(report) << QualityHtml(report) << DuplicatesHtml(report) << MemorisationHtml(report)
       << ContaminationHtml(report);
  html << "<section id=\"settings\"><h2>Settings</h2><pre>" << Escape(report["settings"].dump(1)) << "</pre></section>\n";
  html << "</body></html>\n";
  return html.str();
}

}  // namespace synthscale::text
