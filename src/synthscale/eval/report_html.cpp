// report.html: one self-contained page rendered from report.json. Inline CSS and SVG
// only: no scripts, fonts or images are fetched, so it opens offline and from an archive.
//
// The page reads top-down the way a data steward would: the verdict per section in plain
// words, then each section's plots. Every plot is a <figure> with axes, tick values and a
// legend, an aria-label saying what it shows, and the same numbers as a table under
// "Data table" (the text alternative). Details are rendered as nested tables with the
// JSON's keys in words, and the raw JSON is one click away.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "synthscale/eval/report.h"
#include "synthscale/eval/verdict.h"

namespace synthscale::eval {

namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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

// Four significant digits for people; coordinates with one decimal.
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
std::string Px(double value) { return Fixed(value, 1); }

std::string Number(const json& value) {
  if (value.is_number_integer()) return value.dump();  // counts: all digits, not 3.256e+04
  return value.is_number() ? Number(value.get<double>()) : value.is_null() ? "n/a" : Escape(value.dump());
}

std::string Text(const json& value) { return value.is_string() ? Escape(value.get<std::string>()) : Number(value); }

double Get(const json& value) { return value.is_number() ? value.get<double>() : kNaN; }

// "tstr_over_trtr" -> "tstr over trtr": keys read as words.
std::string Words(std::string key) {
  for (char& c : key) {
    if (c == '_') c = ' ';
  }
  return key;
}

// Round tick values covering [low, high]: about `count` of them at 1, 2 or 5 × 10^k.
std::vector<double> Ticks(double low, double high, int count = 5) {
  if (!(high > low)) return {low};
  const double raw = (high - low) / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (raw <= step) break;
  }
  std::vector<double> ticks;
  for (double tick = std::ceil(low / step - 1e-9) * step; tick <= high + step * 1e-9; tick += step) {
    ticks.push_back(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  return ticks;
}

// A figure: caption, the SVG (role img, aria-label), and its data table as the text
// alternative. Every plot of the page goes through here.
std::string Figure(const std::string& caption, const std::string& aria_label, const std::string& svg_body,
                   int width, int height, const std::string& svg_class, const std::string& table_html) {
  std::ostringstream html;
  html << "<figure><figcaption>" << Escape(caption) << "</figcaption><svg class=\"plot " << svg_class
       << "\" role=\"img\" aria-label=\"" << Escape(aria_label) << "\" width=\"" << width << "\" height=\"" << height
       << "\" viewBox=\"0 0 " << width << " " << height << "\" xmlns=\"http://www.w3.org/2000/svg\">" << svg_body
       << "</svg><details class=\"alt\"><summary>Data table</summary>" << table_html << "</details></figure>";
  return html.str();
}

// A plain table from a header and rows of already-escaped cells.
std::string Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  std::size_t limit = 200) {
  std::ostringstream html;
  html << "<table><tr>";
  for (const std::string& cell : header) html << "<th>" << cell << "</th>";
  html << "</tr>";
  for (std::size_t i = 0; i < std::min(limit, rows.size()); ++i) {
    html << "<tr>";
    for (const std::string& cell : rows[i]) html << "<td>" << cell << "</td>";
    html << "</tr>";
  }
  html << "</table>";
  if (rows.size() > limit) html << "<p class=\"note\">" << rows.size() - limit << " more rows in report.json</p>";
  return html.str();
}

// Axes with tick marks and values: x in [x0, x1] to [left, right], y in [y0, y1] to
// [bottom, top] (SVG coordinates).
struct Frame {
  double x0, x1, y0, y1;
  double left, right, top, bottom;
  double X(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double Y(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }

  std::string Axes(const std::string& x_label, const std::string& y_label, bool x_ticks = true) const {
    std::ostringstream svg;
    svg << "<line class=\"axis\" x1=\"" << Px(left) << "\" y1=\"" << Px(bottom) << "\" x2=\"" << Px(right)
        << "\" y2=\"" << Px(bottom) << "\"/><line class=\"axis\" x1=\"" << Px(left) << "\" y1=\"" << Px(bottom)
        << "\" x2=\"" << Px(left) << "\" y2=\"" << Px(top) << "\"/>";
    if (x_ticks) {
      for (double tick : Ticks(x0, x1)) {
        svg << "<line class=\"tick\" x1=\"" << Px(X(tick)) << "\" y1=\"" << Px(bottom) << "\" x2=\"" << Px(X(tick))
            << "\" y2=\"" << Px(bottom + 4) << "\"/><text class=\"ticklabel\" x=\"" << Px(X(tick)) << "\" y=\""
            << Px(bottom + 15) << "\" text-anchor=\"middle\">" << Number(tick) << "</text>";
      }
    }
    for (double tick : Ticks(y0, y1)) {
      svg << "<line class=\"grid\" x1=\"" << Px(left) << "\" y1=\"" << Px(Y(tick)) << "\" x2=\"" << Px(right)
          << "\" y2=\"" << Px(Y(tick)) << "\"/><text class=\"ticklabel\" x=\"" << Px(left - 5) << "\" y=\""
          << Px(Y(tick) + 4) << "\" text-anchor=\"end\">" << Number(tick) << "</text>";
    }
    svg << "<text class=\"axislabel\" x=\"" << Px((left + right) / 2) << "\" y=\"" << Px(bottom + 32)
        << "\" text-anchor=\"middle\">" << Escape(x_label) << "</text><text class=\"axislabel\" transform=\"translate("
        << Px(left - 40) << "," << Px((top + bottom) / 2) << ") rotate(-90)\" text-anchor=\"middle\">"
        << Escape(y_label) << "</text>";
    return svg.str();
  }
};

struct Bar {
  std::string label;
  double value;
  std::string note;  // shown after the value (e.g. an interval), already escaped
};

// Horizontal bars with a value axis, an optional reference line and a shaded "fine" band.
std::string BarChart(const std::string& caption, const std::string& value_label, const std::vector<Bar>& bars,
                     double reference = kNaN, double band_low = kNaN, double band_high = kNaN) {
  if (bars.empty()) return "";
  double max = 0.0;
  for (const Bar& bar : bars) max = std::max(max, std::isfinite(bar.value) ? bar.value : 0.0);
  if (std::isfinite(reference)) max = std::max(max, reference * 1.1);
  if (std::isfinite(band_high)) max = std::max(max, band_high * 1.05);
  if (max <= 0.0) max = 1.0;
  const int row = 18;
  const int width = 800;
  const int height = static_cast<int>(bars.size()) * row + 50;
  const Frame frame{0.0, max, 0.0, 1.0, 290.0, 720.0, 6.0, static_cast<double>(height - 40)};
  std::ostringstream svg;
  if (std::isfinite(band_low) && std::isfinite(band_high)) {
    svg << "<rect class=\"band\" x=\"" << Px(frame.X(band_low)) << "\" y=\"" << Px(frame.top) << "\" width=\""
        << Px(frame.X(std::min(band_high, max)) - frame.X(band_low)) << "\" height=\"" << Px(frame.bottom - frame.top)
        << "\"/>";
  }
  for (double tick : Ticks(0.0, max)) {
    svg << "<line class=\"grid\" x1=\"" << Px(frame.X(tick)) << "\" y1=\"" << Px(frame.top) << "\" x2=\""
        << Px(frame.X(tick)) << "\" y2=\"" << Px(frame.bottom) << "\"/><text class=\"ticklabel\" x=\""
        << Px(frame.X(tick)) << "\" y=\"" << Px(frame.bottom + 14) << "\" text-anchor=\"middle\">" << Number(tick)
        << "</text>";
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = frame.top + static_cast<double>(i) * row + 2;
    const double value = bars[i].value;
    const double length = std::isfinite(value) ? frame.X(std::min(value, max)) - frame.left : 0.0;
    svg << "<text x=\"" << Px(frame.left - 6) << "\" y=\"" << Px(y + 11) << "\" text-anchor=\"end\">"
        << Escape(bars[i].label.substr(0, 48)) << "</text><rect class=\"bar\" x=\"" << Px(frame.left) << "\" y=\""
        << Px(y) << "\" width=\"" << Px(std::max(length, 1.0)) << "\" height=\"" << row - 4 << "\"/><text x=\""
        << Px(frame.left + length + 4) << "\" y=\"" << Px(y + 11) << "\">" << Number(value) << "</text>";
  }
  if (std::isfinite(reference)) {
    svg << "<line class=\"reference\" x1=\"" << Px(frame.X(reference)) << "\" x2=\"" << Px(frame.X(reference))
        << "\" y1=\"" << Px(frame.top) << "\" y2=\"" << Px(frame.bottom) << "\"/>";
  }
  svg << "<line class=\"axis\" x1=\"" << Px(frame.left) << "\" y1=\"" << Px(frame.bottom) << "\" x2=\""
      << Px(frame.right) << "\" y2=\"" << Px(frame.bottom) << "\"/><text class=\"axislabel\" x=\""
      << Px((frame.left + frame.right) / 2) << "\" y=\"" << Px(frame.bottom + 32) << "\" text-anchor=\"middle\">"
      << Escape(value_label) << "</text>";
  std::vector<std::vector<std::string>> rows;
  for (const Bar& bar : bars) rows.push_back({Escape(bar.label), Number(bar.value) + " " + bar.note});
  return Figure(caption, caption + ": " + std::to_string(bars.size()) + " bars, largest " + Number(max), svg.str(),
                width, height, "bars", Table({"item", Escape(value_label)}, rows));
}

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;
};

// Lines with both axes ticked and a legend; `diagonal` draws y = x (a ROC's guessing line).
std::string LineChart(const std::string& caption, const std::string& x_label, const std::string& y_label,
                      const std::vector<Series>& series, bool diagonal = false, double x_min = kNaN,
                      double x_max = kNaN, double y_min = kNaN, double y_max = kNaN) {
  if (series.empty()) return "";
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const Series& s : series) {
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (std::isfinite(x_min)) x0 = x_min;
  if (std::isfinite(x_max)) x1 = x_max;
  if (std::isfinite(y_min)) y0 = y_min;
  if (std::isfinite(y_max)) y1 = y_max;
  if (!std::isfinite(x0) || !std::isfinite(y0)) return "";
  if (!(x1 > x0)) x1 = x0 + 1.0;
  if (!(y1 > y0)) y1 = y0 + 1.0;
  const int width = 700, height = 300;
  const Frame frame{x0, x1, y0, y1, 60.0, 420.0, 10.0, 250.0};
  std::ostringstream svg;
  svg << frame.Axes(x_label, y_label);
  if (diagonal) {
    svg << "<line class=\"reference\" x1=\"" << Px(frame.X(x0)) << "\" y1=\"" << Px(frame.Y(y0)) << "\" x2=\""
        << Px(frame.X(x1)) << "\" y2=\"" << Px(frame.Y(y1)) << "\"/><text class=\"note\" x=\""
        << Px(frame.X(x0 + 0.55 * (x1 - x0))) << "\" y=\"" << Px(frame.Y(y0 + 0.45 * (y1 - y0)))
        << "\">guessing</text>";
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < series.size(); ++i) {
    svg << "<polyline class=\"series" << i % 4 << "\" points=\"";
    for (const auto& [x, y] : series[i].points) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      svg << Px(frame.X(std::clamp(x, x0, x1))) << "," << Px(frame.Y(std::clamp(y, y0, y1))) << " ";
      rows.push_back({Escape(series[i].name), Number(x), Number(y)});
    }
    svg << "\"/><rect class=\"series" << i % 4 << "\" x=\"440\" y=\"" << 14 + 18 * i
        << "\" width=\"12\" height=\"4\"/><text x=\"458\" y=\"" << 20 + 18 * i << "\">" << Escape(series[i].name)
        << "</text>";
  }
  std::string names;
  for (const Series& s : series) names += (names.empty() ? "" : ", ") + s.name;
  return Figure(caption, caption + ": " + y_label + " against " + x_label + " for " + names, svg.str(), width, height,
                "lines", Table({"series", Escape(x_label), Escape(y_label)}, rows, 400));
}

