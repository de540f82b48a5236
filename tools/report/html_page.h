// The HTML frame of the trend report page: document head with the inline
// style sheet and a Content-Security-Policy that forbids fetching anything,
// the masthead with the report's parameters and totals, figure sections,
// data tables and the footer. Used by html_report.cc; every text from data is
// HTML-escaped here.
//
// Thread-safety: pure functions; safe from any thread.
//
//   std::string body = render_masthead(in) + figure_open("fig-x", "1. X", "...") + ...;
//   std::string page = render_page(in, body);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tools/report/html_report.h"

namespace ikv::report {

// A data table; cells are plain text (escaped when rendered). Columns
// first_numeric..last_numeric (inclusive; last_numeric 0: to the end) are
// right-aligned numbers.
struct Table {
  std::string caption;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::size_t first_numeric = 1;
  std::size_t last_numeric = 0;
};
std::string render_table(const Table& table);

// <section class="figure"> with its heading and lede; close with figure_close().
std::string figure_open(std::string_view id, std::string_view heading, std::string_view lede);
std::string figure_close();

// The header: title, parameters, totals.
std::string render_masthead(const HtmlReportInput& input);

// The complete document around `body` (already rendered markup).
std::string render_page(const HtmlReportInput& input, std::string_view body);

// ASCII lower case.
std::string to_lower(std::string_view text);

}  // namespace ikv::report
