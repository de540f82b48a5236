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

}  // namespace ikv::server
