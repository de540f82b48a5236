#include "server/rate_limiter.h"

#include <gtest/gtest.h>

namespace ikv::server {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, AllowsABurstThenAsksToWait) {
  RateLimiter limiter({.rate_per_second = 2, .burst = 3});
  const auto t0 = RateLimiter::Clock::time_point{};
  EXPECT_FALSE(limiter.acquire("a", t0));
  EXPECT_FALSE(limiter.acquire("a", t0));
  EXPECT_FALSE(limiter.acquire("a", t0));
  auto wait = limiter.acquire("a", t0);
  ASSERT_TRUE(wait);
  EXPECT_GE(wait->count(), 1);
}

TEST(RateLimiter, RefillsAtTheSustainedRate) {
  RateLimiter limiter({.rate_per_second = 2, .burst = 1});
  const auto t0 = RateLimiter::Clock::time_point{};
  EXPECT_FALSE(limiter.acquire("a", t0));
  EXPECT_TRUE(limiter.acquire("a", t0 + milliseconds(100)));
  EXPECT_FALSE(limiter.acquire("a", t0 + milliseconds(700)));
}

TEST(RateLimiter, KeepsOneBucketPerCaller) {
  RateLimiter limiter({.rate_per_second = 1, .burst = 1});
  const auto t0 = RateLimiter::Clock::time_point{};
  EXPECT_FALSE(limiter.acquire("a", t0));
  EXPECT_TRUE(limiter.acquire("a", t0));
  EXPECT_FALSE(limiter.acquire("b", t0));
}

TEST(RateLimiter, ZeroRateMeansNoLimit) {
  RateLimiter limiter({.rate_per_second = 0, .burst = 1});
  const auto t0 = RateLimiter::Clock::time_point{};
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.acquire("a", t0));
}

}  // namespace
}  // namespace ikv::server
