// The reports (trends by effective date, coverage of sectors today) and the
// administrators' backups. The figures come from pure functions of the read
// models (projections/trends.h, projections/coverage.h); a backup is a
// RocksDB checkpoint of the store plus the master key, the audit signing key,
// the personal-data access log and the erasure list (app/erasure_list.h),
// written under <data>/backups/<id>, so the folder is itself a data directory
// a registry can be started on. After each backup the ones older than the
// retention period are deleted (backup_retention.h).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "codec/personal_data.h"
#include "projections/coverage.h"
#include "projections/instant.h"
#include "projections/stream_events.h"
#include "projections/trends.h"
#include "server/api.h"
#include "server/backup_retention.h"
#include "server/command_route.h"
#include "server/http/language.h"
#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view kCsv = "text/csv";

// The CSV body of a report with its header row in the language asked for
// (Accept-Language); the rows are codes.
Response csv_response(RequestContext& ctx, std::string body,
                      const std::map<std::string_view, std::string_view>& headers) {
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/csv; charset=utf-8");
  res.body() = std::move(body);
  const std::string_view lang = answer_language(ctx.request[http::field::accept_language]);
  if (const auto it = headers.find(lang); it != headers.end()) {
    const auto end = res.body().find("\r\n");
    res.body().replace(0, end, it->second);
    res.set(http::field::content_language, lang);
  }
  res.prepare_payload();
  return res;
}

void get_trends(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"from", "to", "granularity", "network", "theme", "known_at"});
  projections::TrendQuery query;
  query.from = q.date("from");
  query.to = q.date("to");
  if (query.from && query.to && *query.to < *query.from) q.fail("from", "must not be after to");
  if (auto g = q.text("granularity")) {
    if (auto parsed = projections::parse_granularity(*g)) {
      query.granularity = *parsed;
    } else {
      q.fail("granularity", "must be month, quarter or year");
    }
  }
  query.network = q.text("network");
  if (query.network == "all") query.network.reset();  // the default, with the national rows
  query.theme = q.text("theme");
  query.known_at_us = q.instant("known_at");
  query.today = today_utc();
  if (!q.ok()) return respond(q.problem());
  const bool csv = negotiate(ctx.request, {kJson, kCsv}) == kCsv;
  // As known at an instant, a meeting changed since is folded again from its
  // events, read back from the log (they hold no personal data).
  const codec::WithoutPersonalData no_personal_data;
  const projections::LogStreamEvents events(api.registry.store(), no_personal_data);
  auto report = api.registry.read_models([&](const projections::ReadModels& m) {
    return projections::compute_trends(m, query, events);
  });
  if (!report) return respond(read_problem(report.error()));
  if (!csv) return respond(json_response(http::status::ok, projections::trends_json(*report)));
  respond(csv_response(
      ctx, projections::trends_csv(*report),
      {{"fi", "jakso,verkosto,mittari,koodi,lukumäärä"}, {"sv", "period,nätverk,mått,kod,antal"}}));
}

void get_coverage(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"as_of", "known_at"});
  const domain::Date as_of = q.date("as_of").value_or(today_utc());
  const std::optional<std::int64_t> known_at_us = q.instant("known_at");
  if (!q.ok()) return respond(q.problem());
  const bool csv = negotiate(ctx.request, {kJson, kCsv}) == kCsv;
  auto report = api.registry.read_models([&](const projections::ReadModels& m) {
    return projections::compute_coverage(m, as_of, known_at_us);
  });
  if (!csv) {
    return respond(json_response(http::status::ok, projections::coverage_json(report, as_of)));
  }
  respond(csv_response(ctx, projections::coverage_csv(report),
                       {{"fi", "verkosto,sektori,jäseniä"}, {"sv", "nätverk,sektor,medlemmar"}}));
}

// "backup-20241101T020000Z"
std::string backup_name(std::int64_t unix_us) {
  const auto seconds = static_cast<std::time_t>(unix_us / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "backup-%Y%m%dT%H%M%SZ", &utc);
  return buf;
}