// Two histograms over the same bin edges, drawn as overlaid step lines.
std::string HistogramChart(const std::string& caption, const std::string& x_label, const json& histogram) {
  if (!histogram.is_object() || !histogram.contains("edges")) return "";
  const json& edges = histogram["edges"];
  std::vector<Series> series;
  for (const auto& [name, counts] : histogram.items()) {
    if (name == "edges" || !counts.is_array() || counts.size() + 1 != edges.size()) continue;
    double total = 0.0;
    for (const json& count : counts) total += Get(count);
    Series s{Words(name), {}};
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const double share = total > 0.0 ? Get(counts[i]) / total : 0.0;
      s.points.emplace_back(Get(edges[i]), share);
      s.points.emplace_back(Get(edges[i + 1]), share);
    }
    series.push_back(std::move(s));
  }
  return LineChart(caption, x_label, "share of rows", series, false, kNaN, kNaN, 0.0);
}

// One column, real against synthetic: grouped horizontal bars of shares for categories,
// overlaid histograms over shared bins for numbers (column_distribution.h).
std::string DistributionChart(const std::string& column, const json& distribution) {
  if (!distribution.is_object()) return "";
  const json& real = distribution.value("real", json::array());
  const json& synthetic = distribution.value("synthetic", json::array());
  double real_total = 0.0, synthetic_total = 0.0;
  for (const json& count : real) real_total += Get(count);
  for (const json& count : synthetic) synthetic_total += Get(count);
  const bool numeric = distribution.value("kind", "") == "numeric";
  if (numeric) {
    real_total += Get(distribution.value("real_missing", json(0)));
    synthetic_total += Get(distribution.value("synthetic_missing", json(0))) +
                       Get(distribution.value("synthetic_below", json(0))) +
                       Get(distribution.value("synthetic_above", json(0)));
  }
  if (real.empty() || real_total <= 0.0 || synthetic_total <= 0.0) return "";
  const auto share = [](const json& count, double total) { return Get(count) / total; };
  std::vector<std::vector<std::string>> rows;
  std::ostringstream svg;
  const int width = 430;
  int height = 0;
  if (numeric) {
    const json& edges = distribution["edges"];
    double top = 0.0;
    for (std::size_t i = 0; i < real.size(); ++i) {
      top = std::max({top, share(real[i], real_total), share(synthetic[i], synthetic_total)});
    }
    height = 200;
    const Frame frame{Get(edges.front()), Get(edges.back()), 0.0, top > 0.0 ? top * 1.1 : 1.0, 55.0, 420.0, 8.0, 150.0};
    svg << frame.Axes(column, "share of rows");
    for (std::size_t i = 0; i < real.size(); ++i) {
      const double x = frame.X(Get(edges[i]));
      const double w = frame.X(Get(edges[i + 1])) - x;
      const double r = share(real[i], real_total);
      const double s = share(synthetic[i], synthetic_total);
      svg << "<rect class=\"real\" x=\"" << Px(x) << "\" y=\"" << Px(frame.Y(r)) << "\" width=\"" << Px(w / 2)
          << "\" height=\"" << Px(frame.bottom - frame.Y(r)) << "\"/><rect class=\"synthetic\" x=\"" << Px(x + w / 2)
          << "\" y=\"" << Px(frame.Y(s)) << "\" width=\"" << Px(w / 2) << "\" height=\""
          << Px(frame.bottom - frame.Y(s)) << "\"/>";
      rows.push_back({"[" + Number(edges[i]) + ", " + Number(edges[i + 1]) + (i + 1 == real.size() ? "]" : ")"),
                      Number(r), Number(s)});
    }
    rows.push_back({"(missing)", Number(share(distribution.value("real_missing", json(0)), real_total)),
                    Number(share(distribution.value("synthetic_missing", json(0)), synthetic_total))});
    rows.push_back({"(synthetic outside the real range)", "0",
                    Number((Get(distribution.value("synthetic_below", json(0))) +
                            Get(distribution.value("synthetic_above", json(0)))) /
                           synthetic_total)});
  } else {
    const json& labels = distribution.value("labels", json::array());
    double top = 0.0;
    for (std::size_t i = 0; i < real.size(); ++i) {
      top = std::max({top, share(real[i], real_total), share(synthetic[i], synthetic_total)});
    }
    const int row = 20;
    height = static_cast<int>(real.size()) * row + 44;
    const Frame frame{0.0, top > 0.0 ? top * 1.1 : 1.0, 0.0, 1.0, 150.0, 400.0, 4.0, static_cast<double>(height - 38)};
    for (double tick : Ticks(frame.x0, frame.x1, 4)) {
      svg << "<line class=\"grid\" x1=\"" << Px(frame.X(tick)) << "\" y1=\"" << Px(frame.top) << "\" x2=\""
          << Px(frame.X(tick)) << "\" y2=\"" << Px(frame.bottom) << "\"/><text class=\"ticklabel\" x=\""
          << Px(frame.X(tick)) << "\" y=\"" << Px(frame.bottom + 14) << "\" text-anchor=\"middle\">" << Number(tick)
          << "</text>";
    }
    for (std::size_t i = 0; i < real.size(); ++i) {
      const double y = frame.top + static_cast<double>(i) * row;
      const double r = share(real[i], real_total);
      const double s = share(synthetic[i], synthetic_total);
      const std::string label = i < labels.size() && labels[i].is_string() ? labels[i].get<std::string>() : "?";
      svg << "<text x=\"" << Px(frame.left - 5) << "\" y=\"" << Px(y + 13) << "\" text-anchor=\"end\">"
          << Escape(label.substr(0, 24)) << "</text><rect class=\"real\" x=\"" << Px(frame.left) << "\" y=\""
          << Px(y + 2) << "\" width=\"" << Px(std::max(frame.X(r) - frame.left, 0.5)) << "\" height=\"8\"/>"
          << "<rect class=\"synthetic\" x=\"" << Px(frame.left) << "\" y=\"" << Px(y + 10) << "\" width=\""
          << Px(std::max(frame.X(s) - frame.left, 0.5)) << "\" height=\"8\"/>";
      rows.push_back({Escape(label), Number(r), Number(s)});
    }
    svg << "<line class=\"axis\" x1=\"" << Px(frame.left) << "\" y1=\"" << Px(frame.bottom) << "\" x2=\""
        << Px(frame.right) << "\" y2=\"" << Px(frame.bottom) << "\"/><text class=\"axislabel\" x=\""
        << Px((frame.left + frame.right) / 2) << "\" y=\"" << Px(frame.bottom + 30) << "\" text-anchor=\"middle\">"
        << "share of rows</text>";
  }
  svg << "<rect class=\"real\" x=\"" << width - 150 << "\" y=\"" << height - 14
      << "\" width=\"10\" height=\"8\"/><text x=\"" << width - 136 << "\" y=\"" << height - 6
      << "\">real</text><rect class=\"synthetic\" x=\"" << width - 100 << "\" y=\"" << height - 14
      << "\" width=\"10\" height=\"8\"/><text x=\"" << width - 86 << "\" y=\"" << height - 6 << "\">synthetic</text>";
  return Figure(column, "Share of rows of " + column + " in the real and the synthetic data, " +
                            (numeric ? "over shared bins" : "most frequent real values first"),
                svg.str(), width, height, "distribution",
                Table({numeric ? "bin" : "value", "real share", "synthetic share"}, rows));
}

