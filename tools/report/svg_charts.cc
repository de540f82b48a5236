#include "tools/report/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ikv::report {

namespace {

constexpr const char* kPalette[kPaletteSize] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#499894",
    "#d37295", "#86bcb6", "#79706e", "#f1ce63", "#d4a6c8", "#bab0ac"};

// Coordinates with at most one decimal, "12" rather than "12.0".
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

// An estimate of the rendered width of `text` in a sans-serif face.
double text_width(std::string_view text, double font_px) {
  std::size_t glyphs = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++glyphs;
  }
  return static_cast<double>(glyphs) * font_px * 0.56;
}

// A tick step of 1, 2 or 5 times a power of ten giving at most six ticks.
std::size_t tick_step(std::size_t max) {
  std::size_t magnitude = 1;
  for (;;) {
    for (std::size_t m : {1, 2, 5}) {
      if (max <= m * magnitude * 5) return m * magnitude;
    }
    magnitude *= 10;
  }
}

std::size_t round_up(std::size_t value, std::size_t step) {
  const std::size_t top = (value + step - 1) / step * step;
  return top == 0 ? step : top;
}

std::string svg_open(std::string_view id, int width, int height, std::string_view title,
                     std::string_view description) {
  const std::string eid = html_escape(id);
  std::string out = "<svg id=\"" + eid + "\" class=\"chart\" role=\"img\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) +
                    "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                    "\" aria-labelledby=\"" + eid + "-title " + eid + "-desc\">";
  out += "<title id=\"" + eid + "-title\">" + html_escape(title) + "</title>";
  out += "<desc id=\"" + eid + "-desc\">" + html_escape(description) + "</desc>";
  return out;
}

std::string text(double x, double y, std::string_view cls, std::string_view anchor,
                 std::string_view content) {
  return "<text class=\"" + std::string(cls) + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
         "\" text-anchor=\"" + std::string(anchor) + "\">" + html_escape(content) + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view cls) {
  return "<line class=\"" + std::string(cls) + "\" x1=\"" + num(x1) + "\" y1=\"" + num(y1) +
         "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\"/>";
}

std::string rect(std::string_view cls, double x, double y, double w, double h,
                 std::string_view fill, std::string_view tooltip) {
  std::string out = "<rect class=\"" + std::string(cls) + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
                    "\" width=\"" + num(w) + "\" height=\"" + num(h) + "\" fill=\"" +
                    std::string(fill) + "\"";
  if (tooltip.empty()) return out + "/>";
  return out + "><title>" + html_escape(tooltip) + "</title></rect>";
}

}  // namespace

std::string html_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string series_colour(std::size_t index) { return kPalette[index % kPaletteSize]; }

std::string ramp_colour(std::size_t count) {
  if (count <= 1) return "#c6dbef";
  if (count == 2) return "#9ecae1";
  if (count <= 4) return "#6baed6";
  if (count <= 7) return "#3182bd";
  return "#08519c";
}

std::size_t stack_max(const std::vector<Series>& series, std::size_t categories) {
  std::size_t max = 0;
  for (std::size_t c = 0; c < categories; ++c) {
    std::size_t total = 0;
    for (const Series& s : series) total += c < s.values.size() ? s.values[c] : 0;
    max = std::max(max, total);
  }
  return max;
}

std::string render_legend(const Legend& legend) {
  constexpr double kRow = 22;
  constexpr double kFont = 12;
  std::vector<std::pair<double, double>> at;  // x, y of each entry
  double x = text_width(legend.title, kFont) + 20;
  double y = 6;
  for (const auto& [label, colour] : legend.entries) {
    const double w = 14 + 6 + text_width(label, kFont) + 20;
    if (x + w > legend.width && x > 0) {
      x = 0;
      y += kRow;
    }
    at.emplace_back(x, y);
    x += w;
  }
  const int height = static_cast<int>(y + kRow + 4);
  std::string out = svg_open(legend.id, legend.width, height, legend.title,
                             "Colour key: " + std::to_string(legend.entries.size()) + " entries.");
  out += text(0, 17, "legend-title", "start", legend.title);
  for (std::size_t i = 0; i < legend.entries.size(); ++i) {
    const auto& [label, colour] = legend.entries[i];
    out += rect("swatch", at[i].first, at[i].second, 14, 14, colour, "");
    out += text(at[i].first + 20, at[i].second + 11.5, "legend-label", "start", label);
  }
  return out + "</svg>";
}

