// ServerOptions: everything ikv-server can be told, from flags with
// environment fallbacks (flag > environment > default), and the files compiled
// into the binary.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"
#include "eventstore/event_store.h"
#include "server/http/http_server.h"

namespace ikv::server {

struct ServerOptions {
  // Address and port to listen on (IKV_LISTEN), "host:port"; port 0 picks a free one.
  std::string listen = "127.0.0.1:8080";
  // Data directory (IKV_DATA): the event store, keys and the admin token file.
  std::string data = "./data";
  // io threads (IKV_THREADS); 0 = one per core.
  unsigned threads = 0;
  // sync (IKV_DURABILITY=sync): an acknowledged command survives power loss;
  // async: it survives a crash of the process, not of the machine.
  eventstore::Durability durability = eventstore::Durability::kSync;
  // The demo data loaded into an empty registry (--demo, IKV_DEMO): "full"
  // (demo/facts.json, then demo/illustrative.json), "facts" (the bulletin's
  // facts only) or "none". --no-demo (IKV_NO_DEMO=1) is "none".
  std::string demo = "full";
  // Request body limit in bytes (IKV_BODY_LIMIT).
  std::uint64_t body_limit = std::uint64_t{1024} * 1024;
  // Connections served at once (IKV_MAX_CONNECTIONS).
  std::size_t max_connections = 1024;
  // Streams whose decider state the sequencer keeps (IKV_STATE_CACHE_STREAMS).
  std::size_t state_cache_streams = 4096;
  // Fold every network's decider state in the background once ready
  // (IKV_WARM_STATES); false: each on its first command.
  bool warm_states = true;
  // Events between background snapshots (IKV_SNAPSHOT_EVERY); 0: only on close.
  std::uint64_t snapshot_every = 50'000;
  // Seconds a keep-alive connection may idle (IKV_IDLE_TIMEOUT).
  unsigned idle_timeout_s = 60;
  // Seconds allowed for a request header (IKV_HEADER_TIMEOUT).
  unsigned header_timeout_s = 10;
  // Seconds in-flight requests get to finish on SIGINT/SIGTERM (IKV_SHUTDOWN_GRACE).
  unsigned shutdown_grace_s = 10;
  // Requests per second per token (IKV_RATE_LIMIT); 0 = no limit.
  double rate_limit = 200;
  // Requests a token may make at once (IKV_RATE_BURST).
  double rate_burst = 1000;
  // trace, debug, info, warn, error (IKV_LOG_LEVEL).
  std::string log_level = "info";
  // Log lines as text or one JSON object per line (IKV_LOG_FORMAT).
  std::string log_format = "text";
  // Restore this backup directory into --data, verify it and exit.
  std::string restore;
  // With --restore: replace a non-empty <data>/events and a different master key.
  bool force = false;
  // With --restore: the master key file to use when the backup holds none.
  std::string master_key;
  // With --restore: the live data directory whose erasure list is applied to
  // the restored copy; empty: the data directory the backup lies in.
  std::string live_data;
  // Backups older than this many days are deleted (IKV_BACKUP_RETENTION_DAYS); 0 keeps all.
  unsigned backup_retention_days = 30;
  // Join requests one remote address may make in any hour (IKV_JOIN_REQUESTS_PER_HOUR).
  unsigned join_requests_per_hour = 5;
  // Seconds a join request may wait for an answer (IKV_JOIN_REQUEST_MAX_AGE); 90 days.
  std::int64_t join_request_max_age_s = std::int64_t{90} * 86400;
  // Seconds between sweeps for expired join requests (IKV_JOIN_REQUEST_SWEEP).
  unsigned join_request_sweep_s = 3600;
  // Write the bound port to this file once listening (for tests and scripts).
  std::string port_file;
  // Print "METHOD /path operationId" for every route and exit.
  bool print_routes = false;
};

// Parses argv (and the environment). Returns the options, or nullopt with the
// exit code when the process should stop (--help: 0; a bad option: 2).
std::variant<ServerOptions, int> parse_server_options(int argc, char** argv);

// The HTTP part of the options. Errors: a bad --listen value.
Result<HttpOptions> http_options(const ServerOptions& options);

// Files compiled into the binary (server/embed.cmake).
std::string_view embedded_openapi();
// demo/facts.json and demo/illustrative.json (format in demo/README.md).
std::string_view embedded_demo_facts();
std::string_view embedded_demo_illustrative();

}  // namespace ikv::server
