#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ikv::server {

std::optional<std::chrono::seconds> RateLimiter::acquire(const std::string& caller,
                                                         Clock::time_point now) {
  if (limit_.rate_per_second <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(caller, Bucket{limit_.burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(limit_.burst, b.tokens + std::max(0.0, elapsed) * limit_.rate_per_second);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait = (1.0 - b.tokens) / limit_.rate_per_second;
  return std::chrono::seconds(std::max<long>(1, static_cast<long>(std::ceil(wait))));
}

std::optional<std::chrono::seconds> WindowLimiter::acquire(const std::string& caller,
                                                           Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (now - last_prune_ >= window_) {
    last_prune_ = now;
    std::erase_if(seen_, [&](const auto& entry) {
      return entry.second.empty() || now - entry.second.back() >= window_;
    });
  }
  auto& times = seen_[caller];
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
  if (times.size() >= max_) {
    const auto wait = std::chrono::ceil<std::chrono::seconds>(times.front() + window_ - now);
    return std::max(wait, std::chrono::seconds(1));
  }
  times.push_back(now);
  return std::nullopt;
}

}  // namespace ikv::server
