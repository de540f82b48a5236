// The expiry of join requests: a request not answered within the maximum age
// (90 days; --join-request-max-age) is erased by crypto-shredding, its key
// destroyed and JoinRequestExpired recorded (Registry::close_join_request).
// Time is the server's clock: checked on start and then every
// --join-request-sweep seconds, like backup retention on start; the rule
// itself (JoinRequest::is_due) is the domain's and is tested with a given
// clock.
//
// Thread-safety: expire_join_requests() may run on any thread; the sweeper
// owns one thread, started by its constructor and joined by stop().
//
//   JoinRequestSweeper sweeper(registry, {.max_age_us = ..., .every = 1h});
//   ...
//   sweeper.stop();   // before the registry closes
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "app/registry.h"

namespace ikv::server {

// Expires every pending join request received at least `max_age_us` before
// `now_us`, one after another, and returns how many it expired. One that
// cannot be expired now is logged (its id and why, never personal data) and
// tried again by the next sweep.
std::size_t expire_join_requests(app::Registry& registry, std::int64_t now_us,
                                 std::int64_t max_age_us);

struct SweepOptions {
  std::int64_t max_age_us = 0;
  std::chrono::seconds every{3600};
  std::function<std::int64_t()> clock;  // UTC microseconds; default: the system clock
};

class JoinRequestSweeper {
 public:
  // Starts the thread, which sweeps at once and then every `options.every`.
  // REQUIRES: `registry` outlives stop().
  JoinRequestSweeper(app::Registry& registry, SweepOptions options);
  ~JoinRequestSweeper();
  JoinRequestSweeper(const JoinRequestSweeper&) = delete;
  JoinRequestSweeper& operator=(const JoinRequestSweeper&) = delete;
  JoinRequestSweeper(JoinRequestSweeper&&) = delete;
  JoinRequestSweeper& operator=(JoinRequestSweeper&&) = delete;

  // Ends the thread after the sweep in progress, if any. Idempotent.
  void stop();

 private:
  void loop();

  app::Registry& registry_;
  const SweepOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace ikv::server
