#include "server/join_request_sweep.h"

#include <future>

#include <spdlog/spdlog.h>

#include "domain/network_commands.h"
#include "eventstore/event_store.h"
#include "projections/join_requests.h"

namespace ikv::server {

std::size_t expire_join_requests(app::Registry& registry, std::int64_t now_us,
                                 std::int64_t max_age_us) {
  const auto due = registry.read_models([&](const projections::ReadModels& m) {
    return m.get<projections::JoinRequests>().due(now_us, max_age_us);
  });
  std::size_t expired = 0;
  for (const auto& [network, id] : due) {
    app::CommandMeta meta;
    meta.actor = "join-request-expiry";
    meta.request_id = "join-request-expiry";
    std::promise<app::CommandResult> promise;
    auto future = promise.get_future();
    registry.close_join_request(
        id, domain::ExpireJoinRequest{id, now_us, max_age_us}, std::move(meta),
        [&promise](app::CommandResult r) { promise.set_value(std::move(r)); });
    const app::CommandResult r = future.get();
    if (const auto* f = std::get_if<app::CommandFailure>(&r)) {
      spdlog::warn("join request {} of network {} could not be expired now: {}", id, network,
                   f->message);
      continue;
    }
    ++expired;
  }
  return expired;
}

JoinRequestSweeper::JoinRequestSweeper(app::Registry& registry, SweepOptions options)
    : registry_(registry), options_(std::move(options)) {
  thread_ = std::thread([this] { loop(); });
}

JoinRequestSweeper::~JoinRequestSweeper() { stop(); }

void JoinRequestSweeper::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JoinRequestSweeper::loop() {
  for (;;) {
    const std::int64_t now = options_.clock ? options_.clock() : eventstore::system_clock_us();
    if (const std::size_t n = expire_join_requests(registry_, now, options_.max_age_us); n > 0) {
      spdlog::info("{} join requests not answered in time were erased", n);
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, options_.every, [this] { return stopping_; })) return;
  }
}

}  // namespace ikv::server
