// ikv-server: wiring and signals. Opens the registry on the data directory,
// makes sure an admin token exists, loads the demo data into an empty
// registry, serves the REST API, and shuts down gracefully on SIGINT/SIGTERM:
// stop accepting, let in-flight requests finish, write the access log's last
// batch, drain the writer, close the store.
// With --restore it restores a backup into the data directory, verifies it
// and exits instead.
#include <fcntl.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX sigwait, pthread_sigmask
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string_view>

#include "app/free_memory.h"
#include "app/registry.h"
#include "server/api.h"
#include "server/backup_retention.h"
#include "server/demo_loader.h"
#include "server/http/access_log.h"
#include "server/http/http_server.h"
#include "server/join_request_sweep.h"
#include "server/metrics.h"
#include "server/restore.h"
#include "server/server_options.h"

namespace {

using namespace ikv;  // NOLINT(google-build-using-namespace): .cc only

// Writes the generated admin secret to a file only its owner can read.
bool write_secret_file(const std::string& path, const std::string& secret) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const std::string line = secret + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Every connection holds a descriptor: raises the soft limit to the hard one
// and keeps max_connections under what is left after the store's own files,
// so that over the limit clients get the documented 503 instead of never
// being accepted.
void fit_connection_limit(server::HttpOptions& http) {
  constexpr rlim_t kReserved = 256;  // RocksDB files, the listener, logs
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  if (lim.rlim_cur == RLIM_INFINITY) return;
  const std::size_t room =
      lim.rlim_cur > 2 * kReserved ? lim.rlim_cur - kReserved : lim.rlim_cur / 2;
  if (http.max_connections > room) {
    spdlog::warn("--max-connections {} lowered to {}: the process may open {} files",
                 http.max_connections, room, lim.rlim_cur);
    http.max_connections = room;
  }
}

// The route table, as docs/openapi.yaml lists operations.
int print_routes() {
  auto registry = app::Registry::open({});
  if (!registry) return 1;
  server::IdempotencyLedger ledger(**registry, eventstore::system_clock_us);
  server::ApiContext api{**registry, ledger, {}, nullptr};
  server::Router router;
  server::register_routes(router, api);
  std::vector<std::string> lines;
  for (const auto& r : router.routes()) {
    lines.push_back(std::string(boost::beast::http::to_string(r.method)) + " " + r.path_template +
                    " " + r.operation_id);
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines) std::printf("%s\n", l.c_str());
  return 0;
}

void setup_logging(const server::ServerOptions& options) {
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  if (options.log_format == "json") {
    server::set_log_format(server::LogFormat::kJson);
    spdlog::set_formatter(server::make_json_formatter());
  }
}

// --restore: restore, verify, print the summary on stdout; 0 only when verified.
int restore(const server::ServerOptions& options) {
  auto summary = server::restore_backup({.backup_dir = options.restore,
                                         .data_dir = options.data,
                                         .master_key = options.master_key,
                                         .force = options.force,
                                         .live_data_dir = options.live_data});
  if (!summary) {
    spdlog::error("restore of {} into {} failed: {}", options.restore, options.data,
                  summary.error().message);
    return 1;
  }
  std::cout << server::summary_text(*summary) << std::flush;
  if (!summary->problem.empty()) {
    spdlog::error("restore of {} into {} does not verify: {}", options.restore, options.data,
                  summary->problem);
    return 1;
  }
  spdlog::info("restored {} into {}: {} events, head {}, hash chain ok", options.restore,
               options.data, summary->events, summary->head_position);
  return 0;
}

int run(const server::ServerOptions& options) {
  if (options.print_routes) return print_routes();
  setup_logging(options);
  if (!options.restore.empty()) return restore(options);
  auto http = server::http_options(options);
  if (!http) {
    spdlog::error("{}", http.error().message);
    return 2;
  }
  fit_connection_limit(*http);

  // Signals are taken by sigwait in this thread only.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto registry =
      app::Registry::open({.data_dir = options.data,
                           .durability = options.durability,
                           .state_cache_streams = options.state_cache_streams,
                           .snapshot_every_events = options.snapshot_every,
                           .on_warning = [](const std::string& w) { spdlog::warn("{}", w); }});
  if (!registry) {
    spdlog::error("cannot open the registry in {}: {}", options.data, registry.error().message);
    return 1;
  }
  auto& reg = **registry;
  const bool empty = reg.store().head_position() == 0;
  {
    const auto& r = reg.open_report();
    spdlog::info(
        "registry open in {}: {} events; snapshot at {}, {} events replayed, {:.3f} s (store "
        "{:.3f} s, snapshot {:.3f} s)",
        options.data, reg.store().head_position(), r.snapshot_position, r.replayed_events,
        r.seconds, r.store_seconds, r.snapshot_seconds);
  }

  // Fail-stop: a registry stopped at an event it cannot read takes no command
  // (no admin token, no demo data) but serves, so /readyz can say why.
  const auto stopped = reg.apply_failure();
  if (stopped) {
    spdlog::error(
        "the registry stopped applying its log at {}; it serves reads as of position {} "
        "and refuses commands until this is repaired",
        stopped->reason, reg.applied_position());
  }

  // The first admin token.
  std::optional<std::string> env_token;
  if (const char* t = std::getenv("IKV_ADMIN_TOKEN"); t != nullptr && *t != '\0') env_token = t;
  auto admin = stopped ? Result<std::optional<std::string>>(std::optional<std::string>())
                       : reg.bootstrap_admin(env_token);
  if (!admin) {
    spdlog::error("{}", admin.error().message);
    return 1;
  }
  if (admin->has_value() && !env_token) {
    const std::string path = (std::filesystem::path(options.data) / "admin.token").string();
    if (!write_secret_file(path, **admin)) {
      spdlog::error("cannot write the admin token to {}", path);
      return 1;
    }
    spdlog::info("admin token written to {} (mode 0600)", path);
  } else if (admin->has_value()) {
    spdlog::info("admin token from IKV_ADMIN_TOKEN registered");
  }

  // The personal-data access log, beside the event log (never in it).
  const std::string access_path =
      (std::filesystem::path(options.data) / "personal-access.log").string();
  auto access_log = server::PersonalAccessLog::open(
      {.path = access_path, .on_warning = [](const std::string& w) { spdlog::warn("{}", w); }});
  if (!access_log) {
    spdlog::error("cannot open the access log: {}", access_log.error().message);
    return 1;
  }

  server::IdempotencyLedger ledger(reg, eventstore::system_clock_us);
  std::atomic<bool> ready{false};
  auto checkpoints = app::AuditCheckpoints::open(
      reg.store(), options.data,
      {.on_warning = [](const std::string& w) { spdlog::warn("{}", w); }});
  if (!checkpoints) {
    spdlog::error("cannot open the audit signing key in {}: {}", options.data,
                  checkpoints.error().message);
    return 1;
  }
  server::ApiContext api{reg,
                         ledger,
                         std::string(server::embedded_openapi()),
                         &ready,
                         {.rate_per_second = options.rate_limit, .burst = options.rate_burst}};
  api.access_log = access_log->get();
  api.checkpoints = std::move(*checkpoints);
  api.backup_retention_days = options.backup_retention_days;
  api.join_requests_per_hour = options.join_requests_per_hour;
  if (auto pruned =
          server::prune_backups(std::filesystem::path(options.data) / "backups",
                                options.backup_retention_days, eventstore::system_clock_us());
      !pruned) {
    spdlog::warn("old backups could not all be deleted: {}", pruned.error().message);
  } else if (!pruned->empty()) {
    spdlog::info("{} backups older than {} days deleted", pruned->size(),
                 options.backup_retention_days);
  }
  server::Router router;
  auto metrics = std::make_shared<server::Metrics>();
  server::register_routes(router, api, metrics);

  if (empty && options.demo != "none" && !stopped) {
    const std::array<server::DemoPart, 2> parts{
        server::DemoPart{"facts.json", server::embedded_demo_facts()},
        server::DemoPart{"illustrative.json", server::embedded_demo_illustrative()}};
    const std::size_t count = options.demo == "facts" ? 1 : 2;
    auto loaded =
        server::load_demo_data(reg, router, std::span<const server::DemoPart>(parts.data(), count));
    if (!loaded) {
      spdlog::error("demo data: {}", loaded.error().message);
      return 1;
    }
    spdlog::info("demo data ({}) loaded: {} requests as demo-loader", options.demo, *loaded);
  }

  server::HttpServer http_server(*http, router.handler());
  if (auto s = http_server.start(); !s) {
    spdlog::error("cannot listen on {}: {}", options.listen, s.error().message);
    return 1;
  }
  metrics->set_connection_source([&http_server] { return http_server.connection_count(); });
  // Join requests not answered in time: checked now and every sweep interval.
  server::JoinRequestSweeper sweeper(reg,
                                     {.max_age_us = options.join_request_max_age_s * 1'000'000,
                                      .every = std::chrono::seconds(options.join_request_sweep_s),
                                      .clock = {}});
  // What the snapshot's load freed (arrays outgrown on the way) goes back
  // before the server says it is ready.
  const std::string_view allocator = app::release_free_memory();
  spdlog::debug("free memory given back ({})", allocator);
  ready = true;
  if (options.warm_states && !stopped) reg.start_warming();
  spdlog::info("listening on {}:{}", http->address, http_server.port());
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file) << http_server.port() << "\n";
  }

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("signal {}: shutting down", sig);
  ready = false;
  http_server.stop(std::chrono::seconds(options.shutdown_grace_s));
  metrics->set_connection_source({});
  sweeper.stop();
  (*access_log)->close();
  api.checkpoints->close();
  reg.close();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = ikv::server::parse_server_options(argc, argv);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  return run(std::get<ikv::server::ServerOptions>(parsed));
}
