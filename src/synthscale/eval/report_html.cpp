// report.html: one self-contained page rendered from report.json. Inline CSS and SVG
// only: no scripts, fonts or images are fetched, so it opens offline and from an archive.
// Each metric gets its plots when its details carry the documented plot keys
// (docs/metrics.md) and always a collapsible view of its full details.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "synthscale/eval/report.h"

namespace synthscale::eval {

namespace {

using nlohmann::json;

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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Four significant digits for people; coordinates with one decimal; opacities with three.
std::string Number(double value) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}
std::string Fixed(double value, int decimals) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, std::isfinite(value) ? value : 0.0);
  return buffer;
}

std::string Number(const json& value) {
  if (value.is_number_integer()) return value.dump();  // counts: all digits, not 3.256e+04
  return value.is_number() ? Number(value.get<double>()) : value.is_null() ? "n/a" : Escape(value.dump());
}

std::string Text(const json& value) { return value.is_string() ? Escape(value.get<std::string>()) : Number(value); }

double Get(const json& value) { return value.is_number() ? value.get<double>() : kNaN; }

// Horizontal bars: one row per label, bar length value / max.
std::string BarChart(const std::string& title, const std::vector<std::pair<std::string, double>>& bars,
                     double reference = kNaN) {
  if (bars.empty()) return "";
  double max = 0.0;
  for (const auto& bar : bars) max = std::max(max, std::isfinite(bar.second) ? bar.second : 0.0);
  if (std::isfinite(reference)) max = std::max(max, reference);
  if (max <= 0.0) max = 1.0;
  const int label_width = 220, bar_width = 360, row = 18;
  const int height = static_cast<int>(bars.size()) * row + 30;
  std::ostringstream svg;
  svg << "<figure><figcaption>" << Escape(title) << "</figcaption><svg class=\"plot bars\" role=\"img\" width=\""
      << label_width + bar_width + 80 << "\" height=\"" << height << "\" xmlns=\"http://www.w3.org/2000/svg\">";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const int y = static_cast<int>(i) * row + 4;
    const double value = bars[i].second;
    const double length = std::isfinite(value) ? value / max * bar_width : 0.0;
    svg << "<text x=\"" << label_width - 6 << "\" y=\"" << y + 12 << "\" text-anchor=\"end\">"
        << Escape(bars[i].first.substr(0, 40)) << "</text><rect x=\"" << label_width << "\" y=\"" << y
        << "\" width=\"" << Fixed(length, 1) << "\" height=\"" << row - 4 << "\"/><text x=\""
        << label_width + length + 4 << "\" y=\"" << y + 12 << "\">" << Number(value) << "</text>";
  }
  if (std::isfinite(reference)) {
    const double x = label_width + reference / max * bar_width;
    svg << "<line class=\"reference\" x1=\"" << Fixed(x, 1) << "\" x2=\"" << Fixed(x, 1)
        << "\" y1=\"0\" y2=\"" << height - 24 << "\"/>";
  }
  svg << "</svg></figure>";
  return svg.str();
}

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;
};

