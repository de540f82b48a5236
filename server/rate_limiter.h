// RateLimiter: a token bucket per caller (API.md: 429 with Retry-After; the
// default allows 200 requests/s per token with bursts of 1,000).
//
// Thread-safety: acquire() is safe from any thread (buckets under mu_).
//
//   RateLimiter limiter({.rate_per_second = 200, .burst = 1000});
//   if (auto wait = limiter.acquire(token_id, now)) return problem_429(*wait);
#pragma once

#include <chrono>
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

}  // namespace ikv::server
