#include "server/server_options.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <iostream>

namespace ikv::server {

std::variant<ServerOptions, int> parse_server_options(int argc, char** argv) {
  ServerOptions o;
  std::string durability = "sync";
  CLI::App app{
      "ikv-server: the IKV network registry, an event-sourced REST service.\n"
      "Every option can also be set by the environment variable named in brackets;\n"
      "a flag wins over the environment."};
  app.add_option("--listen", o.listen,
                 "Address and port to listen on, host:port (0 = any free port)")
      ->envname("IKV_LISTEN")
      ->capture_default_str();
  app.add_option("--data", o.data, "Data directory: event log, keys, admin token file")
      ->envname("IKV_DATA")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "HTTP io threads (0 = one per core)")
      ->envname("IKV_THREADS")
      ->capture_default_str();
  app.add_option("--durability", durability,
                 "sync: a 2xx answer survives power loss (WAL fsync per commit group);\n"
                 "async: it survives a crash of the process only (bulk loads)")
      ->envname("IKV_DURABILITY")
      ->check(CLI::IsMember({"sync", "async"}))
      ->capture_default_str();
  app.add_option("--demo", o.demo,
                 "Demo data loaded into an empty registry: full (the bulletin's facts, then\n"
                 "illustrative members and examples), facts (the facts only) or none")
      ->envname("IKV_DEMO")
      ->check(CLI::IsMember({"full", "facts", "none"}))
      ->capture_default_str();
  bool no_demo = false;
  app.add_flag("--no-demo", no_demo, "Same as --demo none")->envname("IKV_NO_DEMO");
  app.add_option("--body-limit", o.body_limit, "Largest request body in bytes (413 above)")
      ->envname("IKV_BODY_LIMIT")
      ->check(CLI::Range(std::uint64_t{1024}, std::uint64_t{64} << 20))
      ->capture_default_str();
  app.add_option("--max-connections", o.max_connections, "Connections served at once (503 above)")
      ->envname("IKV_MAX_CONNECTIONS")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--state-cache-streams", o.state_cache_streams,
                 "Streams whose decider state is kept in memory (least recently used out; a miss\n"
                 "folds the stream from its own events)")
      ->envname("IKV_STATE_CACHE_STREAMS")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--warm-states", o.warm_states,
                 "Fold the decider states of the networks, the national findings and the\n"
                 "taxonomy in the background once ready, so that no first command waits for\n"
                 "its fold")
      ->envname("IKV_WARM_STATES")
      ->capture_default_str();
  app.add_option("--snapshot-every", o.snapshot_every,
                 "Events between two snapshots of the read models, written in the background\n"
                 "to <data>/snapshots (0: only on a clean stop)")
      ->envname("IKV_SNAPSHOT_EVERY")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1'000'000'000}))
      ->capture_default_str();
  app.add_option("--idle-timeout", o.idle_timeout_s, "Seconds a keep-alive connection may idle")
      ->envname("IKV_IDLE_TIMEOUT")
      ->check(CLI::Range(1u, 3600u))
      ->capture_default_str();
  app.add_option("--header-timeout", o.header_timeout_s, "Seconds allowed to send a request header")
      ->envname("IKV_HEADER_TIMEOUT")
      ->check(CLI::Range(1u, 600u))
      ->capture_default_str();
  app.add_option("--shutdown-grace", o.shutdown_grace_s,
                 "Seconds in-flight requests get to finish on SIGINT/SIGTERM")
      ->envname("IKV_SHUTDOWN_GRACE")
      ->check(CLI::Range(0u, 600u))
      ->capture_default_str();
  app.add_option("--rate-limit", o.rate_limit,
                 "Requests per second per token (0 = no limit; 429 above)")
      ->envname("IKV_RATE_LIMIT")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--rate-burst", o.rate_burst, "Requests a token may make at once")
      ->envname("IKV_RATE_BURST")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn or error")
      ->envname("IKV_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--log-format", o.log_format,
                 "text: human-readable lines; json: one JSON object per line (ts, level,\n"
                 "logger, msg; requests: request_id, method, route, status, duration_ms,\n"
                 "bytes, token, remote)")
      ->envname("IKV_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  auto* restore = app.add_option(
      "--restore", o.restore,
      "Restore this backup (a directory made by POST /v1/admin/backups) into --data,\n"
      "verify the hash chain and the personal data, print a summary and exit\n"
      "(0: restored and verified)");
  app.add_flag("--force", o.force,
               "With --restore: replace a non-empty <data>/events and a different master key")
      ->needs(restore);
  app.add_option("--master-key", o.master_key,
                 "With --restore: the master key file, when the backup holds none")
      ->needs(restore);
  app.add_option("--live-data", o.live_data,
                 "With --restore: the live data directory whose erasure list is applied to the\n"
                 "restored copy (default: the data directory the backup lies in, when it has one)")
      ->needs(restore);
  app.add_option("--backup-retention-days", o.backup_retention_days,
                 "Delete backups under <data>/backups older than this many days, on start and\n"
                 "after each backup (0: keep every backup)")
      ->envname("IKV_BACKUP_RETENTION_DAYS")
      ->check(CLI::Range(0u, 36500u))
      ->capture_default_str();
  app.add_option("--join-requests-per-hour", o.join_requests_per_hour,
                 "Join requests (POST /v1/join-requests, no token) one remote address may make\n"
                 "in any hour (429 above)")
      ->envname("IKV_JOIN_REQUESTS_PER_HOUR")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  app.add_option("--join-request-max-age", o.join_request_max_age_s,
                 "Seconds a join request may wait for an answer before it is erased by\n"
                 "crypto-shredding (default 90 days)")
      ->envname("IKV_JOIN_REQUEST_MAX_AGE")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3650} * 86400))
      ->capture_default_str();
  app.add_option("--join-request-sweep", o.join_request_sweep_s,
                 "Seconds between the checks for expired join requests (also run on start)")
      ->envname("IKV_JOIN_REQUEST_SWEEP")
      ->check(CLI::Range(1u, 86400u))
      ->capture_default_str();
  app.add_option("--port-file", o.port_file, "Write the bound port to this file once listening");
  app.add_flag("--print-routes", o.print_routes,
               "Print every route (METHOD /path operationId) and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, std::cout, std::cerr) == 0 ? 0 : 2;
  }
  if (no_demo) o.demo = "none";
  o.durability =
      durability == "async" ? eventstore::Durability::kAsync : eventstore::Durability::kSync;
  return o;
}

Result<HttpOptions> http_options(const ServerOptions& o) {
  HttpOptions h;
  const auto colon = o.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error{ErrorCode::kInvalidArgument, "--listen must be host:port", {}};
  }
  std::string host = o.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port = o.listen.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return Error{ErrorCode::kInvalidArgument, "--listen has a bad port", {}};
  }
  h.address = host;
  h.port = static_cast<std::uint16_t>(value);
  h.threads = o.threads;
  h.body_limit = o.body_limit;
  h.max_connections = o.max_connections;
  h.idle_timeout = std::chrono::seconds(o.idle_timeout_s);
  h.header_timeout = std::chrono::seconds(o.header_timeout_s);
  return h;
}

}  // namespace ikv::server