// Pairwise differences as a lower-triangle heatmap with both axes labelled and a colour
// scale from 0 (white) to the scale's top (dark red).
std::string Heatmap(const std::string& caption, const json& pairs, const char* value_key) {
  std::vector<std::string> names;
  for (const json& pair : pairs) {
    for (const json& name : pair["columns"]) {
      const std::string text = name.get<std::string>();
      if (std::find(names.begin(), names.end(), text) == names.end()) names.push_back(text);
    }
  }
  if (names.size() < 2) return "";
  double largest = 0.0;
  for (const json& pair : pairs) {
    const double value = Get(pair[value_key]);
    if (std::isfinite(value)) largest = std::max(largest, value);
  }
  // The scale's top: a round number at or above the largest difference, at least 0.1 so
  // that uniformly tiny differences stay pale.
  std::vector<double> ticks = Ticks(0.0, std::max(largest, 0.1), 5);
  if (ticks.size() >= 2 && ticks.back() < largest) ticks.push_back(ticks.back() + (ticks[1] - ticks[0]));
  const double scale_top = ticks.back() > 0.0 ? ticks.back() : 0.1;
  // Rows are columns 1..n-1 and columns 0..n-2: the strict lower triangle, with no empty
  // first row or last column.
  const int n = static_cast<int>(names.size());
  const int cell = std::max(10, std::min(28, 620 / (n - 1)));
  const int left = 150, top = 10;
  const int size = cell * (n - 1);
  const int legend_x = left + size + 30;
  const int width = legend_x + 90;
  const int height = top + size + 130;
  const auto colour = [&](double value) {
    const double t = std::isfinite(value) ? std::clamp(value / scale_top, 0.0, 1.0) : 0.0;
    // White to dark red (#8b1a1a), linear in each channel.
    const int r = static_cast<int>(std::lround(255 + t * (139 - 255)));
    const int g = static_cast<int>(std::lround(255 + t * (26 - 255)));
    const int b = static_cast<int>(std::lround(255 + t * (26 - 255)));
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "#%02x%02x%02x", r, g, b);
    return std::string(buffer);
  };
  std::ostringstream svg;
  for (int i = 0; i + 1 < n; ++i) {
    svg << "<text x=\"" << left - 4 << "\" y=\"" << top + i * cell + cell * 0.7 << "\" text-anchor=\"end\">"
        << Escape(names[static_cast<std::size_t>(i + 1)].substr(0, 22)) << "</text>";
    const double x = left + i * cell + cell * 0.6;
    const double y = top + size + 6;
    svg << "<text x=\"" << Px(x) << "\" y=\"" << Px(y) << "\" text-anchor=\"end\" transform=\"rotate(-60 " << Px(x)
        << " " << Px(y) << ")\">" << Escape(names[static_cast<std::size_t>(i)].substr(0, 22)) << "</text>";
  }
  const auto index = [&](const json& name) {
    return static_cast<int>(std::find(names.begin(), names.end(), name.get<std::string>()) - names.begin());
  };
  std::vector<std::pair<double, std::string>> listed;
  for (const json& pair : pairs) {
    int a = index(pair["columns"][0]), b = index(pair["columns"][1]);
    if (a < b) std::swap(a, b);
    const double value = Get(pair[value_key]);
    svg << "<rect class=\"cell\" x=\"" << left + b * cell << "\" y=\"" << top + (a - 1) * cell << "\" width=\"" << cell - 1
        << "\" height=\"" << cell - 1 << "\" fill=\"" << (std::isfinite(value) ? colour(value) : "#dddddd")
        << "\"><title>" << Escape(names[static_cast<std::size_t>(a)]) << " / "
        << Escape(names[static_cast<std::size_t>(b)]) << ": " << Number(value) << "</title></rect>";
    listed.emplace_back(std::isfinite(value) ? value : -1.0, Escape(names[static_cast<std::size_t>(a)]) + " × " +
                                                                 Escape(names[static_cast<std::size_t>(b)]));
  }
  // The colour scale: a column of 20 steps with tick values.
  const int legend_height = std::min(size, 240);
  for (int step = 0; step < 20; ++step) {
    const double value = scale_top * (19 - step) / 19.0;
    svg << "<rect x=\"" << legend_x << "\" y=\"" << top + step * legend_height / 20 << "\" width=\"16\" height=\""
        << legend_height / 20 + 1 << "\" fill=\"" << colour(value) << "\"/>";
  }
  svg << "<rect class=\"outline\" x=\"" << legend_x << "\" y=\"" << top << "\" width=\"16\" height=\""
      << legend_height << "\"/>";
  for (double tick : ticks) {
    if (tick > scale_top + 1e-12) continue;
    const double y = top + legend_height * (1.0 - tick / scale_top);
    svg << "<line class=\"tick\" x1=\"" << legend_x + 16 << "\" y1=\"" << Px(y) << "\" x2=\"" << legend_x + 20
        << "\" y2=\"" << Px(y) << "\"/><text class=\"ticklabel\" x=\"" << legend_x + 23 << "\" y=\"" << Px(y + 4)
        << "\">" << Number(tick) << "</text>";
  }
  svg << "<text class=\"axislabel\" x=\"" << legend_x << "\" y=\"" << top + legend_height + 16
      << "\">difference</text><rect x=\"" << legend_x << "\" y=\"" << top + legend_height + 24
      << "\" width=\"16\" height=\"10\" fill=\"#dddddd\"/><text class=\"ticklabel\" x=\"" << legend_x + 20
      << "\" y=\"" << top + legend_height + 33 << "\">undefined</text>";
  std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::vector<std::string>> rows;
  for (const auto& [value, label] : listed) rows.push_back({label, value < 0.0 ? "n/a" : Number(value)});
  return Figure(caption, caption + ": " + std::to_string(names.size()) + " columns, largest difference " +
                             Number(largest),
                svg.str(), width, height, "heatmap", Table({"pair (largest first)", "difference"}, rows, 60));
}

