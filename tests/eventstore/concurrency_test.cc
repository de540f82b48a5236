// Many threads appending with exact expected versions to overlapping streams.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

using ConcurrencyTest = StoreTest;

struct Ack {
  AppendResult result;
  std::vector<std::string> ids;
  std::uint64_t started = 0;   // logical time before the expected version was read
  std::uint64_t answered = 0;  // logical time after the append returned
};

TEST_P(ConcurrencyTest, ExactAppendsFromManyThreadsStayConsistent) {
  constexpr int kThreads = 16;
  constexpr int kStreams = 8;
  constexpr int kAppendsPerThread = 40;
  std::atomic<std::uint64_t> clock{0};
  std::atomic<int> conflicts{0};
  std::mutex mu;
  std::vector<Ack> acks;                   // guarded by mu
  std::vector<std::string> bad_conflicts;  // guarded by mu

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        const std::string stream = "conc-" + std::to_string((t * 3 + i) % kStreams);
        AppendRequest base = request(stream, ExpectedVersion::any(), 1 + (t + i) % 3);
        for (int attempt = 0;; ++attempt) {
          if (attempt > 10000) {
            ADD_FAILURE() << "no progress on " << stream;
            return;
          }
          Ack ack;
          ack.started = clock.fetch_add(1);
          const std::uint64_t expected = store().stream_version(stream);
          AppendRequest req = base;
          req.expected = ExpectedVersion::exact(expected);
          auto r = store().append_sync(std::move(req));
          ack.answered = clock.fetch_add(1);
          if (r.ok()) {
            ack.result = *r;
            for (const auto& e : base.events) ack.ids.push_back(e.event_id);
            std::lock_guard<std::mutex> lock(mu);
            if (r->replayed || r->first_version != expected + 1) {
              bad_conflicts.push_back("ack at version " + std::to_string(r->first_version) +
                                      " for exact(" + std::to_string(expected) + ")");
            }
            acks.push_back(std::move(ack));
            break;
          }
          if (r.error().code != ErrorCode::kWrongExpectedVersion) {
            ADD_FAILURE() << "unexpected error: " << r.error().message;
            return;
          }
          conflicts.fetch_add(1);
          const auto actual = r.error().actual_version;
          if (!actual || *actual <= expected) {
            std::lock_guard<std::mutex> lock(mu);
            bad_conflicts.push_back("conflict for exact(" + std::to_string(expected) +
                                    ") reported actual " +
                                    (actual ? std::to_string(*actual) : "none"));
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(bad_conflicts, std::vector<std::string>{});
  ASSERT_EQ(acks.size(), static_cast<std::size_t>(kThreads * kAppendsPerThread));
  RecordProperty("conflicts", conflicts.load());

  auto log = read_everything(store());
  expect_well_formed_log(log);
  std::size_t acked_events = 0;
  std::map<std::string, int> id_count;
  for (const auto& e : log) ++id_count[e.event_id];
  for (const auto& a : acks) {
    acked_events += a.ids.size();
    ASSERT_EQ(a.result.last_position - a.result.first_position + 1, a.ids.size());
    ASSERT_EQ(a.result.last_version - a.result.first_version + 1, a.ids.size());
    for (std::size_t k = 0; k < a.ids.size(); ++k) {
      EXPECT_EQ(id_count[a.ids[k]], 1) << "acknowledged event not stored exactly once";
      ASSERT_LE(a.result.first_position + k, log.size());
      const RecordedEvent& e = log[a.result.first_position + k - 1];
      EXPECT_EQ(e.event_id, a.ids[k]);
      EXPECT_EQ(e.stream, a.result.stream);
      EXPECT_EQ(e.version, a.result.first_version + k);
    }
  }
  EXPECT_EQ(log.size(), acked_events) << "events in the log that nobody acknowledged";
  std::uint64_t versions = 0;
  for (int s = 0; s < kStreams; ++s)
    versions += store().stream_version("conc-" + std::to_string(s));
  EXPECT_EQ(versions, log.size());

  // An append answered before another started comes first in its stream and
  // in the global log.
  int order_violations = 0;
  for (const auto& a : acks) {
    for (const auto& b : acks) {
      if (a.answered >= b.started) continue;
      if (a.result.last_position >= b.result.first_position) ++order_violations;
      if (a.result.stream == b.result.stream && a.result.last_version >= b.result.first_version) {
        ++order_violations;
      }
    }
  }
  EXPECT_EQ(order_violations, 0);
  if (durable()) {
    reopen();
    auto again = read_everything(store());
    ASSERT_EQ(again.size(), log.size());
    for (std::size_t i = 0; i < log.size(); ++i) EXPECT_TRUE(same_content(log[i], again[i]));
  }
  auto v = store().verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST_P(ConcurrencyTest, ReadersSeeOnlyWholeCommitGroups) {
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!stop.load()) {
      auto log = read_everything(store());
      std::map<std::string, int> per_stream;
      for (const auto& e : log) ++per_stream[e.stream];
      // Every append below writes 4 events to its own stream.
      for (const auto& [s, n] : per_stream) {
        if (n % 4 != 0) torn.fetch_add(1);
      }
      if (!log.empty() && log.back().position != log.size()) torn.fetch_add(1);
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto r = store().append_sync(request("whole-" + std::to_string(t) + "-" + std::to_string(i),
                                             ExpectedVersion::no_stream(), 4));
        EXPECT_TRUE(r.ok());
      }
    });
  }
  for (auto& w : writers) w.join();
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(store().head_position(), 800u);
}