// Writes one backup; answers its id, position, path and time or a problem.
Response write_backup(const app::Registry& registry, std::optional<json::object>& made) {
  const fs::path data = registry.data_dir();
  const std::int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  std::error_code ec;
  const fs::path root = fs::absolute(data / "backups", ec);
  if (!ec) fs::create_directories(root, ec);
  if (!ec) fs::permissions(root, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return problem_503("the backup directory is not writable: " + ec.message());
  std::string id = backup_name(now_us);
  for (int n = 2; fs::exists(root / id, ec); ++n)
    id = backup_name(now_us) + "-" + std::to_string(n);
  const fs::path dir = root / id;
  if (!fs::create_directory(dir, ec) || ec) {
    return problem_503("the backup directory is not writable: " + ec.message());
  }
  auto position = registry.store().checkpoint((dir / "events").string());
  // The keys beside the log (personal data, audit signing) and the access
  // log of personal-data reads go with it, readable by the owner only.
  for (const char* file : {"master.key", "audit-signing.key", "personal-access.log", "erasures"}) {
    if (!position || ec || !fs::exists(data / file)) continue;
    fs::copy_file(data / file, dir / file, ec);
    if (!ec)
      fs::permissions(dir / file, fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace, ec);
  }
  if (!position || ec) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return problem_503("the backup failed: " +
                       (position ? ec.message() : position.error().message));
  }
  json::object o;
  o["id"] = id;
  o["position"] = *position;
  o["path"] = dir.string();
  o["created_at"] = projections::format_instant(now_us);
  made = o;
  return json_response(http::status::ok, o);
}

void create_backup(ApiContext& api, std::atomic<bool>& running, RequestContext& ctx,
                   Respond respond) {
  ParamReader q(ctx, {});
  if (!q.ok()) return respond(q.problem());
  if (api.registry.data_dir().empty()) {
    return respond(problem_503("no backup directory: the registry keeps its log in memory"));
  }
  const auto& principal = principal_of(ctx);
  std::string key;
  std::string request_hash;
  if (auto refused = begin_idempotent(api, ctx, principal, key, request_hash)) {
    return respond(std::move(*refused));
  }
  if (running.exchange(true)) {
    if (!key.empty()) api.ledger.finish(principal.token_id, key);
    return respond(problem_409("a backup is already running"));
  }
  std::optional<json::object> made;
  Response res = write_backup(api.registry, made);
  if (made) {
    const fs::path root = fs::path(api.registry.data_dir()) / "backups";
    // A failed prune leaves old backups for the next one; the new backup stands.
    (void)prune_backups(root, api.backup_retention_days, eventstore::system_clock_us());
  }
  running = false;
  if (!key.empty()) {
    // A retry with the same key answers this backup again instead of making another.
    if (made) {
      StoredAnswer answer;
      answer.body = *made;
      const auto position = (*made)["position"].to_number<std::uint64_t>();
      answer.body.erase("position");
      api.ledger.record_now(principal.token_id, key, request_hash, answer, 0, position);
    }
    api.ledger.finish(principal.token_id, key);
  }
  respond(std::move(res));
}

}  // namespace

void add_report_routes(Router& router, ApiContext& api) {
  router.add(
      http::verb::get, "/v1/reports/trends",
      [&api](RequestContext& ctx, Respond respond) { get_trends(api, ctx, std::move(respond)); },
      "getTrends");
  router.add(
      http::verb::get, "/v1/reports/coverage",
      [&api](RequestContext& ctx, Respond respond) { get_coverage(api, ctx, std::move(respond)); },
      "getCoverage");
  auto running = std::make_shared<std::atomic<bool>>(false);
  router.add(
      http::verb::post, "/v1/admin/backups",
      [&api, running](RequestContext& ctx, Respond respond) {
        create_backup(api, *running, ctx, std::move(respond));
      },
      "createBackup");
}

}  // namespace ikv::server