std::string render_stacked_bars(const StackedBars& c) {
  const double left = 58, right = 14, top = c.show_title ? 44 : 24, bottom = 52;
  const double plot_w = c.width - left - right, plot_h = c.height - top - bottom;
  const std::size_t n = c.categories.size();
  const std::size_t data_max = stack_max(c.series, n);
  const std::size_t step = tick_step(std::max(c.y_max, data_max));
  const std::size_t y_top = round_up(std::max(c.y_max, data_max), step);
  const double band = n == 0 ? plot_w : plot_w / static_cast<double>(n);
  const double bar_w = std::min(band * 0.72, 64.0);
  const auto y_of = [&](double v) {
    return top + plot_h - plot_h * v / static_cast<double>(y_top);
  };

  std::string out = svg_open(c.id, c.width, c.height, c.title, c.description);
  if (c.show_title) out += text(0, 18, "panel-title", "start", c.title);
  for (std::size_t v = 0; v <= y_top; v += step) {
    out += line(left, y_of(static_cast<double>(v)), left + plot_w, y_of(static_cast<double>(v)),
                v == 0 ? "axis" : "grid");
    out += text(left - 8, y_of(static_cast<double>(v)) + 4, "tick", "end", std::to_string(v));
  }
  double label_w = 0;
  for (const std::string& cat : c.categories) label_w = std::max(label_w, text_width(cat, 11) + 10);
  const std::size_t every =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(label_w / band)));
  for (std::size_t i = 0; i < n; ++i) {
    const double cx = left + band * (static_cast<double>(i) + 0.5);
    double stacked = 0;
    for (const Series& s : c.series) {
      const std::size_t v = i < s.values.size() ? s.values[i] : 0;
      if (v == 0) continue;
      const double y1 = y_of(stacked + static_cast<double>(v));
      out += rect("mark", cx - bar_w / 2, y1, bar_w, y_of(stacked) - y1, s.colour,
                  s.label + ", " + c.categories[i] + ": " + std::to_string(v));
      stacked += static_cast<double>(v);
    }
    if (stacked > 0 && band >= 16) {
      out += text(cx, y_of(stacked) - 5, "value", "middle",
                  std::to_string(static_cast<std::size_t>(stacked)));
    }
    if (i % every == 0) {
      out += line(cx, top + plot_h, cx, top + plot_h + 4, "axis");
      out += text(cx, top + plot_h + 17, "tick", "middle", c.categories[i]);
    }
  }
  out += text(left + plot_w / 2, c.height - 8, "axis-title", "middle", c.x_label);
  out += "<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"" + num(-(top + plot_h / 2)) +
         "\" y=\"14\" text-anchor=\"middle\">" + html_escape(c.y_label) + "</text>";
  return out + "</svg>";
}

std::string render_horizontal_bars(const HorizontalBars& c) {
  constexpr double kRow = 26;
  double label_w = 120;
  std::size_t max = 0;
  for (const auto& [label, value] : c.rows) {
    label_w = std::max(label_w, text_width(label, 12) + 16);
    max = std::max(max, value);
  }
  label_w = std::min(label_w, 420.0);
  const double right = 40, top = 8, bottom = 46;
  const double plot_w = c.width - label_w - right;
  const int height = static_cast<int>(top + kRow * static_cast<double>(c.rows.size()) + bottom);
  const std::size_t step = tick_step(max);
  const std::size_t x_top = round_up(max, step);
  const auto x_of = [&](double v) { return label_w + plot_w * v / static_cast<double>(x_top); };
  const double plot_bottom = top + kRow * static_cast<double>(c.rows.size());

  std::string out = svg_open(c.id, c.width, height, c.title, c.description);
  for (std::size_t v = 0; v <= x_top; v += step) {
    out += line(x_of(static_cast<double>(v)), top, x_of(static_cast<double>(v)), plot_bottom,
                v == 0 ? "axis" : "grid");
    out +=
        text(x_of(static_cast<double>(v)), plot_bottom + 16, "tick", "middle", std::to_string(v));
  }
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const auto& [label, value] = c.rows[i];
    const double y = top + kRow * static_cast<double>(i);
    out += text(label_w - 10, y + kRow / 2 + 4, "row-label", "end", label);
    const double w = x_of(static_cast<double>(value)) - label_w;
    out +=
        rect("mark", label_w, y + 4, w, kRow - 8, c.colour, label + ": " + std::to_string(value));
    out += text(label_w + w + 6, y + kRow / 2 + 4, "value", "start", std::to_string(value));
  }
  out += text(label_w + plot_w / 2, height - 6, "axis-title", "middle", c.x_label);
  return out + "</svg>";
}