// Details as nested tables, keys in words: an object is a two-column table (nested
// objects nest), an array of objects a table with a column per scalar field, a short
// array of scalars a list, a {value, ci} pair a number with its interval. Long arrays
// (the plots' data) are left to the plots and the raw JSON.
std::string DetailsTable(const json& node, int depth = 0);

std::string Cell(const json& value, int depth) {
  if (value.is_object() && value.contains("value") && value.contains("ci") && value["ci"].is_array()) {
    std::string text = Number(value["value"]);
    if (value["ci"].size() == 2 && !value["ci"][0].is_null()) {
      text += " <small>[" + Number(value["ci"][0]) + ", " + Number(value["ci"][1]) + "]</small>";
    }
    return text;
  }
  if (value.is_object()) return DetailsTable(value, depth + 1);
  if (value.is_array()) {
    if (value.empty()) return "—";
    if (value[0].is_object()) return DetailsTable(value, depth + 1);
    if (value.size() > 24) return "<small>" + std::to_string(value.size()) + " values (plotted above; raw JSON below)</small>";
    std::string text;
    for (const json& item : value) {
      text += (text.empty() ? "" : ", ") + (item.is_array() || item.is_object() ? Escape(item.dump()) : Text(item));
    }
    return text;
  }
  return Text(value);
}

