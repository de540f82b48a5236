// The pipelined write path of the RocksDB store: a group is written (WAL and
// memtables) before it is synced, and while its sync is held back it must be
// invisible to every read, yet the writer must already plan later groups
// against it (expected versions, idempotent replays), and nothing of it may
// be answered until the sync is done. The sync is held with the
// RocksOptions::before_sync seam. The idle fast path (AppendRequest::may_lead)
// is tested here too: an append that finds the store idle is written, synced
// and answered on its own thread; anything arriving meanwhile waits its turn.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

using namespace std::chrono_literals;

// Holds the syncing thread at its next sync until released.
class SyncGate {
 public:
  void arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
    reached_ = false;
  }
  void on_sync() {
    std::unique_lock lock(mu_);
    if (!armed_) return;
    reached_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !armed_; });
  }
  bool wait_reached() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return reached_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    armed_ = false;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool reached_ = false;
};

struct Async {
  std::promise<Result<AppendResult>> promise;
  std::future<Result<AppendResult>> future = promise.get_future();
  AppendCallback callback() {
    return [this](Result<AppendResult> r) { promise.set_value(std::move(r)); };
  }
  bool answered() { return future.wait_for(0ms) == std::future_status::ready; }
};

class SyncPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    RocksOptions o;
    o.path = dir_.str();
    o.before_sync = [this] { gate_.on_sync(); };
    auto opened = open_rocks_event_store(std::move(o));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    gate_.release();
    if (store_) store_->close();
  }

  TempDir dir_{"ikv-es-pipeline"};
  SyncGate gate_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(SyncPipeline, UnsyncedGroupIsInvisibleAndUnanswered) {
  ASSERT_TRUE(store_->append_sync(request("network-oulu", ExpectedVersion::no_stream())).ok());
  gate_.arm();
  AppendRequest req = request("network-oulu", ExpectedVersion::exact(1), 1, "Held");
  const std::string id = req.events[0].event_id;
  Async held;
  store_->append(std::move(req), held.callback());
  ASSERT_TRUE(gate_.wait_reached());

  // Written, not synced: no read shows it and its writer is not answered.
  EXPECT_FALSE(held.answered());
  EXPECT_EQ(store_->head_position(), 1u);
  EXPECT_EQ(store_->stream_version("network-oulu"), 1u);
  auto stream = store_->read_stream("network-oulu", 1, 10);
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->size(), 1u);
  auto backward = store_->read_stream_backward("network-oulu", 10, 10);
  ASSERT_TRUE(backward.ok());
  ASSERT_EQ(backward->size(), 1u);
  EXPECT_EQ((*backward)[0].version, 1u);
  auto by_type = store_->read_all({.type = "Held"});
  ASSERT_TRUE(by_type.ok());
  EXPECT_TRUE(by_type->empty());
  auto by_cat = store_->read_all({.category = "network"});
  ASSERT_TRUE(by_cat.ok());
  EXPECT_EQ(by_cat->size(), 1u);
  auto all = store_->read_all({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  auto found = store_->read_event(id);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());

  gate_.release();
  auto r = held.future.get();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->last_version, 2u);
  EXPECT_EQ(store_->head_position(), 2u);
  found = store_->read_event(id);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value());
}

TEST_F(SyncPipeline, LaterGroupsArePlannedAgainstTheUnsyncedTail) {
  gate_.arm();
  AppendRequest first = request("member-a", ExpectedVersion::no_stream());
  const EventData original = first.events[0];
  Async a;
  store_->append(std::move(first), a.callback());
  ASSERT_TRUE(gate_.wait_reached());

  // While the first group's sync is held, the writer goes on: the next
  // appends see version 1 of member-a although it is not yet published.
  Async exact, conflict, replay;
  store_->append(request("member-a", ExpectedVersion::exact(1)), exact.callback());
  store_->append(request("member-a", ExpectedVersion::no_stream()), conflict.callback());
  AppendRequest again{
      .stream = "member-a", .expected = ExpectedVersion::no_stream(), .events = {original}};
  store_->append(std::move(again), replay.callback());
  std::this_thread::sleep_for(50ms);  // give the writer time to write them
  EXPECT_FALSE(a.answered());
  EXPECT_FALSE(exact.answered());
  EXPECT_FALSE(replay.answered());  // a replay waits for its original's sync
  EXPECT_EQ(store_->stream_version("member-a"), 0u);

  gate_.release();
  auto ra = a.future.get();
  auto re = exact.future.get();
  auto rc = conflict.future.get();
  auto rr = replay.future.get();
  ASSERT_TRUE(ra.ok()) << ra.error().message;
  ASSERT_TRUE(re.ok()) << re.error().message;
  EXPECT_EQ(re->last_version, 2u);
  ASSERT_FALSE(rc.ok());
  EXPECT_EQ(rc.error().code, ErrorCode::kWrongExpectedVersion);
  ASSERT_TRUE(rr.ok()) << rr.error().message;
  EXPECT_TRUE(rr->replayed);
  EXPECT_EQ(rr->first_position, ra->first_position);
  EXPECT_EQ(store_->stream_version("member-a"), 2u);
  auto log = read_everything(*store_);
  EXPECT_EQ(log.size(), 2u);
  expect_well_formed_log(log);
}

