// RateLimiter: a token bucket per caller (API.md: 429 with Retry-After; the
// default allows 200 requests/s per token with bursts of 1,000).
// WindowLimiter: at most N requests per caller in any window (a sliding log),
// for the routes without a token (POST /v1/join-requests: 5 per remote
// address per hour).
//
// Thread-safety: acquire() is safe from any thread (buckets under mu_).
//
//   RateLimiter limiter({.rate_per_second = 200, .burst = 1000});
//   if (auto wait = limiter.acquire(token_id, now)) return problem_429(*wait);
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ikv::server {

struct RateLimit {
  double rate_per_second = 200;  // sustained requests per second per caller; 0 = no limit
  double burst = 1000;           // requests a caller may make at once
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Takes one request from `caller`'s bucket. Returns std::nullopt when
  // allowed, else how long to wait before the next request is allowed.
  std::optional<std::chrono::seconds> acquire(const std::string& caller, Clock::time_point now);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  const RateLimit limit_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

// At most `max` acquisitions per caller in any `window`: a caller's instants
// within the window are kept, so the answer is exact (not a bucket's
// average). Callers whose instants have all left the window are forgotten.
//
//   WindowLimiter limiter(5, std::chrono::hours(1));
//   if (auto wait = limiter.acquire(ip, now)) return problem_429(*wait);
class WindowLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  WindowLimiter(std::size_t max, Clock::duration window) : max_(max), window_(window) {}

  // Counts one request of `caller` at `now`. Returns std::nullopt when allowed,
  // else how long until the oldest of its requests leaves the window (at least
  // one second); a refused request is not counted.
  std::optional<std::chrono::seconds> acquire(const std::string& caller, Clock::time_point now);

 private:
  const std::size_t max_;
  const Clock::duration window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> seen_;  // guarded by mu_
  Clock::time_point last_prune_{};                                       // guarded by mu_
};

}  // namespace ikv::server