std::string DetailsTable(const json& node, int depth) {
  if (depth > 4) return "<small>(see raw JSON)</small>";
  std::ostringstream html;
  if (node.is_array() && !node.empty() && node[0].is_object()) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : node[0].items()) {
      if (value.is_array() && value.size() > 24) continue;  // plot data
      if (key == "distribution" || key == "roc") continue;
      keys.push_back(key);
    }
    std::vector<std::string> header;
    for (const std::string& key : keys) header.push_back(Escape(Words(key)));
    std::vector<std::vector<std::string>> rows;
    for (const json& item : node) {
      std::vector<std::string> row;
      for (const std::string& key : keys) {
        const json& value = item.is_object() && item.contains(key) ? item[key] : json();
        if (value.is_array() && !value.empty() && value[0].is_string()) {
          std::string joined;
          for (const json& part : value) joined += (joined.empty() ? "" : " × ") + Text(part);
          row.push_back(joined);
        } else {
          row.push_back(Cell(value, depth));
        }
      }
      rows.push_back(std::move(row));
    }
    return Table(header, rows, 60);
  }
  if (!node.is_object()) return Cell(node, depth);
  html << "<table class=\"details\">";
  for (const auto& [key, value] : node.items()) {
    html << "<tr><th>" << Escape(Words(key)) << "</th><td>" << Cell(value, depth) << "</td></tr>";
  }
  html << "</table>";
  return html.str();
}