TEST_F(SyncPipeline, OneSyncCoversEveryGroupWrittenMeanwhile) {
  ASSERT_TRUE(store_->append_sync(request("network-kuopio", ExpectedVersion::any())).ok());
  const StoreStats before = store_->stats();
  gate_.arm();
  Async first;
  store_->append(request("network-kuopio", ExpectedVersion::any()), first.callback());
  ASSERT_TRUE(gate_.wait_reached());
  std::vector<std::unique_ptr<Async>> later;
  for (int i = 0; i < 20; ++i) {
    later.push_back(std::make_unique<Async>());
    store_->append(request("network-kuopio", ExpectedVersion::any()), later.back()->callback());
    std::this_thread::sleep_for(2ms);  // separate writer groups, most likely
  }
  gate_.release();
  ASSERT_TRUE(first.future.get().ok());
  for (auto& a : later) ASSERT_TRUE(a->future.get().ok());
  const StoreStats after = store_->stats();
  EXPECT_EQ(after.appends - before.appends, 21u);
  // The held sync covered the first group; every later one was written while
  // it was held, so one more sync (at most a few) covers them all.
  EXPECT_LE(after.groups - before.groups, 3u);
  EXPECT_EQ(store_->head_position(), 22u);
}

AppendRequest leading(AppendRequest req) {
  req.may_lead = true;
  return req;
}

TEST_F(SyncPipeline, AnIdleAppendThatMayLeadIsSyncedAndAnsweredOnItsOwnThread) {
  std::vector<std::thread::id> listened_on;
  std::vector<std::size_t> listened_sizes;
  store_->set_commit_listener([&](const std::vector<RecordedEvent>& events) {
    listened_sizes.push_back(events.size());
    listened_on.push_back(std::this_thread::get_id());
  });
  bool synced = false;  // the group was made durable before its answer
  const StoreStats before = store_->stats();
  std::optional<Result<AppendResult>> answer;
  std::thread::id answered_on;
  store_->append(leading(request("network-oulu", ExpectedVersion::no_stream(), 2)),
                 [&](Result<AppendResult> r) {
                   answered_on = std::this_thread::get_id();
                   synced = store_->stats().groups == before.groups + 1;
                   answer = std::move(r);
                 });
  // Answered before append() returned, on this thread, after the listener.
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok()) << answer->error().message;
  EXPECT_EQ(answered_on, std::this_thread::get_id());
  ASSERT_EQ(listened_on.size(), 1u);
  EXPECT_EQ(listened_on[0], std::this_thread::get_id());
  EXPECT_EQ(listened_sizes[0], 2u);
  EXPECT_TRUE(synced);
  EXPECT_EQ((*answer)->last_position, 2u);
  EXPECT_EQ(store_->head_position(), 2u);
  const StoreStats after = store_->stats();
  EXPECT_EQ(after.led - before.led, 1u);
  EXPECT_EQ(after.groups - before.groups, 1u);

  // Without may_lead the same append goes through the store's threads.
  Async queued;
  store_->append(request("network-oulu", ExpectedVersion::exact(2)), queued.callback());
  ASSERT_TRUE(queued.future.get().ok());
  EXPECT_EQ(store_->stats().led, after.led);

  // It is durable: a reopened store has it.
  store_->close();
  store_.reset();
  auto reopened = open_rocks_event_store({.path = dir_.str()});
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ((*reopened)->head_position(), 3u);
  EXPECT_EQ((*reopened)->stream_version("network-oulu"), 3u);
  expect_well_formed_log(read_everything(**reopened));
}

