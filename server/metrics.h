// Metrics: the registry's Prometheus metrics (prometheus-cpp, core only),
// rendered in the text exposition format by our own GET /metrics.
//
//   ikv_http_requests_total{route,method,status}        counter
//   ikv_http_request_duration_seconds{route,method}     histogram
//   ikv_http_open_connections                           gauge
//   ikv_append_group_size                               histogram (events per commit group)
//   ikv_append_sync_seconds                             histogram (one WAL sync per group)
//   ikv_events_stored                                   gauge (head position)
//   ikv_projection_position, ikv_projection_lag_events  gauges
//   ikv_append_groups_total, ikv_appends_total, ikv_append_events_total,
//   ikv_append_write_microseconds_total,
//   ikv_append_sync_microseconds_total                  counters (store totals since open)
//   ikv_store_block_cache_bytes                         gauge (the block cache's usage)
//
// Request metrics are labelled by ROUTE TEMPLATE ("/v1/networks/{id}", or "-"
// when no route matched), never by the raw path, and by a normalised method
// (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, else OTHER), so the number of
// series is bounded by the route table.
//
// Thread-safety: every method is safe from any thread; observe_* are cheap
// (a lookup under a shared lock, then atomic updates).
//
//   auto metrics = std::make_shared<Metrics>();
//   register_routes(router, api, metrics);         // hooks the router and the store
//   metrics->set_connection_source([&] { return http_server.connection_count(); });
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "eventstore/event_store.h"
#include "server/api.h"
#include "server/http/access_log.h"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace ikv::server {

// What /metrics reads from the registry at scrape time.
struct StoreSnapshot {
  std::uint64_t head_position = 0;
  std::uint64_t applied_position = 0;
  eventstore::StoreStats stats{};
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request (the router's observer).
  void observe_request(const AccessRecord& record);
  // One written commit group (the store's group observer).
  void observe_group(const eventstore::CommitGroupStats& group);
  // Where ikv_http_open_connections is read at scrape time.
  void set_connection_source(std::function<std::size_t()> source);

  // Updates the scrape-time gauges and counters from `snapshot` and renders
  // every metric in the text format (version 0.0.4).
  std::string render(const StoreSnapshot& snapshot);

  // The method label for `method`.
  static std::string_view method_label(std::string_view method);

 private:
  using RequestKey = std::tuple<std::string, std::string, unsigned>;  // route, method, status
  using DurationKey = std::pair<std::string, std::string>;            // route, method

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_ = nullptr;
  prometheus::Family<prometheus::Histogram>* durations_ = nullptr;
  prometheus::Gauge* open_connections_ = nullptr;
  prometheus::Histogram* group_size_ = nullptr;
  prometheus::Histogram* sync_seconds_ = nullptr;
  prometheus::Gauge* events_stored_ = nullptr;
  prometheus::Gauge* projection_position_ = nullptr;
  prometheus::Gauge* projection_lag_ = nullptr;
  prometheus::Gauge* block_cache_bytes_ = nullptr;
  prometheus::Counter* groups_total_ = nullptr;
  prometheus::Counter* appends_total_ = nullptr;
  prometheus::Counter* events_total_ = nullptr;
  prometheus::Counter* write_us_total_ = nullptr;
  prometheus::Counter* sync_us_total_ = nullptr;

  // Guarded by series_mu_: the request series created so far.
  std::shared_mutex series_mu_;
  std::map<RequestKey, prometheus::Counter*> request_series_;
  std::map<DurationKey, prometheus::Histogram*> duration_series_;

  // Guarded by scrape_mu_.
  std::mutex scrape_mu_;
  std::function<std::size_t()> connections_;
  eventstore::StoreStats seen_{};  // store totals already added to the counters
};

// A snapshot of `registry` for render().
StoreSnapshot snapshot_of(const app::Registry& registry);

// register_routes() with `metrics`: adds GET /metrics rendering it, and hooks
// it to the router (request observer) and to the registry's store (group
// observer). The caller keeps the handle (e.g. for set_connection_source).
void register_routes(Router& router, ApiContext& api, std::shared_ptr<Metrics> metrics);

// GET /metrics only (public, text/plain; version=0.0.4).
void add_metrics_route(Router& router, ApiContext& api, std::shared_ptr<Metrics> metrics);

}  // namespace ikv::server
