#include "server/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <vector>

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

// --- WindowLimiter: at most N per caller in any window ---------------------

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(WindowLimiter, AllowsFiveInAnHourThenSaysWhenTheOldestLeaves) {
  WindowLimiter limiter(5, hours(1));
  const auto t0 = WindowLimiter::Clock::time_point{} + hours(100);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.acquire("10.0.0.1", t0 + minutes(i)));
  auto wait = limiter.acquire("10.0.0.1", t0 + minutes(10));
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, minutes(50));  // the first request (at t0) leaves the window at t0 + 1 h
}

TEST(WindowLimiter, ARefusedRequestIsNotCounted) {
  WindowLimiter limiter(2, hours(1));
  const auto t0 = WindowLimiter::Clock::time_point{} + hours(100);
  EXPECT_FALSE(limiter.acquire("a", t0));
  EXPECT_FALSE(limiter.acquire("a", t0));
  for (int i = 1; i <= 50; ++i) EXPECT_TRUE(limiter.acquire("a", t0 + minutes(i)));
  // Refusals did not extend the window: both slots come back one hour after t0.
  EXPECT_FALSE(limiter.acquire("a", t0 + hours(1)));
  EXPECT_FALSE(limiter.acquire("a", t0 + hours(1)));
  EXPECT_TRUE(limiter.acquire("a", t0 + hours(1)));
}

TEST(WindowLimiter, SlidesRatherThanResettingOnTheHour) {
  WindowLimiter limiter(2, hours(1));
  const auto t0 = WindowLimiter::Clock::time_point{} + hours(100);
  EXPECT_FALSE(limiter.acquire("a", t0 + minutes(59)));
  EXPECT_FALSE(limiter.acquire("a", t0 + minutes(61)));
  // A fixed window starting at t0 + 1 h would allow this one; the sliding
  // window still holds both requests.
  EXPECT_TRUE(limiter.acquire("a", t0 + minutes(62)));
  EXPECT_FALSE(limiter.acquire("a", t0 + minutes(59) + hours(1)));
}

TEST(WindowLimiter, WaitIsAtLeastOneSecond) {
  WindowLimiter limiter(1, seconds(10));
  const auto t0 = WindowLimiter::Clock::time_point{} + hours(1);
  EXPECT_FALSE(limiter.acquire("a", t0));
  auto wait = limiter.acquire("a", t0 + seconds(10) - milliseconds(1));
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, seconds(1));
}

TEST(WindowLimiter, KeepsCallersApartAndForgetsIdleOnes) {
  WindowLimiter limiter(1, hours(1));
  const auto t0 = WindowLimiter::Clock::time_point{} + hours(100);
  EXPECT_FALSE(limiter.acquire("a", t0));
  EXPECT_FALSE(limiter.acquire("b", t0));
  EXPECT_TRUE(limiter.acquire("a", t0));
  // Long after, both are allowed again (their instants were pruned).
  EXPECT_FALSE(limiter.acquire("a", t0 + hours(5)));
  EXPECT_FALSE(limiter.acquire("b", t0 + hours(5)));
}

// Random callers and instants against a model that keeps every allowed
// instant: the limiter must agree on each answer and on each wait.
TEST(WindowLimiter, AgreesWithAModelOfEveryAllowedRequest) {
  std::mt19937 rng(20241205);
  for (int round = 0; round < 20; ++round) {
    const std::size_t max = 1 + rng() % 6;
    const auto window = seconds(30 + rng() % 3600);
    WindowLimiter limiter(max, window);
    std::map<std::string, std::vector<WindowLimiter::Clock::time_point>> model;
    auto now = WindowLimiter::Clock::time_point{} + hours(10);
    for (int step = 0; step < 2000; ++step) {
      now += milliseconds(rng() % 120000);
      const std::string caller = "c" + std::to_string(rng() % 5);
      auto& allowed = model[caller];
      std::size_t in_window = 0;
      auto oldest = now;
      for (auto t : allowed) {
        if (now - t < window) {
          ++in_window;
          oldest = std::min(oldest, t);
        }
      }
      const auto got = limiter.acquire(caller, now);
      if (in_window < max) {
        ASSERT_FALSE(got) << "round " << round << " step " << step;
        allowed.push_back(now);
      } else {
        ASSERT_TRUE(got) << "round " << round << " step " << step;
        const auto expected =
            std::max(std::chrono::ceil<seconds>(oldest + window - now), seconds(1));
        EXPECT_EQ(*got, expected);
      }
    }
  }
}

TEST(WindowLimiter, ConcurrentCallersGetExactlyTheLimit) {
  WindowLimiter limiter(5, hours(1));
  const auto t0 = WindowLimiter::Clock::time_point{} + hours(1);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!limiter.acquire("flood", t0)) allowed.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 5);
}

}  // namespace
}  // namespace ikv::server