// Lines over x in [x0, x1] and y in [y0, y1]; `diagonal` draws y = x (ROC chance line).
std::string LineChart(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<Series>& series, bool diagonal = false) {
  if (series.empty()) return "";
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const Series& s : series) {
    for (const auto& [x, y] : s.points) {
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (!(x1 > x0)) x1 = x0 + 1.0;
  if (!(y1 > y0)) y1 = y0 + 1.0;
  const int width = 420, height = 260, left = 50, bottom = 36;
  const auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * (width - left - 10); };
  const auto py = [&](double y) { return 10 + (1.0 - (y - y0) / (y1 - y0)) * (height - bottom - 10); };
  std::ostringstream svg;
  svg << "<figure><figcaption>" << Escape(title) << "</figcaption><svg class=\"plot lines\" role=\"img\" width=\""
      << width + 160 << "\" height=\"" << height << "\" xmlns=\"http://www.w3.org/2000/svg\">";
  svg << "<line class=\"axis\" x1=\"" << left << "\" y1=\"" << py(y0) << "\" x2=\"" << px(x1) << "\" y2=\""
      << py(y0) << "\"/><line class=\"axis\" x1=\"" << left << "\" y1=\"" << py(y0) << "\" x2=\"" << left
      << "\" y2=\"" << py(y1) << "\"/>";
  svg << "<text x=\"" << left << "\" y=\"" << height - 6 << "\">" << Escape(x_label) << " (" << Number(x0) << " to "
      << Number(x1) << ")</text><text x=\"4\" y=\"12\">" << Escape(y_label) << " (" << Number(y0) << " to "
      << Number(y1) << ")</text>";
  if (diagonal) {
    svg << "<line class=\"reference\" x1=\"" << px(x0) << "\" y1=\"" << py(y0) << "\" x2=\"" << px(x1)
        << "\" y2=\"" << py(y1) << "\"/>";
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    svg << "<polyline class=\"series" << i % 4 << "\" points=\"";
    for (const auto& [x, y] : series[i].points) svg << Fixed(px(x), 1) << "," << Fixed(py(y), 1) << " ";
    svg << "\"/><text class=\"series" << i % 4 << "\" x=\"" << width + 4 << "\" y=\"" << 20 + 16 * i << "\">"
        << Escape(series[i].name) << "</text>";
  }
  svg << "</svg></figure>";
  return svg.str();
}

// Two histograms over the same bin edges, drawn as overlaid step lines.
std::string HistogramChart(const std::string& title, const json& histogram) {
  if (!histogram.is_object() || !histogram.contains("edges")) return "";
  const json& edges = histogram["edges"];
  std::vector<Series> series;
  for (const auto& [name, counts] : histogram.items()) {
    if (name == "edges" || !counts.is_array() || counts.size() + 1 != edges.size()) continue;
    double total = 0.0;
    for (const json& count : counts) total += Get(count);
    Series s{name, {}};
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const double share = total > 0.0 ? Get(counts[i]) / total : 0.0;
      s.points.emplace_back(Get(edges[i]), share);
      s.points.emplace_back(Get(edges[i + 1]), share);
    }
    series.push_back(std::move(s));
  }
  return LineChart(title, "distance", "share of rows", series);
}

// Pairwise values as a lower-triangle heatmap (darker = larger).
std::string Heatmap(const std::string& title, const json& pairs, const char* value_key) {
  std::vector<std::string> names;
  for (const json& pair : pairs) {
    for (const json& name : pair["columns"]) {
      const std::string text = name.get<std::string>();
      if (std::find(names.begin(), names.end(), text) == names.end()) names.push_back(text);
    }
  }
  if (names.empty()) return "";
  double largest = 0.0;
  for (const json& pair : pairs) {
    const double value = Get(pair[value_key]);
    if (std::isfinite(value)) largest = std::max(largest, value);
  }
  const int cell = std::max(8, std::min(28, 560 / static_cast<int>(names.size())));
  const int left = 150, top = 10;
  const int size = cell * static_cast<int>(names.size());
  std::ostringstream svg;
  svg << "<figure><figcaption>" << Escape(title) << "</figcaption><svg class=\"plot heatmap\" role=\"img\" width=\""
      << left + size + 20 << "\" height=\"" << top + size + 20 << "\" xmlns=\"http://www.w3.org/2000/svg\">";
  for (std::size_t i = 0; i < names.size(); ++i) {
    svg << "<text x=\"" << left - 4 << "\" y=\"" << top + static_cast<int>(i) * cell + cell * 0.7
        << "\" text-anchor=\"end\">" << Escape(names[i].substr(0, 22)) << "</text>";
  }
  const auto index = [&](const json& name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name.get<std::string>()) - names.begin());
  };
  for (const json& pair : pairs) {
    auto a = index(pair["columns"][0]), b = index(pair["columns"][1]);
    if (a < b) std::swap(a, b);
    // Opacity relative to the largest value, so small differences stay visible.
    const double value = largest > 0.0 ? std::clamp(Get(pair[value_key]) / largest, 0.0, 1.0) : 0.0;
    const int x = left + static_cast<int>(b) * cell, y = top + static_cast<int>(a) * cell;
    svg << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell - 1
        << "\" height=\"" << cell - 1 << "\" fill-opacity=\"" << Fixed(value, 3)
        << "\"><title>" << Escape(names[a]) << " / " << Escape(names[b]) << ": " << Number(pair[value_key])
        << "</title></rect>";
  }
  svg << "</svg><p class=\"note\">darkest = " << Number(largest) << "; hover a cell for its value</p></figure>";
  return svg.str();
}