std::vector<Bar> Bars(const json& rows, const std::string& label_key, const std::string& value_key,
                      std::size_t limit) {
  std::vector<Bar> bars;
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
    std::string note;
    if (value.is_object() && value.contains("ci") && !value["ci"][0].is_null()) {
      note = "[" + Number(value["ci"][0]) + ", " + Number(value["ci"][1]) + "]";
    }
    if (std::isfinite(number)) bars.push_back({label, number, note});  // n/a rows stay in the tables
  }
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value > b.value; });
  if (bars.size() > limit) bars.resize(limit);
  return bars;
}

std::string UtilityTables(const json& details) {
  std::ostringstream html;
  const json& models = details.value("models", json::object());
  std::vector<std::string> scores;
  for (const auto& [model, entry] : models.items()) {
    const json trtr = entry.value("trtr", json::object());
    for (const auto& [score, _] : trtr.items()) {
      if (std::find(scores.begin(), scores.end(), score) == scores.end()) scores.push_back(score);
    }
  }
  std::vector<std::string> header = {"model", "trained on"};
  for (const std::string& score : scores) header.push_back(Escape(Words(score)));
  std::vector<std::vector<std::string>> rows;
  for (const auto& [model, entry] : models.items()) {
    for (const char* which : {"trtr", "tstr"}) {
      std::vector<std::string> row = {Escape(Words(model)), std::string(which) == "trtr" ? "real" : "synthetic"};
      for (const std::string& score : scores) row.push_back(Number(entry.value(which, json::object()).value(score, json())));
      rows.push_back(std::move(row));
    }
  }
  html << "<p>Scores on the real holdout (" << Text(details.value("target", json())) << ", "
       << Text(details.value("task", json())) << "): a model trained on real rows against one trained on synthetic rows.</p>"
       << Table(header, rows);
  return html.str();
}

