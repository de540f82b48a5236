// The trend report as one self-contained HTML page for analysts: a header
// with the report's parameters and totals, then four figures, each an inline
// SVG chart with a data table under it: observations by theme per network and
// period (small multiples on one scale), meetings held by format per period,
// members by sector per network with the sectors missing marked, and the
// themes ranked by how many networks recorded them. Inline CSS, no JavaScript,
// no external references (a Content-Security-Policy forbids fetching).
//
// Only aggregates reach the page: its input holds counts, taxonomy labels and
// network names, never a person's data. Every text from the input is
// HTML-escaped. A pure function: the same input gives the same bytes (the
// "generated" line names the log position, not the wall clock).
//
// Thread-safety: pure functions; safe from any thread.
//
//   HtmlReportInput in;
//   in.parameters.granularity = "quarter";
//   in.periods = report_periods(from, to, Granularity::kQuarter);
//   in.trends = *compute_trends(view, query);
//   in.coverage = compute_coverage(view, coverage_day);
//   in.labels.themes["forced_labour"] = "Forced labour";
//   std::string page = render_html_report(in);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "projections/coverage.h"
#include "projections/trends.h"

namespace ikv::report {

// What the report was asked for, shown in its header. Empty strings mean
// "not given" and are shown as such (all networks, everything recorded, ...).
struct HtmlReportParameters {
  std::string from;                // first effective date counted, YYYY-MM-DD
  std::string to;                  // last effective date counted, YYYY-MM-DD
  std::string granularity;         // month, quarter or year
  std::string network;             // network id filter
  std::string theme;               // theme code filter
  std::string known_at;            // RFC 3339 instant the replay stopped at
  std::uint64_t log_position = 0;  // the last event replayed (0: none)
  std::string log_recorded_at;     // its recorded time, RFC 3339
  std::string coverage_on;         // the day the members by sector are counted on
};

// Display labels by code; a code without a label is shown as the code.
struct HtmlReportLabels {
  std::map<std::string, std::string> themes;    // in the order colours are assigned
  std::map<std::string, std::string> formats;   // meeting formats
  std::map<std::string, std::string> sectors;   // every sector of the taxonomy
  std::map<std::string, std::string> networks;  // network id -> name
};

struct HtmlReportInput {
  HtmlReportParameters parameters;
  // Every period of the range in order, empty ones too (the time axis). When
  // empty, the periods that hold data are used.
  std::vector<std::string> periods;
  projections::TrendReport trends;
  std::vector<projections::NetworkCoverage> coverage;
  HtmlReportLabels labels;
};

// The page ("<!DOCTYPE html>..."), UTF-8. A figure whose data is empty shows
// a "No data in this range" chart instead of an empty plot.
std::string render_html_report(const HtmlReportInput& input);

// The periods ("2024-05", "2024-Q2", "2024") from the one holding `from` to
// the one holding `to`, in order; empty when from > to.
std::vector<std::string> report_periods(const domain::Date& from, const domain::Date& to,
                                        projections::Granularity granularity);

// The first day of a period as period_of() writes it; nullopt for any other text.
std::optional<domain::Date> period_start(std::string_view period);

}  // namespace ikv::report