// A table of the scalar fields of each object in `rows` (arrays and objects skipped).
std::string RowsTable(const json& rows, std::size_t limit = 50) {
  if (!rows.is_array() || rows.empty() || !rows[0].is_object()) return "";
  std::vector<std::string> keys;
  for (const auto& [key, value] : rows[0].items()) {
    if (!value.is_array() && !value.is_object()) keys.push_back(key);
    if (value.is_object() && value.contains("value")) keys.push_back(key);
    if (value.is_array() && key == "columns") keys.push_back(key);
  }
  std::ostringstream html;
  html << "<table><tr>";
  for (const std::string& key : keys) html << "<th>" << Escape(key) << "</th>";
  html << "</tr>";
  for (std::size_t i = 0; i < std::min(limit, rows.size()); ++i) {
    html << "<tr>";
    for (const std::string& key : keys) {
      const json& value = rows[i].contains(key) ? rows[i][key] : json();
      html << "<td>";
      if (value.is_object() && value.contains("value")) {
        html << Number(value["value"]);
        if (value.contains("ci") && !value["ci"][0].is_null()) {
          html << " <small>[" << Number(value["ci"][0]) << ", " << Number(value["ci"][1]) << "]</small>";
        }
      } else if (value.is_array()) {
        std::string joined;
        for (const json& part : value) joined += (joined.empty() ? "" : " × ") + part.get<std::string>();
        html << Escape(joined);
      } else {
        html << Text(value);
      }
      html << "</td>";
    }
    html << "</tr>";
  }
  html << "</table>";
  if (rows.size() > limit) html << "<p class=\"note\">" << rows.size() - limit << " more in report.json</p>";
  return html.str();
}

// Every scalar and {value, ci} of `details` (objects descended, long arrays skipped: those
// are the plots' data) as "path: value [interval]" rows, so any metric has its numbers on
// the page even without a dedicated plot.
void FlattenScalars(const json& node, const std::string& path, int depth, std::vector<std::pair<std::string, std::string>>& rows) {
  if (node.is_object() && node.contains("value") && node.contains("ci") && node["ci"].is_array()) {
    std::string text = Number(node["value"]);
    if (node["ci"].size() == 2 && !node["ci"][0].is_null()) {
      text += " <small>[" + Number(node["ci"][0]) + ", " + Number(node["ci"][1]) + "]</small>";
    }
    rows.emplace_back(path, text);
  } else if (node.is_object() && depth < 4) {
    for (const auto& [key, child] : node.items()) {
      FlattenScalars(child, path.empty() ? key : path + "." + key, depth + 1, rows);
    }
  } else if (node.is_array()) {
    if (node.size() > 16 || node.empty()) return;
    std::string text;
    for (const json& item : node) {
      if (item.is_object() || item.is_array()) return;
      text += (text.empty() ? "" : ", ") + Text(item);
    }
    rows.emplace_back(path, text);
  } else if (!node.is_object()) {
    rows.emplace_back(path, Text(node));
  }
}

std::string ScalarTable(const json& details) {
  std::vector<std::pair<std::string, std::string>> rows;
  FlattenScalars(details, "", 0, rows);
  if (rows.empty()) return "";
  std::ostringstream html;
  html << "<table class=\"scalars\">";
  for (const auto& [path, text] : rows) html << "<tr><td>" << Escape(path) << "</td><td>" << text << "</td></tr>";
  html << "</table>";
  return html.str();
}