// The plots each metric's documented details allow (docs/metrics.md).
std::string MetricPlots(const std::string& name, const json& details) {
  std::ostringstream html;
  if (name == "marginals") {
    html << BarChart("Total variation distance of each column (largest first)", "TVD (0 = identical)",
                     Bars(details.value("one_way", json()), "column", "tvd", 60));
    html << BarChart("Total variation distance of the 20 most different pairs of columns", "TVD (0 = identical)",
                     Bars(details.value("two_way", json()), "columns", "tvd", 20));
  } else if (name == "column_shapes") {
    html << "<h4>Each column, real against synthetic</h4><div class=\"columns\">";
    for (const json& column : details.value("columns", json::array())) {
      html << DistributionChart(column.value("column", "?"), column.value("distribution", json()));
    }
    html << "</div>";
    html << BarChart("Kolmogorov–Smirnov statistic per numeric column", "KS (0 = identical)",
                     Bars(details.value("columns", json()), "column", "ks", 60));
  } else if (name == "correlations" && details.contains("pairs")) {
    html << Heatmap("Difference in association between each pair of columns, real vs synthetic", details["pairs"],
                    "difference");
  } else if (name == "pmse") {
    const json& auc = details.value("detection_auc", json());
    html << "<p>Detection AUC " << Number(auc.value("value", json())) << " (0.5 = a classifier cannot tell synthetic rows "
         << "from real ones; 1 = it always can).</p>";
  } else if (name == "distance_to_closest_record" && details.contains("histograms")) {
    const json& histograms = details["histograms"];
    if (histograms.contains("dcr")) {
      html << HistogramChart("Distance from each synthetic row (and, for comparison, each holdout row) to its nearest "
                             "training row",
                             "distance to the closest training row (0 = identical)", histograms["dcr"]);
    }
    if (histograms.contains("nndr")) {
      html << HistogramChart("Nearest-neighbour distance ratio (near 0 = a synthetic row singles out one training row)",
                             "nearest / second-nearest distance", histograms["nndr"]);
    }
  } else if (name == "membership_inference" && details.contains("attacks")) {
    std::vector<Series> curves;
    std::vector<std::vector<std::string>> rows;
    for (const json& attack : details["attacks"]) {
      Series s{Words(attack.value("name", "attack")), {}};
      for (const json& point : attack.value("roc", json::array())) s.points.emplace_back(Get(point[0]), Get(point[1]));
      if (!s.points.empty()) curves.push_back(std::move(s));
      rows.push_back({Escape(Words(attack.value("name", "attack"))), Number(attack.value("auc", json())),
                      Number(attack.value("advantage", json())), Cell(attack.value("tpr_at_fpr_1pct", json()), 0),
                      Cell(attack.value("tpr_at_fpr_0_1pct", json()), 0)});
    }
    html << LineChart("ROC of the membership-inference attacks (the diagonal is guessing)", "false positive rate",
                      "true positive rate", curves, true, 0.0, 1.0, 0.0, 1.0);
    html << Table({"attack", "AUC", "advantage", "TPR at 1 % FPR", "TPR at 0.1 % FPR"}, rows);
  } else if (name == "utility") {
    html << UtilityTables(details);
    if (details.contains("mix") && details["mix"].is_array() && !details["mix"].empty()) {
      Series curve{"holdout score", {}};
      for (const json& point : details["mix"]) curve.points.emplace_back(Get(point["ratio"]), Get(point["score"]));
      html << LineChart("Utility when real training data is augmented with synthetic rows", "synthetic / real rows",
                        Words(details.value("primary_score", "score")), {curve});
    }
  } else if (name == "subgroups") {
    for (const auto& [column, audit] : details.items()) {
      // Flagged groups say why beside their label (docs/metrics.md, subgroups).
      json groups = audit.value("groups", json::array());
      for (json& group : groups) {
        if (group.value("flag", json()).is_string() && group["group"].is_string()) {
          group["group"] = group["group"].get<std::string>() + " (" + group["flag"].get<std::string>() + ")";
        }
      }
      html << BarChart("Representation of each group of " + column +
                           " (1 = as common as in the real data; shaded: 0.8 to 1.25)",
                       "synthetic share / real share", Bars(groups, "group", "representation_ratio", 40), 1.0, 0.8,
                       1.25);
    }
  }
  return html.str();
}

