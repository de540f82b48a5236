// ikv-report: replays a registry's data directory offline and read-only (as a
// RocksDB secondary instance, so a running server may keep writing) through
// the same projection code as the server, and prints the trend report as JSON,
// CSV or a self-contained HTML page with charts; `ikv-report verify` walks the
// hash chain.
//
//   ikv-report --data ./data --from 2024-01-01 --to 2024-12-31 --granularity quarter
//   ikv-report trends --data ./data --format html -o report.html
//   ikv-report verify --data ./data
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "codec/event_codec.h"
#include "codec/personal_data.h"
#include "eventstore/rocks_event_store.h"
#include "projections/coverage.h"
#include "projections/instant.h"
#include "projections/registry_view.h"
#include "projections/stream_events.h"
#include "projections/trends.h"
#include "tools/report/html_report.h"

namespace {

using namespace ikv;  // NOLINT(google-build-using-namespace): .cc only
namespace fs = std::filesystem;

domain::Date today_utc() {
  const auto days = std::chrono::duration_cast<std::chrono::days>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return domain::civil_from_days(days);
}

Result<std::unique_ptr<eventstore::EventStore>> open_read_only(const std::string& data) {
  const fs::path secondary =
      fs::temp_directory_path() / ("ikv-report-" + std::to_string(::getpid()));
  eventstore::RocksOptions o;
  o.path = (fs::path(data) / "events").string();
  o.read_only = true;
  o.secondary_path = secondary.string();
  if (!fs::exists(o.path)) return Error{ErrorCode::kNotFound, "no event log in " + o.path, {}};
  return eventstore::open_rocks_event_store(std::move(o));
}

int verify(const std::string& data) {
  auto store = open_read_only(data);
  if (!store) {
    std::cerr << "ikv-report: " << store.error().message << "\n";
    return 1;
  }
  auto r = (*store)->verify();
  if (!r) {
    std::cerr << "ikv-report: " << r.error().message << "\n";
    return 1;
  }
  if (r->ok) {
    std::cout << "ok: " << r->events_checked << " events, head " << r->head_position << "\n";
    return 0;
  }
  std::cout << "broken at position " << r->first_bad_position.value_or(0) << ": " << r->problem
            << "\n";
  return 3;
}

// The HTML page's input: the trends, the coverage on the last day of the
// range (today at the latest) and the English labels of the codes.
report::HtmlReportInput html_input(const projections::ReadModels& models,
                                   const projections::TrendQuery& query,
                                   projections::TrendReport trends, const std::string& granularity,
                                   std::optional<std::int64_t> known_at,
                                   std::int64_t last_recorded_at_us) {
  const projections::RegistryView& view = models.view();
  report::HtmlReportInput in;
  const domain::Date to = query.to.value_or(query.today);
  const domain::Date coverage_on = std::min(to, query.today);
  std::optional<domain::Date> from = query.from;
  if (!from && !trends.periods.empty()) {
    for (const auto& p : trends.periods) {
      const auto start = report::period_start(p.period);
      if (start && (!from || *start < *from)) from = start;
    }
  }
  if (from) in.periods = report::report_periods(*from, to, query.granularity);
  auto& p = in.parameters;
  p.from = query.from ? domain::to_string(*query.from) : "";
  p.to = domain::to_string(to);
  p.granularity = granularity;
  p.network = query.network.value_or("");
  p.theme = query.theme.value_or("");
  p.known_at = known_at ? projections::format_instant(*known_at) : "";
  p.log_position = view.position();
  p.log_recorded_at = view.position() == 0 ? "" : projections::format_instant(last_recorded_at_us);
  p.coverage_on = domain::to_string(coverage_on);
  for (auto& c : projections::compute_coverage(models, coverage_on)) {
    if (!query.network || c.network == *query.network) in.coverage.push_back(std::move(c));
  }
  in.trends = std::move(trends);
  const auto& taxonomy = view.taxonomy();
  for (const auto& [code, labels] : taxonomy.entries(domain::TaxonomyKind::kTheme)) {
    in.labels.themes[code] = labels.en;
  }
  for (const auto& [code, labels] : taxonomy.entries(domain::TaxonomyKind::kMeetingFormat)) {
    in.labels.formats[code] = labels.en;
  }
  for (const auto& [code, labels] : taxonomy.entries(domain::TaxonomyKind::kSector)) {
    in.labels.sectors[code] = labels.en;
  }
  for (const auto& [id, network] : view.network_records()) {
    in.labels.networks[id] = network.name.en.empty() ? id : network.name.en;
  }
  return in;
}

// `known_at`: only events the registry had recorded by then (recorded_at never
// decreases along the log, so the replay stops at the first later one).
int run_report(const std::string& data, const projections::TrendQuery& query,
               const std::string& format, const std::string& granularity,
               std::optional<std::int64_t> known_at, const std::string& output) {
  auto store = open_read_only(data);
  if (!store) {
    std::cerr << "ikv-report: " << store.error().message << "\n";
    return 1;
  }
  // Trends hold no personal data: events are decoded without opening any.
  const codec::WithoutPersonalData no_personal_data;
  projections::ReadModels models;
  const std::uint64_t head = (*store)->head_position();
  std::uint64_t seen = 0;
  std::int64_t last_recorded_at_us = 0;
  Status failed = ok_status();
  auto scanned = (*store)->scan_all(0, [&](const eventstore::RecordedEvent& e) {
    if (known_at && e.recorded_at_us > *known_at) return false;
    auto decoded = codec::decode(e.type, e.schema_version, e.payload, no_personal_data);
    if (!decoded) {
      failed = Error{ErrorCode::kCorruption,
                     "event " + std::to_string(e.position) + ": " + decoded.error().message,
                     {}};
      return false;
    }
    models.apply(e, *decoded);
    last_recorded_at_us = e.recorded_at_us;
    if (++seen % 100000 == 0) {
      std::fprintf(stderr, "\rreplayed %llu of %llu events", static_cast<unsigned long long>(seen),
                   static_cast<unsigned long long>(head));
    }
    return true;
  });
  if (seen >= 100000) std::fprintf(stderr, "\n");
  if (!scanned || !failed) {
    std::cerr << "ikv-report: " << (!scanned ? scanned.error() : failed.error()).message << "\n";
    return 1;
  }
  // The query has no known_at (the replay stopped there): nothing is read back.
  const projections::LogStreamEvents events(**store, no_personal_data);
  auto trends = projections::compute_trends(models, query, events);
  if (!trends) {
    std::cerr << "ikv-report: " << trends.error().message << "\n";
    return 2;
  }
  std::string text;
  if (format == "csv") {
    text = projections::trends_csv(*trends);
  } else if (format == "html") {
    // The page draws and totals the networks' rows; the national rows are their sums.
    std::erase_if(trends->periods, [](const projections::TrendPeriod& p) { return p.national; });
    text = report::render_html_report(
        html_input(models, query, std::move(*trends), granularity, known_at, last_recorded_at_us));
  } else {
    text = boost::json::serialize(projections::trends_json(*trends)) + "\n";
  }
  if (output.empty() || output == "-") {
    std::cout << text;
    return std::cout.flush() ? 0 : 1;
  }
  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    std::cerr << "ikv-report: cannot write " << output << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

// An exception that reaches here is a bug or exhaustion: std::terminate reports it.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  CLI::App app{
      "ikv-report: trend reports and chain verification from a registry data directory,\n"
      "read-only (a server may keep running on it).\n\n"
      "  ikv-report [trends] [options]   the trend report as JSON, CSV or HTML\n"
      "  ikv-report verify --data DIR    walk the hash chain of the event log\n\n"
      "--format html writes one self-contained page (inline CSS and SVG, no scripts, nothing\n"
      "fetched): observations by theme per network and period, meetings held by format,\n"
      "members by sector per network with the sectors missing, themes ranked by networks,\n"
      "each chart with its data table. Members are counted on the last day of the range\n"
      "(today at the latest). Aggregates only, never personal data."};
  app.footer(
      "Examples:\n"
      "  ikv-report --data ./data --from 2024-01-01 --to 2024-12-31 --granularity quarter\n"
      "  ikv-report trends --data ./data --format csv -o trends.csv\n"
      "  ikv-report trends --data ./data --from 2024-01-01 --format html -o trends.html\n"
      "  ikv-report verify --data ./data");
  std::string data = "./data";
  std::string from, to, granularity = "month", network, theme, format = "json";
  app.add_option("--data", data, "Data directory of the registry")->capture_default_str();
  app.add_option("--from", from, "First effective date counted (YYYY-MM-DD)");
  app.add_option("--to", to, "Last effective date counted (YYYY-MM-DD; default today)");
  app.add_option("--granularity", granularity, "month, quarter or year")
      ->check(CLI::IsMember({"month", "quarter", "year"}))
      ->capture_default_str();
  app.add_option("--network", network, "Only this network");
  app.add_option("--theme", theme, "Only this theme code");
  std::string known_at;
  app.add_option(
      "--known-at", known_at,
      "Report what the registry knew at this instant (RFC 3339, e.g. 2024-03-01T00:00:00Z)");
  app.add_option("--format", format,
                 "json, csv or html (a self-contained page with charts and data tables)")
      ->check(CLI::IsMember({"json", "csv", "html"}))
      ->capture_default_str();
  std::string output;
  app.add_option("-o,--output", output, "Write the report to this file (default: standard output)");
  auto* trends_cmd = app.add_subcommand(
      "trends", "The trend report (the default; takes the options above, e.g. --format html)");
  trends_cmd->fallthrough();
  auto* verify_cmd = app.add_subcommand("verify", "Walk the hash chain of the event log");
  verify_cmd->add_option("--data", data, "Data directory of the registry");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*verify_cmd) return verify(data);

  projections::TrendQuery query;
  query.today = today_utc();
  query.granularity = *projections::parse_granularity(granularity);
  for (auto [text, target, name] :
       {std::tuple{&from, &query.from, "--from"}, std::tuple{&to, &query.to, "--to"}}) {
    if (text->empty()) continue;
    *target = domain::parse_date(*text);
    if (!*target) {
      std::cerr << "ikv-report: " << name << " must be a real date written YYYY-MM-DD\n";
      return 2;
    }
  }
  if (!network.empty()) query.network = network;
  if (!theme.empty()) query.theme = theme;
  std::optional<std::int64_t> known_at_us;
  if (!known_at.empty()) {
    known_at_us = projections::parse_instant(known_at);
    if (!known_at_us) {
      std::cerr << "ikv-report: --known-at must be an RFC 3339 instant\n";
      return 2;
    }
  }
  return run_report(data, query, format, granularity, known_at_us, output);
}