std::vector<std::pair<std::string, double>> Bars(const json& rows, const std::string& label_key,
                                                 const std::string& value_key, std::size_t limit) {
  std::vector<std::pair<std::string, double>> bars;
  if (!rows.is_array()) return bars;
  for (const json& row : rows) {
    if (!row.is_object() || !row.contains(label_key) || !row.contains(value_key)) continue;
    std::string label;
    if (row[label_key].is_array()) {
      for (const json& part : row[label_key]) label += (label.empty() ? "" : " × ") + part.get<std::string>();
    } else {
      label = row[label_key].is_string() ? row[label_key].get<std::string>() : row[label_key].dump();
    }
    const json& value = row[value_key];
    const double number = value.is_object() ? Get(value["value"]) : Get(value);
    if (std::isfinite(number)) bars.emplace_back(label, number);  // n/a rows stay in the tables
  }
  std::stable_sort(bars.begin(), bars.end(), [](const auto& a, const auto& b) {
    return (std::isfinite(a.second) ? a.second : -1.0) > (std::isfinite(b.second) ? b.second : -1.0);
  });
  if (bars.size() > limit) bars.resize(limit);
  return bars;
}

// The plots each metric's documented details allow (docs/metrics.md).
std::string MetricPlots(const std::string& name, const json& details) {
  std::ostringstream html;
  if (name == "marginals") {
    html << BarChart("1-way TVD per column (largest first)", Bars(details.value("one_way", json()), "column", "tvd", 60));
    html << BarChart("2-way TVD, 20 largest pairs", Bars(details.value("two_way", json()), "columns", "tvd", 20));
  } else if (name == "column_shapes") {
    html << BarChart("Kolmogorov–Smirnov statistic per numeric column", Bars(details.value("columns", json()), "column", "ks", 60));
    html << RowsTable(details.value("columns", json()));
  } else if (name == "correlations" && details.contains("pairs")) {
    html << Heatmap("Absolute association difference, real vs synthetic (darker = larger)", details["pairs"],
                    "difference");
  } else if (name == "distance_to_closest_record" && details.contains("histograms")) {
    for (const auto& [which, histogram] : details["histograms"].items()) {
      html << HistogramChart("Distribution of " + which, histogram);
    }
  } else if (name == "membership_inference" && details.contains("attacks")) {
    std::vector<Series> curves;
    for (const json& attack : details["attacks"]) {
      Series s{attack.value("name", "attack"), {}};
      for (const json& point : attack.value("roc", json::array())) s.points.emplace_back(Get(point[0]), Get(point[1]));
      if (!s.points.empty()) curves.push_back(std::move(s));
    }
    html << LineChart("ROC of the membership-inference attacks (diagonal = guessing)", "false positive rate",
                      "true positive rate", curves, true);
    html << RowsTable(details["attacks"]);
  } else if (name == "utility") {
    if (details.contains("mix") && details["mix"].is_array() && !details["mix"].empty()) {
      Series curve{"holdout score", {}};
      for (const json& point : details["mix"]) curve.points.emplace_back(Get(point["ratio"]), Get(point["score"]));
      html << LineChart("Utility when real training data is augmented with synthetic rows", "synthetic / real rows",
                        "score", {curve});
    }
    if (details.contains("by_group")) {
      for (const auto& [column, groups] : details["by_group"].items()) {
        html << "<h4>Utility by group of " << Escape(column) << " (worst gap first)</h4>" << RowsTable(groups);
      }
    }
  } else if (name == "subgroups") {
    for (const auto& [column, audit] : details.items()) {
      html << BarChart("Representation ratio of each group of " + column + " (1 = as in the real data)",
                       Bars(audit.value("groups", json()), "group", "representation_ratio", 60), 1.0);
      html << RowsTable(audit.value("groups", json()));
    }
  }
  return html.str();
}