const char* kStyle = R"(
body{font-family:system-ui,sans-serif;max-width:1360px;margin:1.5em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccd;padding:.2em .5em;text-align:left;font-size:.9em;vertical-align:top}
th{background:#eef}table.details th{background:#f6f6fb;font-weight:500}small,.note{color:#666}
figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}
svg text{font-size:11px;fill:#333}svg .ticklabel{fill:#555;font-size:10px}svg .axislabel{font-size:11px;fill:#222}
details>summary{cursor:pointer;color:#345}details.alt{font-size:.85em}
.bar{fill:#4a6fa5}.band{fill:#2e8b57;fill-opacity:.12}.real{fill:#4a6fa5}.synthetic{fill:#d9822b}
.cell{stroke:none}.outline{fill:none;stroke:#999}
.reference{stroke:#555;stroke-dasharray:4 3}.axis,.tick{stroke:#333}.grid{stroke:#e2e2ea}
.lines polyline{fill:none;stroke-width:2}.series0{stroke:#4a6fa5;fill:#4a6fa5}.series1{stroke:#d9822b;fill:#d9822b}
.series2{stroke:#2e8b57;fill:#2e8b57}.series3{stroke:#8e44ad;fill:#8e44ad}rect.series0,rect.series1,rect.series2,rect.series3{stroke:none}
div.columns{display:flex;flex-wrap:wrap;gap:0 1.5em}div.columns figure{width:440px}
.verdict{font-weight:700;text-transform:uppercase;padding:.1em .5em;border-radius:.3em;color:#fff;white-space:nowrap}
.pass{background:#2e7d32}.caution{background:#b26a00}.fail{background:#c62828}.not-computed{background:#888}
table.verdicts td{font-size:1em;padding:.4em .6em}
pre{background:#f6f6f9;padding:.5em;overflow:auto;max-height:30em;font-size:.8em}
)";

std::string VerdictBadge(const std::string& verdict) {
  std::string css = verdict;
  for (char& c : css) {
    if (c == ' ') c = '-';
  }
  return "<span class=\"verdict " + Escape(css) + "\">" + Escape(verdict) + "</span>";
}

std::string VerdictSection(const json& report) {
  const json& verdicts = report.value("verdicts", json::object());
  std::ostringstream html;
  html << "<section id=\"verdict\"><h2>Verdict</h2><table class=\"verdicts\">";
  for (const std::string& section : VerdictSections()) {
    if (!verdicts.contains(section)) continue;
    const json& entry = verdicts[section];
    html << "<tr><th>" << Escape(section) << "</th><td>" << VerdictBadge(entry["verdict"].get<std::string>())
         << "</td><td>" << Text(entry["text"]) << "</td></tr>";
  }
  html << "</table><p class=\"note\">Pass, caution and fail compare each measure with what a perfect generator "
          "would get (expected) and, for fidelity, with the same measure on a real holdout sample "
          "of the synthetic table's size (baseline); the thresholds are in docs/metrics.md, "
          "\"Verdicts\".</p>";
  return html.str();
}

std::string SummarySection(const json& report) {
  std::ostringstream html;
  const json& verdicts = report.value("verdicts", json::object());
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> judged;
  for (const std::string& section : VerdictSections()) {
    if (!verdicts.contains(section)) continue;
    for (const json& check : verdicts[section]["checks"]) {
      const std::string key = check["key"].get<std::string>();
      judged.push_back(key);
      const json& entry = report["summary"].value(key, json::object());
      std::string interval;
      if (entry.contains("ci") && !entry["ci"][0].is_null()) {
        interval = Number(entry["ci"][0]) + " – " + Number(entry["ci"][1]);
      }
      rows.push_back({Escape(section), Escape(key), Number(check["value"]), interval, Number(check["expected"]),
                      Number(check["baseline"]), VerdictBadge(check["verdict"].get<std::string>()),
                      Text(check["text"])});
    }
  }
  for (const auto& [key, entry] : report["summary"].items()) {
    if (std::find(judged.begin(), judged.end(), key) != judged.end()) continue;
    std::string interval;
    if (!entry["ci"][0].is_null()) interval = Number(entry["ci"][0]) + " – " + Number(entry["ci"][1]);
    rows.push_back({"", Escape(key), Number(entry["value"]), interval, "", "", "", "not judged (shown for reference)"});
  }
  const std::string level = Fixed(report["settings"]["confidence"].get<double>() * 100.0, 0);
  html << "<section id=\"summary\"><h2>Measures</h2>"
       << Table({"section", "measure", "value", level + "% interval", "expected", "holdout baseline", "verdict",
                 "in words"},
                rows);
  const json& subsample = report.value("baselines", json::object()).value("subsample_equivalent", json());
  if (subsample.is_object() && subsample.contains("fractions")) {
    Series curve{"random subsample of the real rows", {}};
    for (std::size_t i = 0; i < subsample["fractions"].size(); ++i) {
      curve.points.emplace_back(100.0 * Get(subsample["fractions"][i]), Get(subsample["tvd_2way_mean"][i]));
    }
    std::vector<Series> series = {curve};
    const double synthetic = Get(report["summary"].value("tvd_2way_mean", json::object()).value("value", json()));
    if (std::isfinite(synthetic)) series.push_back({"synthetic data", {{0.0, synthetic}, {100.0, synthetic}}});
    html << LineChart("Mean 2-way TVD of random subsamples of the real rows, and of the synthetic data",
                      "subsample size (% of the real rows)", "mean 2-way TVD", series, false, 0.0, 100.0, 0.0);
  }
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
  return html.str();
}

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
  if (!inputs["holdout_rows"].is_null()) html << " and " << Number(inputs["holdout_rows"]) << " real holdout rows";
  html << ", " << inputs["columns"].size() << " columns. Generated by "
       << Escape(report["generator"]["name"].get<std::string>()) << " "
       << Escape(report["generator"]["version"].get<std::string>()) << " ("
       << Escape(report["generator"]["commit"].get<std::string>()) << "), seed "
       << Escape(report["settings"]["seed"].get<std::string>()) << ".</p>\n";
  html << VerdictSection(report) << "</section>\n" << SummarySection(report);

  static const std::pair<const char*, const char*> kSections[] = {
      {"fidelity", "Fidelity"}, {"detection", "Detection"}, {"utility", "Utility"},
      {"privacy", "Privacy risk"}, {"subgroups", "Subgroup audit (fairness)"}};
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
      html << "<article class=\"metric\" id=\"metric-" << Escape(name) << "\"><h3>" << Escape(Words(name))
           << "</h3><p>" << Text(metric["description"]) << "</p>" << plots << "<details"
           << (plots.empty() ? " open" : "") << "><summary>Values</summary>" << DetailsTable(metric["details"])
           << "</details><details><summary>Raw JSON</summary><pre>" << Escape(metric["details"].dump(1))
           << "</pre></details></article>\n";
    }
    html << "</section>\n";
  }
  html << "</body></html>\n";
  return html.str();
}

}  // namespace synthscale::eval
