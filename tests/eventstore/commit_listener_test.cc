// The commit listener sees every committed event exactly once, in log order,
// before the appender is answered.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

using CommitListenerTest = StoreTest;

struct Seen {
  std::mutex mu;
  std::vector<RecordedEvent> events;  // guarded by mu
  std::uint64_t max_position = 0;     // guarded by mu
  int calls = 0;                      // guarded by mu
};

TEST_P(CommitListenerTest, SeesEveryCommittedEventOnceInOrder) {
  Seen seen;
  store().set_commit_listener([&seen](const std::vector<RecordedEvent>& group) {
    std::lock_guard<std::mutex> lock(seen.mu);
    ++seen.calls;
    for (const auto& e : group) {
      seen.events.push_back(e);
      seen.max_position = std::max(seen.max_position, e.position);
    }
  });

  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> answered_before_listener{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string stream = "listen-" + std::to_string((t + i) % 5);
        AppendRequest req = request(stream, ExpectedVersion::any(), 1 + i % 3);
        AppendRequest retry = req;
        auto r = store().append_sync(std::move(req));
        if (!r.ok()) {
          ADD_FAILURE() << r.error().message;
          return;
        }
        {
          std::lock_guard<std::mutex> lock(seen.mu);
          if (seen.max_position < r->last_position) answered_before_listener.fetch_add(1);
        }
        // Neither a replay nor a refused append reaches the listener.
        if (i % 7 == 0) (void)store().append_sync(std::move(retry));
        if (i % 11 == 0) (void)store().append_sync(request(stream, ExpectedVersion::exact(0)));
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(answered_before_listener.load(), 0)
      << "appenders were answered before the listener saw their events";
  auto log = read_everything(store());
  std::lock_guard<std::mutex> lock(seen.mu);
  ASSERT_EQ(seen.events.size(), log.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(seen.events[i].position, i + 1);
    EXPECT_TRUE(same_content(seen.events[i], log[i])) << describe(seen.events[i]);
    EXPECT_EQ(seen.events[i].hash, log[i].hash);
    EXPECT_EQ(seen.events[i].recorded_at_us, log[i].recorded_at_us);
  }
  EXPECT_GE(seen.calls, 1);
}

TEST_P(CommitListenerTest, IsNotCalledForFailedOrReplayedAppends) {
  std::atomic<int> calls{0};
  store().set_commit_listener([&calls](const std::vector<RecordedEvent>&) { ++calls; });
  AppendRequest req = request("quiet-1", ExpectedVersion::no_stream(), 2);
  ASSERT_TRUE(store().append_sync(req).ok());
  EXPECT_EQ(calls.load(), 1);
  auto replay = store().append_sync(req);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed);
  EXPECT_FALSE(store().append_sync(request("quiet-1", ExpectedVersion::no_stream())).ok());
  EXPECT_FALSE(store().append_sync(request("", ExpectedVersion::any())).ok());
  ASSERT_TRUE(store().append_sync(request("quiet-2", ExpectedVersion::any())).ok());
  EXPECT_EQ(calls.load(), 2);
}

TEST_P(CommitListenerTest, ListenerMayReadTheStore) {
  // A read model fed by the listener may look at the store (head, streams).
  std::atomic<std::uint64_t> seen_head{0};
  EventStore* s = &store();
  store().set_commit_listener([s, &seen_head](const std::vector<RecordedEvent>& group) {
    auto r = s->read_stream(group.front().stream, 1, 100);
    if (r.ok()) seen_head = s->head_position();
  });
  auto done = std::make_shared<std::promise<bool>>();
  std::thread appender([s, done] {
    done->set_value(s->append_sync(request("reader-1", ExpectedVersion::any(), 2)).ok());
  });
  auto f = done->get_future();
  if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "append did not complete: the listener deadlocks when it reads the store";
    appender.detach();
    (void)store_.release();  // blocked forever; leak it rather than hang in close()
    return;
  }
  appender.join();
  EXPECT_TRUE(f.get());
  EXPECT_EQ(seen_head.load(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, CommitListenerTest,
                         ::testing::Values(StoreKind::kRocks, StoreKind::kMemory), store_kind_name);

}  // namespace
}  // namespace ikv::eventstore::testing