TEST_P(ConcurrencyTest, RacingRetriesOfOneRequestWriteItOnce) {
  for (int round = 0; round < 20; ++round) {
    AppendRequest req = request("race-" + std::to_string(round % 3), ExpectedVersion::any(), 3);
    constexpr int kRacers = 8;
    std::vector<Result<AppendResult>> results(kRacers, Error{});
    std::atomic<bool> go{false};
    std::vector<std::thread> racers;
    for (int t = 0; t < kRacers; ++t) {
      racers.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        results[t] = store().append_sync(req);
      });
    }
    go = true;
    for (auto& th : racers) th.join();
    int written = 0;
    for (const auto& r : results) {
      ASSERT_TRUE(r.ok()) << to_string(r.error().code) << " " << r.error().message;
      if (!r->replayed) ++written;
      EXPECT_EQ(r->first_position, results[0]->first_position);
      EXPECT_EQ(r->last_version, results[0]->last_version);
    }
    EXPECT_EQ(written, 1) << "round " << round;
  }
  auto log = read_everything(store());
  EXPECT_EQ(log.size(), 60u);
  expect_well_formed_log(log);
}

TEST_P(ConcurrencyTest, OneIdRacingIntoTwoStreamsIsStoredOnce) {
  for (int round = 0; round < 20; ++round) {
    AppendRequest a = request("left-" + std::to_string(round), ExpectedVersion::any(), 1);
    AppendRequest b = a;
    b.stream = "right-" + std::to_string(round);
    Result<AppendResult> ra = Error{}, rb = Error{};
    std::atomic<bool> go{false};
    std::thread ta([&] {
      while (!go.load()) std::this_thread::yield();
      ra = store().append_sync(a);
    });
    std::thread tb([&] {
      while (!go.load()) std::this_thread::yield();
      rb = store().append_sync(b);
    });
    go = true;
    ta.join();
    tb.join();
    EXPECT_NE(ra.ok(), rb.ok()) << "round " << round;
    const auto& failed = ra.ok() ? rb : ra;
    if (!failed.ok()) {
      EXPECT_EQ(failed.error().code, ErrorCode::kIdempotencyConflict);
    }
  }
  EXPECT_EQ(store().head_position(), 20u);
}

INSTANTIATE_TEST_SUITE_P(Stores, ConcurrencyTest,
                         ::testing::Values(StoreKind::kRocks, StoreKind::kMemory), store_kind_name);

}  // namespace
}  // namespace ikv::eventstore::testing