std::string render_count_matrix(const CountMatrix& c) {
  constexpr double kRow = 26, kHeader = 34, kLegend = 44;
  double label_w = 160;
  for (const std::string& r : c.row_labels) label_w = std::max(label_w, text_width(r, 12) + 18);
  double col_w = 84;
  for (const std::string& col : c.column_labels) col_w = std::max(col_w, text_width(col, 12) + 14);
  const double grid_w = col_w * static_cast<double>(c.column_labels.size());
  const int width = static_cast<int>(std::max(label_w + grid_w + 8, 640.0));
  const double grid_bottom = kHeader + kRow * static_cast<double>(c.row_labels.size() + 1);
  const int height = static_cast<int>(grid_bottom + kLegend);

  std::string out = svg_open(c.id, width, height, c.title, c.description);
  std::vector<std::size_t> missing(c.column_labels.size(), 0);
  for (std::size_t j = 0; j < c.column_labels.size(); ++j) {
    out += text(label_w + col_w * (static_cast<double>(j) + 0.5), kHeader - 12, "column-label",
                "middle", c.column_labels[j]);
  }
  for (std::size_t i = 0; i < c.row_labels.size(); ++i) {
    const double y = kHeader + kRow * static_cast<double>(i);
    out += text(label_w - 10, y + kRow / 2 + 4, "row-label", "end", c.row_labels[i]);
    for (std::size_t j = 0; j < c.column_labels.size(); ++j) {
      const std::size_t v = i < c.cells.size() && j < c.cells[i].size() ? c.cells[i][j] : 0;
      const double x = label_w + col_w * static_cast<double>(j);
      const std::string where = c.row_labels[i] + ", " + c.column_labels[j];
      if (v == 0) {
        ++missing[j];
        out += rect("missing", x + 2, y + 2, col_w - 4, kRow - 4, kMissingFill,
                    where + ": " + c.missing_label);
        const double mx = x + col_w / 2, my = y + kRow / 2;
        out += "<path class=\"cross\" d=\"M" + num(mx - 5) + " " + num(my - 5) + "L" + num(mx + 5) +
               " " + num(my + 5) + "M" + num(mx - 5) + " " + num(my + 5) + "L" + num(mx + 5) + " " +
               num(my - 5) + "\" stroke=\"" + std::string(kMissingMark) + "\"/>";
      } else {
        out += rect("mark", x + 2, y + 2, col_w - 4, kRow - 4, ramp_colour(v),
                    where + ": " + std::to_string(v));
        out += text(x + col_w / 2, y + kRow / 2 + 4, v >= 5 ? "cell-value dark" : "cell-value",
                    "middle", std::to_string(v));
      }
    }
  }
  const double total_y = kHeader + kRow * static_cast<double>(c.row_labels.size());
  out += text(label_w - 10, total_y + kRow / 2 + 4, "row-label strong", "end",
              "Sectors " + c.missing_label);
  for (std::size_t j = 0; j < c.column_labels.size(); ++j) {
    out += text(label_w + col_w * (static_cast<double>(j) + 0.5), total_y + kRow / 2 + 4,
                "missing-count", "middle", std::to_string(missing[j]));
  }
  // The key: the ramp, then the missing mark.
  double x = label_w;
  const double ly = grid_bottom + 16;
  out += text(x - 10, ly + 11, "legend-label", "end", "Members:");
  for (const auto& [label, count] : std::vector<std::pair<std::string, std::size_t>>{
           {"1", 1}, {"2", 2}, {"3-4", 3}, {"5-7", 5}, {"8+", 8}}) {
    out += rect("swatch", x, ly, 14, 14, ramp_colour(count), "");
    out += text(x + 20, ly + 11.5, "legend-label", "start", label);
    x += 20 + text_width(label, 12) + 18;
  }
  out += rect("swatch", x, ly, 14, 14, kMissingFill, "");
  out += "<path class=\"cross\" d=\"M" + num(x + 3) + " " + num(ly + 3) + "L" + num(x + 11) + " " +
         num(ly + 11) + "M" + num(x + 3) + " " + num(ly + 11) + "L" + num(x + 11) + " " +
         num(ly + 3) + "\" stroke=\"" + std::string(kMissingMark) + "\"/>";
  out += text(x + 20, ly + 11.5, "legend-label", "start", c.missing_label);
  return out + "</svg>";
}

std::string render_no_data(std::string_view id, std::string_view title, std::string_view message,
                           int width, int height, bool show_title) {
  std::string out = svg_open(id, width, height, title, message);
  const double top = show_title ? 30 : 1;
  if (show_title) out += text(0, 18, "panel-title", "start", title);
  out += "<rect class=\"nodata-frame\" x=\"1\" y=\"" + num(top) + "\" width=\"" +
         std::to_string(width - 2) + "\" height=\"" + num(height - top - 1) + "\" rx=\"6\"/>";
  out += text(width / 2.0, top + (height - top) / 2 + 5, "nodata", "middle", message);
  return out + "</svg>";
}

}  // namespace ikv::report
