// ikv-report: replays a registry's data directory offline and read-only (as a
// RocksDB secondary instance, so a running server may keep writing) through
// the same projection code as the server, and prints the trend report as JSON
// or CSV; `ikv-report verify` walks the hash chain.
//
//   ikv-report --data ./data --from 2024-01-01 --to 2024-12-31 --granularity quarter
//   ikv-report verify --data ./data
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "codec/event_codec.h"
#include "codec/personal_data.h"
#include "eventstore/rocks_event_store.h"
#include "projections/instant.h"
#include "projections/registry_view.h"
#include "projections/trends.h"

namespace {

using namespace ikv;
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

// `known_at`: only events the registry had recorded by then (recorded_at never
// decreases along the log, so the replay stops at the first later one).
int report(const std::string& data, const projections::TrendQuery& query, bool csv,
           std::optional<std::int64_t> known_at) {
  auto store = open_read_only(data);
  if (!store) {
    std::cerr << "ikv-report: " << store.error().message << "\n";
    return 1;
  }
  // Trends hold no personal data: events are decoded without opening any.
  const codec::WithoutPersonalData no_personal_data;
  projections::RegistryView view;
  const std::uint64_t head = (*store)->head_position();
  std::uint64_t seen = 0;
  Status failed = ok_status();
  auto scanned = (*store)->scan_all(0, [&](const eventstore::RecordedEvent& e) {
    if (known_at && e.recorded_at_us > *known_at) return false;
    auto decoded = codec::decode(e.type, e.schema_version, e.payload, no_personal_data);
    if (!decoded) {
      failed = Error{ErrorCode::kCorruption,
                     "event " + std::to_string(e.position) + ": " + decoded.error().message, {}};
      return false;
    }
    view.apply(e, *decoded);
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
  auto trends = projections::compute_trends(view, query);
  if (!trends) {
    std::cerr << "ikv-report: " << trends.error().message << "\n";
    return 2;
  }
  if (csv) {
    std::cout << projections::trends_csv(*trends);
  } else {
    std::cout << boost::json::serialize(projections::trends_json(*trends)) << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ikv-report: trend reports and chain verification from a registry data directory,\n"
               "read-only (a server may keep running on it)."};
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
  app.add_option("--known-at", known_at,
                 "Report what the registry knew at this instant (RFC 3339, e.g. 2024-03-01T00:00:00Z)");
  app.add_option("--format", format, "json or csv")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
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
  for (auto [text, target, name] : {std::tuple{&from, &query.from, "--from"},
                                    std::tuple{&to, &query.to, "--to"}}) {
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
  return report(data, query, format == "csv", known_at_us);
}
