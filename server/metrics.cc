#include "server/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>

namespace ikv::server {
namespace {

const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries b{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return b;
}

const prometheus::Histogram::BucketBoundaries& group_size_buckets() {
  static const prometheus::Histogram::BucketBoundaries b{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  return b;
}

const prometheus::Histogram::BucketBoundaries& sync_buckets() {
  static const prometheus::Histogram::BucketBoundaries b{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
  return b;
}

// Adds `now - seen` to `counter` and remembers `now` (store totals only grow).
void catch_up(prometheus::Counter& counter, std::uint64_t now, std::uint64_t& seen) {
  if (now > seen) counter.Increment(static_cast<double>(now - seen));
  seen = std::max(seen, now);
}

}  // namespace

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& reg = *registry_;
  requests_ = &prometheus::BuildCounter()
                   .Name("ikv_http_requests_total")
                   .Help("HTTP requests answered, by route template, method and status.")
                   .Register(reg);
  durations_ = &prometheus::BuildHistogram()
                    .Name("ikv_http_request_duration_seconds")
                    .Help(
                        "Time from reading a request to handing over its answer, by route "
                        "template and method.")
                    .Register(reg);
  open_connections_ = &prometheus::BuildGauge()
                           .Name("ikv_http_open_connections")
                           .Help("Open HTTP connections, including those being refused.")
                           .Register(reg)
                           .Add({});
  group_size_ = &prometheus::BuildHistogram()
                     .Name("ikv_append_group_size")
                     .Help("Events written per commit group (one sync each).")
                     .Register(reg)
                     .Add({}, group_size_buckets());
  sync_seconds_ = &prometheus::BuildHistogram()
                       .Name("ikv_append_sync_seconds")
                       .Help("Time to write and sync one commit group.")
                       .Register(reg)
                       .Add({}, sync_buckets());
  events_stored_ = &prometheus::BuildGauge()
                        .Name("ikv_events_stored")
                        .Help("Position of the last event in the log.")
                        .Register(reg)
                        .Add({});
  projection_position_ = &prometheus::BuildGauge()
                              .Name("ikv_projection_position")
                              .Help("Position the read models have applied.")
                              .Register(reg)
                              .Add({});
  projection_lag_ = &prometheus::BuildGauge()
                         .Name("ikv_projection_lag_events")
                         .Help("Events in the log the read models have not applied yet.")
                         .Register(reg)
                         .Add({});
  block_cache_bytes_ = &prometheus::BuildGauge()
                            .Name("ikv_store_block_cache_bytes")
                            .Help(
                                "Bytes in the store's block cache: cached blocks and the "
                                "memtables' reservations.")
                            .Register(reg)
                            .Add({});
  groups_total_ = &prometheus::BuildCounter()
                       .Name("ikv_append_groups_total")
                       .Help("Commit groups written (one sync each) since the store opened.")
                       .Register(reg)
                       .Add({});
  appends_total_ = &prometheus::BuildCounter()
                        .Name("ikv_appends_total")
                        .Help("Append requests completed in commit groups since the store opened.")
                        .Register(reg)
                        .Add({});
  events_total_ = &prometheus::BuildCounter()
                       .Name("ikv_append_events_total")
                       .Help("Events written since the store opened.")
                       .Register(reg)
                       .Add({});
  write_us_total_ = &prometheus::BuildCounter()
                         .Name("ikv_append_write_microseconds_total")
                         .Help(
                             "Time spent writing commit batches (log and memtables, without "
                             "the sync) since the store opened.")
                         .Register(reg)
                         .Add({});
  sync_us_total_ = &prometheus::BuildCounter()
                        .Name("ikv_append_sync_microseconds_total")
                        .Help(
                            "Time spent syncing the log for commit groups since the store "
                            "opened.")
                        .Register(reg)
                        .Add({});
}

Metrics::~Metrics() = default;

std::string_view Metrics::method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown{"GET",   "HEAD",   "POST",   "PUT",
                                                          "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view m : kKnown) {
    if (m == method) return m;
  }
  return "OTHER";
}

void Metrics::observe_request(const AccessRecord& r) {
  const std::string_view method = method_label(r.method);
  const std::string route(r.route.empty() ? kNoRoute : r.route);
  RequestKey rkey{route, std::string(method), r.status};
  DurationKey dkey{route, std::string(method)};
  prometheus::Counter* counter = nullptr;
  prometheus::Histogram* histogram = nullptr;
  {
    std::shared_lock lock(series_mu_);
    if (auto it = request_series_.find(rkey); it != request_series_.end()) counter = it->second;
    if (auto it = duration_series_.find(dkey); it != duration_series_.end()) histogram = it->second;
  }
  if (counter == nullptr || histogram == nullptr) {
    std::unique_lock lock(series_mu_);
    auto& c = request_series_[rkey];
    if (c == nullptr) {
      c = &requests_->Add({{"route", route},
                           {"method", std::string(method)},
                           {"status", std::to_string(r.status)}});
    }
    auto& h = duration_series_[dkey];
    if (h == nullptr) {
      h = &durations_->Add({{"route", route}, {"method", std::string(method)}}, duration_buckets());
    }
    counter = c;
    histogram = h;
  }
  counter->Increment();
  histogram->Observe(static_cast<double>(r.duration_us) / 1e6);
}

void Metrics::observe_group(const eventstore::CommitGroupStats& g) {
  group_size_->Observe(static_cast<double>(g.events));
  sync_seconds_->Observe(static_cast<double>(g.sync_us) / 1e6);
}

void Metrics::set_connection_source(std::function<std::size_t()> source) {
  std::lock_guard lock(scrape_mu_);
  connections_ = std::move(source);
}

std::string Metrics::render(const StoreSnapshot& s) {
  {
    std::lock_guard lock(scrape_mu_);
    if (connections_) open_connections_->Set(static_cast<double>(connections_()));
    events_stored_->Set(static_cast<double>(s.head_position));
    projection_position_->Set(static_cast<double>(s.applied_position));
    projection_lag_->Set(s.head_position > s.applied_position
                             ? static_cast<double>(s.head_position - s.applied_position)
                             : 0.0);
    block_cache_bytes_->Set(static_cast<double>(s.stats.block_cache_bytes));
    catch_up(*groups_total_, s.stats.groups, seen_.groups);
    catch_up(*appends_total_, s.stats.appends, seen_.appends);
    catch_up(*events_total_, s.stats.events, seen_.events);
    catch_up(*write_us_total_, s.stats.write_us, seen_.write_us);
    catch_up(*sync_us_total_, s.stats.sync_us, seen_.sync_us);
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

StoreSnapshot snapshot_of(const app::Registry& registry) {
  StoreSnapshot s;
  // Applied first: the lag is then never negative for a consistent store.
  s.applied_position = registry.applied_position();
  s.head_position = registry.store().head_position();
  s.stats = registry.store().stats();
  return s;
}

}  // namespace ikv::server
