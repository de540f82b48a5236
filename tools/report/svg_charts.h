// SVG chart primitives for the HTML trend report: stacked bars over periods,
// horizontal bars, a presence matrix and the "no data" placeholder, each
// rendered as one inline <svg role="img"> with <title> and <desc>, plus the
// text helpers they share (HTML escaping, fixed-format numbers, the palette).
// Every string that reaches the markup from data goes through html_escape();
// the output is well-formed XML (no HTML-only entities), contains no
// JavaScript and refers to nothing outside itself. Deterministic: the same
// chart gives the same bytes.
//
// Thread-safety: pure functions; safe from any thread.
//
//   StackedBars c;
//   c.id = "meetings"; c.title = "Meetings held by format";
//   c.categories = {"2024-Q1", "2024-Q2"};
//   c.series = {{"In person", series_colour(0), {0, 3}}};
//   std::string svg = render_stacked_bars(c);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ikv::report {

// Replaces & < > " ' by character references; safe in text and in quoted
// attributes, in HTML and in XML alike.
std::string html_escape(std::string_view in);

// The categorical palette: a colour ("#rrggbb") per index, repeating after
// kPaletteSize. Series keep their colour across charts by keeping their index.
inline constexpr std::size_t kPaletteSize = 20;
std::string series_colour(std::size_t index);

// The sequential ramp of the presence matrix: the fill for a count >= 1.
std::string ramp_colour(std::size_t count);
// The fill and mark of a matrix cell with no members ("missing").
inline constexpr std::string_view kMissingFill = "#fde4e1";
inline constexpr std::string_view kMissingMark = "#c0392b";

struct Series {
  std::string label;
  std::string colour;
  std::vector<std::size_t> values;  // one per category
};

// A legend of coloured swatches, wrapped into rows of at most `width` pixels.
struct Legend {
  std::string id;  // unique in the page, for aria references
  std::string title;
  std::vector<std::pair<std::string, std::string>> entries;  // label, colour
  int width = 1100;
};
std::string render_legend(const Legend& legend);

// Vertical bars, one per category, the series stacked bottom-up in order,
// with integer y ticks, the category labels (thinned when they would
// overlap), axis titles and the total above each bar.
struct StackedBars {
  std::string id;  // unique in the page
  std::string title;
  std::string description;
  std::string x_label;
  std::string y_label;
  std::vector<std::string> categories;
  std::vector<Series> series;
  std::size_t y_max = 0;    // 0: from the data; else a shared scale (small multiples)
  bool show_title = false;  // draw the title above the plot (small multiples)
  int width = 1100;
  int height = 300;
};
std::string render_stacked_bars(const StackedBars& chart);

// One horizontal bar per row, label on the left, value at the bar's end.
struct HorizontalBars {
  std::string id;
  std::string title;
  std::string description;
  std::string x_label;
  std::vector<std::pair<std::string, std::size_t>> rows;  // label, value
  std::string colour;
  int width = 1100;
};
std::string render_horizontal_bars(const HorizontalBars& chart);

// A matrix of counts: rows x columns; a cell with 0 is drawn as missing
// (tinted, crossed). `cells[row][column]`.
struct CountMatrix {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<std::size_t>> cells;
  std::string missing_label = "missing";
};
std::string render_count_matrix(const CountMatrix& chart);

// A framed placeholder that says `message` in the middle; with `show_title`,
// the title is drawn at its top left too.
std::string render_no_data(std::string_view id, std::string_view title, std::string_view message,
                           int width, int height, bool show_title = false);

// The largest value a StackedBars would draw (the tallest stack).
std::size_t stack_max(const std::vector<Series>& series, std::size_t categories);

}  // namespace ikv::report