const char* kStyle = R"(
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccd;padding:.2em .5em;text-align:left;font-size:.9em}
th{background:#eef}small,.note{color:#666}figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}
svg text{font-size:11px;fill:#333}details>summary{cursor:pointer;color:#345}svg.bars rect{fill:#4a6fa5}svg.heatmap rect{fill:#b03a2e}
.reference{stroke:#999;stroke-dasharray:4 3}.axis{stroke:#333}
.lines polyline{fill:none;stroke-width:2}.series0{stroke:#4a6fa5;fill:#4a6fa5}.series1{stroke:#d9822b;fill:#d9822b}
.series2{stroke:#2e8b57;fill:#2e8b57}.series3{stroke:#8e44ad;fill:#8e44ad}text.series0,text.series1,text.series2,text.series3{stroke:none}
pre{background:#f6f6f9;padding:.5em;overflow:auto;max-height:30em;font-size:.8em}
)";

}  // namespace

std::string RenderReportHtml(const json& report) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>synthscale trust report</title><style>"
       << kStyle << "</style></head><body>\n";
  const json& inputs = report["inputs"];
  html << "<h1>Trust report</h1><p>" << Number(inputs["synthetic_rows"]) << " synthetic rows compared with "
       << Number(inputs["real_rows"]) << " real training rows";
  if (!inputs["holdout_rows"].is_null()) html << " and " << Number(inputs["holdout_rows"]) << " holdout rows";
  html << ", " << inputs["columns"].size() << " columns. Generated by "
       << Escape(report["generator"]["name"].get<std::string>()) << " "
       << Escape(report["generator"]["version"].get<std::string>()) << " ("
       << Escape(report["generator"]["commit"].get<std::string>()) << "), seed "
       << Escape(report["settings"]["seed"].get<std::string>()) << ".</p>\n";

  html << "<section id=\"summary\"><h2>Summary</h2><table><tr><th>measure</th><th>value</th><th>"
       << Fixed(report["settings"]["confidence"].get<double>() * 100.0, 0) << "% interval</th></tr>";
  for (const auto& [key, entry] : report["summary"].items()) {
    html << "<tr><td>" << Escape(key) << "</td><td>" << Number(entry["value"]) << "</td><td>";
    if (!entry["ci"][0].is_null()) html << Number(entry["ci"][0]) << " – " << Number(entry["ci"][1]);
    html << "</td></tr>";
  }
  html << "</table>";
  if (!report["skipped"].empty()) {
    html << "<p>Not computed:</p><ul>";
    for (const json& skipped : report["skipped"]) {
      html << "<li>" << Text(skipped["metric"]) << ": " << Text(skipped["reason"]) << "</li>";
    }
    html << "</ul>";
  }
  if (!report["sampling"].empty()) {
    html << "<p>Sampling applied (everything else is exact):</p><ul>";
    for (const json& note : report["sampling"]) html << "<li>" << Text(note["metric"]) << ": " << Text(note["note"]) << "</li>";
    html << "</ul>";
  }
  html << "</section>\n";

  static const std::pair<const char*, const char*> kSections[] = {
      {"fidelity", "Fidelity"}, {"detection", "Detection"}, {"utility", "Utility"},
      {"privacy", "Privacy risk"}, {"subgroups", "Subgroup audit"}};
  for (const auto& [id, title] : kSections) {
    if (!report["sections"].contains(id)) continue;
    html << "<section id=\"" << id << "\"><h2>" << title << "</h2>\n";
    // In the order the metrics ran (the registry's), not the JSON object's sorted keys.
    for (const json& ran : report["settings"]["metrics"]) {
      const std::string name = ran.get<std::string>();
      if (!report["sections"][id].contains(name)) continue;
      const json& metric = report["sections"][id][name];
      const std::string plots = MetricPlots(name, metric["details"]);
      // Numbers open when there is no plot to look at instead.
      html << "<article class=\"metric\" id=\"metric-" << Escape(name) << "\"><h3>" << Escape(name) << "</h3><p>"
           << Text(metric["description"]) << "</p>" << plots << "<details" << (plots.empty() ? " open" : "")
           << "><summary>Values</summary>" << ScalarTable(metric["details"]) << "</details>"
           << "<details><summary>Raw JSON</summary><pre>" << Escape(metric["details"].dump(1))
           << "</pre></details></article>\n";
    }
    html << "</section>\n";
  }
  html << "</body></html>\n";
  return html.str();
}

}  // namespace synthscale::eval