TEST_F(SyncPipeline, AnAppendThatMayLeadQueuesWhenAGroupIsInFlight) {
  gate_.arm();
  Async held;
  store_->append(request("network-oulu", ExpectedVersion::no_stream()), held.callback());
  ASSERT_TRUE(gate_.wait_reached());
  // A group is syncing: this append may lead, but must not overtake it.
  Async second;
  store_->append(leading(request("network-oulu", ExpectedVersion::exact(1))), second.callback());
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(second.answered());
  gate_.release();
  auto r1 = held.future.get();
  auto r2 = second.future.get();
  ASSERT_TRUE(r1.ok()) << r1.error().message;
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_EQ(r1->last_position, 1u);
  EXPECT_EQ(r2->last_position, 2u);
  EXPECT_EQ(store_->stats().led, 0u);
}

TEST_F(SyncPipeline, AppendsArrivingWhileALeaderSyncsWaitForItAndGoToTheWriter) {
  // The first append leads too: append() returns only once its leader is
  // done, so the store is idle again when it does. (An append_sync is
  // answered by the syncer before the syncer counts its group as completed,
  // so the next append could find a group still in flight and queue.)
  Async first;
  store_->append(leading(request("network-oulu", ExpectedVersion::no_stream())), first.callback());
  ASSERT_TRUE(first.answered());
  ASSERT_TRUE(first.future.get().ok());
  ASSERT_EQ(store_->stats().led, 1u);
  gate_.arm();
  Async led;
  std::thread leader([&] {
    store_->append(leading(request("network-oulu", ExpectedVersion::exact(1))), led.callback());
  });
  ASSERT_TRUE(gate_.wait_reached());  // the leader's own thread is in its sync
  std::vector<std::unique_ptr<Async>> later;
  for (int i = 0; i < 5; ++i) {
    later.push_back(std::make_unique<Async>());
    store_->append(leading(request("network-oulu", ExpectedVersion::exact(2 + i))),
                   later.back()->callback());
  }
  std::this_thread::sleep_for(20ms);
  for (auto& a : later) EXPECT_FALSE(a->answered());
  EXPECT_EQ(store_->head_position(), 1u);
  gate_.release();
  leader.join();
  ASSERT_TRUE(led.answered());  // on the leader's own thread, before its append() returned
  auto led_result = led.future.get();
  ASSERT_TRUE(led_result.ok()) << led_result.error().message;
  EXPECT_EQ(led_result->last_position, 2u);
  for (std::size_t i = 0; i < later.size(); ++i) {
    auto r = later[i]->future.get();
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->last_position, 3 + i);
  }
  EXPECT_EQ(store_->stats().led, 2u);
  expect_well_formed_log(read_everything(*store_));
}

// Many threads, each append leading or not at random: the listener sees the
// log in order exactly once, every append is answered once, with gap-free
// positions and per-stream versions as expected, whichever path each took.
TEST_F(SyncPipeline, LedAndQueuedAppendsMixedKeepTheLogAndTheListenerInOrder) {
  std::mutex mu;
  std::vector<std::uint64_t> listened;
  store_->set_commit_listener([&](const std::vector<RecordedEvent>& events) {
    std::lock_guard lock(mu);
    for (const auto& e : events) listened.push_back(e.position);
  });
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> answered{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) * 7919u + 1u);
      const std::string stream = "network-s" + std::to_string(t);
      for (int i = 0; i < kPerThread; ++i) {
        AppendRequest req = request(stream, ExpectedVersion::exact(static_cast<std::uint64_t>(i)));
        req.may_lead = rng() % 2 == 0;
        auto r = [&] {
          std::promise<Result<AppendResult>> p;
          auto f = p.get_future();
          store_->append(std::move(req), [&p](Result<AppendResult> res) { p.set_value(res); });
          return f.get();
        }();
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(r->last_version, static_cast<std::uint64_t>(i) + 1);
        answered.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(answered.load(), kThreads * kPerThread);
  ASSERT_EQ(listened.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (std::size_t i = 0; i < listened.size(); ++i) EXPECT_EQ(listened[i], i + 1);
  // Quiet again (the syncer is done once its last answers ran): an append
  // that may lead soon does. How many led under contention depends on timing.
  const std::uint64_t led = store_->stats().led;
  std::uint64_t version = kPerThread;
  for (int tries = 0; tries < 100 && store_->stats().led == led; ++tries) {
    std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(
        store_->append_sync(leading(request("network-s0", ExpectedVersion::exact(version++))))
            .ok());
  }
  EXPECT_EQ(store_->stats().led, led + 1);
  EXPECT_EQ(listened.size(),
            static_cast<std::size_t>(kThreads * kPerThread) + (version - kPerThread));
  expect_well_formed_log(read_everything(*store_));
}

}  // namespace
}  // namespace ikv::eventstore::testing
