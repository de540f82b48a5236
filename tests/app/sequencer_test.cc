// The sequencer (app/sequencer.h) and the registry's tail states: 64 writers
// on overlapping streams checked against what the log holds, a cache too small
// for the workload deciding exactly as a large one, and the idle fast path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/json/serialize.hpp>

#include "app/registry.h"
#include "app/sequencer.h"
#include "domain/streams.h"
#include "workload.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

using testing::run_sync;  // workload.h

CommandMeta meta(std::optional<std::uint64_t> if_match = std::nullopt) {
  CommandMeta m;
  m.actor = "test";
  m.request_id = "req";
  m.if_match = if_match;
  return m;
}

domain::EstablishNetwork establish(const std::string& id) {
  return domain::EstablishNetwork{id,  {"F", "S", "E"}, "R",
                                  "S", "Pro-tukipiste", domain::Date{2021, 3, 10}};
}

using testing::join;  // workload.h

TEST(SequencerQueue, RunsTasksOneAtATimeInSubmissionOrderFromManyThreads) {
  Sequencer seq;
  std::vector<int> order;  // touched only by tasks
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  std::vector<std::thread> threads;
  std::mutex submit_mu;  // makes the submission order observable
  std::vector<int> submitted;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const int n = t * 1000 + i;
        std::lock_guard lock(submit_mu);
        submitted.push_back(n);
        seq.submit([&, n] {
          if (running.fetch_add(1) != 0) overlapped = true;
          order.push_back(n);
          running.fetch_sub(1);
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(order, submitted);
}

TEST(SequencerQueue, ASubmitFromInsideATaskQueuesBehindIt) {
  Sequencer seq;
  std::vector<std::string> order;
  seq.submit([&] {
    seq.submit([&] { order.push_back("inner"); });
    seq.settle([&] { order.push_back("settle"); });
    order.push_back("outer");
  });
  EXPECT_EQ(order, (std::vector<std::string>{"outer", "settle", "inner"}));
  EXPECT_EQ(seq.led_by_submitter(), 1u);
}

TEST(SequencerQueue, ATaskThatThrowsDoesNotStopTheOnesAfterIt) {
  Sequencer seq;
  std::vector<int> ran;
  seq.submit([&] {
    seq.submit([] { throw std::runtime_error("a bug"); });
    seq.submit([&] { ran.push_back(2); });
    ran.push_back(1);
  });
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  EXPECT_EQ(seq.failed_tasks(), 1u);
  seq.submit([&] { ran.push_back(3); });  // and the sequencer is free for the next submitter
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
}

// 64 writers join members to four networks at once, with e-mail addresses
// that collide on purpose and with If-Match versions that are often stale.
// Whatever the interleaving, the log must hold exactly the accepted joins,
// with contiguous versions, no e-mail twice in a network, every If-Match
// success exactly one past its version, and every refusal explained.
TEST(SequencerConcurrency, SixtyFourWritersOnOverlappingStreamsAgreeWithTheLog) {
  const fs::path dir = fs::temp_directory_path() / ("ikv-seq-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto opened =
      Registry::open({.data_dir = dir.string(), .durability = eventstore::Durability::kAsync});
  ASSERT_TRUE(opened) << opened.error().message;
  auto& registry = **opened;
  const std::vector<std::string> networks{"n0", "n1", "n2", "n3"};
  for (const auto& n : networks) {
    ASSERT_TRUE(std::holds_alternative<CommandOk>(run_sync(
        [&](CommandDone d) { registry.execute_network(n, establish(n), meta(), std::move(d)); })));
  }
  struct Outcome {
    std::string network;
    std::string member_id;
    std::string email;
    std::optional<std::uint64_t> if_match;
    CommandResult result;
  };
  std::mutex outcomes_mu;
  std::vector<Outcome> outcomes;
  constexpr int kThreads = 64;
  constexpr int kEach = 12;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) * 7919u + 1u);
      std::map<std::string, std::uint64_t> seen;  // the version this writer last saw
      for (int i = 0; i < kEach; ++i) {
        const std::string& n = networks[rng() % networks.size()];
        const std::string member = "m-" + std::to_string(t) + "-" + std::to_string(i);
        // 40 addresses per network for 192 joins: many collide (case differs too).
        const std::string email =
            (rng() % 2 ? "P" : "p") + std::to_string(rng() % 40) + "@example.fi";
        std::optional<std::uint64_t> if_match;
        if (rng() % 3 == 0) if_match = seen.contains(n) ? seen[n] : 1;
        auto r = run_sync([&](CommandDone d) {
          registry.execute_network(n, join(member, email), meta(if_match), std::move(d));
        });
        if (const auto* ok = std::get_if<CommandOk>(&r)) seen[n] = ok->version;
        if (const auto* f = std::get_if<CommandFailure>(&r);
            f != nullptr && f->kind == CommandFailure::Kind::kPreconditionFailed) {
          seen[n] = f->actual_version;
        }
        std::lock_guard lock(outcomes_mu);
        outcomes.push_back({n, member, email, if_match, std::move(r)});
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(outcomes.size(), static_cast<std::size_t>(kThreads * kEach));

  std::size_t accepted_total = 0;
  for (const auto& n : networks) {
    std::map<std::uint64_t, const Outcome*> by_version;
    std::set<std::string> accepted_emails;
    std::set<std::string> accepted_members;
    std::uint64_t last_position = 0;
    for (const auto& o : outcomes) {
      if (o.network != n) continue;
      if (const auto* ok = std::get_if<CommandOk>(&o.result)) {
        EXPECT_TRUE(ok->changed);
        EXPECT_TRUE(by_version.emplace(ok->version, &o).second)
            << "version " << ok->version << " twice";
        std::string folded = o.email;
        for (auto& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_TRUE(accepted_emails.insert(folded).second) << folded << " accepted twice in " << n;
        accepted_members.insert(o.member_id);
        if (o.if_match) {
          EXPECT_EQ(ok->version, *o.if_match + 1) << "If-Match " << *o.if_match;
        }
      } else {
        const auto& f = std::get<CommandFailure>(o.result);
        if (f.kind == CommandFailure::Kind::kPreconditionFailed) {
          ASSERT_TRUE(o.if_match);
          EXPECT_NE(f.actual_version, *o.if_match);
        } else {
          ASSERT_EQ(f.kind, CommandFailure::Kind::kRejected) << f.message;
          EXPECT_EQ(f.rejection.kind, domain::RejectionKind::kConflict) << f.message;
        }
      }
    }
    // Versions 2..N+1 (1 established the network), positions rising with them.
    std::uint64_t expected_version = 2;
    for (const auto& [version, o] : by_version) {
      EXPECT_EQ(version, expected_version++);
      const auto pos = std::get<CommandOk>(o->result).position;
      EXPECT_GT(pos, last_position);
      last_position = pos;
    }
    // Every refused address was accepted by someone (a refusal names a real clash).
    for (const auto& o : outcomes) {
      if (o.network != n) continue;
      const auto* f = std::get_if<CommandFailure>(&o.result);
      if (f == nullptr || f->kind != CommandFailure::Kind::kRejected) continue;
      std::string folded = o.email;
      for (auto& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_TRUE(accepted_emails.contains(folded))
          << folded << " refused in " << n << ": " << f->message;
    }
    // The log holds exactly the accepted joins, in version order.
    auto events = registry.store().read_stream(domain::network_stream(n), 1, 100000);
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), by_version.size() + 1);
    for (std::size_t v = 2; v <= events->size(); ++v) {
      const auto& e = (*events)[v - 1];
      EXPECT_EQ(e.version, v);
      EXPECT_EQ(e.type, "MemberJoined");
      EXPECT_NE(e.payload.find(by_version.at(v)->member_id), std::string::npos) << "version " << v;
    }
    registry.read([&](const projections::RegistryView& view) {
      EXPECT_EQ(view.find_network(n)->current_member_count(), accepted_members.size());
      return 0;
    });
    accepted_total += by_version.size();
  }
  EXPECT_GT(accepted_total, 100u);
  EXPECT_LT(accepted_total, static_cast<std::size_t>(kThreads * kEach));  // clashes happened
  EXPECT_EQ(registry.store().head_position(), networks.size() + accepted_total);
  registry.close();
  fs::remove_all(dir);
}

// One fixed sequence of commands over many streams, decided by a registry
// whose cache holds one tail state (every other command folds its stream from
// the log again) and by one whose cache holds them all: the same decisions,
// the same versions, the same read models.
TEST(SequencerCache, EvictionAndReloadGiveTheSameDecisions) {
  std::int64_t tick = 1'700'000'000'000'000;
  auto clock = [&tick] { return tick += 1000; };
  auto run_all = [&](std::size_t capacity) {
    tick = 1'700'000'000'000'000;
    RegistryOptions options;
    options.clock = clock;
    options.state_cache_streams = capacity;
    auto registry = Registry::open(options).value();
    std::vector<std::string> results;
    auto record = [&](const CommandResult& r) {
      if (const auto* ok = std::get_if<CommandOk>(&r)) {
        results.push_back("ok v" + std::to_string(ok->version) + " p" +
                          std::to_string(ok->position) + (ok->changed ? "" : " unchanged"));
      } else {
        const auto& f = std::get<CommandFailure>(r);
        results.push_back("failed " + std::to_string(static_cast<int>(f.kind)) + " " +
                          f.rejection.code + " actual " + std::to_string(f.actual_version));
      }
    };
    auto net = [&](const std::string& id, domain::NetworkCommand c,
                   std::optional<std::uint64_t> m = {}) {
      record(run_sync([&](CommandDone d) {
        registry->execute_network(id, std::move(c), meta(m), std::move(d));
      }));
    };
    auto meet = [&](const std::string& id, domain::MeetingCommand c) {
      record(run_sync([&](CommandDone d) {
        registry->execute_meeting(id, std::move(c), meta(), std::move(d));
      }));
    };
    const std::vector<std::string> ids{"alpha", "beta", "gamma"};
    for (const auto& n : ids) net(n, establish(n));
    net("alpha", establish("alpha"));  // already established
    for (int i = 0; i < 30; ++i) {
      const std::string& n = ids[static_cast<std::size_t>(i % 3)];
      net(n, join("m" + std::to_string(i), "p" + std::to_string(i % 7) + "@example.fi"));
      if (i % 4 == 0)
        net(n, join("x" + std::to_string(i), "fresh" + std::to_string(i) + "@example.fi"), 99);
      if (i % 5 == 4)
        net(n, domain::LeaveNetwork{"m" + std::to_string(i - 3), domain::Date{2024, 6, 1}, {}});
      const std::string meeting = "00000000-0000-4000-8000-00000000000" + std::to_string(i % 4);
      if (i < 4) {
        meet(meeting, domain::ScheduleMeeting{
                          meeting, n, {}, domain::Date{2024, 5, 1 + i}, "in_person", "Oulu", {}});
      } else if (i % 3 == 0) {
        meet(meeting,
             domain::RescheduleMeeting{domain::Date{2024, 6, 1 + i}, std::nullopt, std::nullopt});
      } else if (i == 13) {
        meet(meeting,
             domain::RecordMeetingHeld{domain::Date{2024, 6, 20}, {}, 12, {}, std::nullopt});
      } else if (i == 17) {
        meet(meeting, domain::CancelMeeting{std::string("moved")});
      }
    }
    std::string view;
    auto text = [&](const Result<boost::json::object>& r) {
      if (!r) {
        ADD_FAILURE() << r.error().message;
        return std::string();
      }
      return boost::json::serialize(*r);
    };
    registry->read([&](const projections::RegistryView& v) {
      for (const auto& n : ids) {
        view += text(v.members(n, {.include_former = true, .include_personal = true}));
        view += text(v.network(n, {}));
      }
      view += text(v.meetings({}));
      return 0;
    });
    return std::tuple{results, view, registry->sequencer_stats().tail_folds};
  };
  const auto [small_results, small_view, small_folds] = run_all(1);
  const auto [large_results, large_view, large_folds] = run_all(4096);
  EXPECT_EQ(small_results, large_results);
  // The sequence exercises refusals as well as changes.
  const auto oks = std::count_if(large_results.begin(), large_results.end(),
                                 [](const std::string& r) { return r.starts_with("ok"); });
  EXPECT_GT(oks, 35);
  EXPECT_GT(static_cast<long>(large_results.size()) - oks, 10);
  EXPECT_EQ(small_view, large_view);
  EXPECT_GT(small_folds, large_folds + 20) << "the small cache did not evict";
  EXPECT_LE(large_folds, 7u);  // each stream folded once: 3 networks, 4 meetings
}

TEST(SequencerIdle, TheSubmittingThreadDecidesOnAnIdleRegistry) {
  auto registry = Registry::open({}).value();
  const auto before = registry->sequencer_stats().led_by_submitter;
  std::thread::id answered_on;
  registry->execute_network("oulu", establish("oulu"), meta(), [&](CommandResult r) {
    EXPECT_TRUE(std::holds_alternative<CommandOk>(r));
    answered_on = std::this_thread::get_id();
  });
  // The in-memory store answers on the appending thread: the command was
  // decided, appended and answered on this thread, with no hand-off.
  EXPECT_EQ(answered_on, std::this_thread::get_id());
  EXPECT_EQ(registry->sequencer_stats().led_by_submitter, before + 1);
}

TEST(SequencerIdle, OnDiskAnIdleCommandIsWrittenSyncedAndAnsweredOnTheSubmittingThread) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("ikv-seq-idle-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
  {
    auto registry = Registry::open({.data_dir = dir.string()}).value();
    const auto led_before = registry->store().stats().led;
    std::thread::id answered_on;
    std::optional<CommandResult> result;
    registry->execute_network("oulu", establish("oulu"), meta(), [&](CommandResult r) {
      answered_on = std::this_thread::get_id();
      result = std::move(r);
    });
    // The RocksDB store's idle fast path: the command was decided, written,
    // synced, folded into the read models and answered before
    // execute_network returned, all on this thread.
    ASSERT_TRUE(result.has_value());
    ASSERT_TRUE(std::holds_alternative<CommandOk>(*result));
    EXPECT_EQ(answered_on, std::this_thread::get_id());
    EXPECT_EQ(registry->store().stats().led, led_before + 1);
    EXPECT_EQ(registry->applied_position(), std::get<CommandOk>(*result).position);
    registry->close();
  }
  {
    // And durable: a reopened registry has the network.
    auto registry = Registry::open({.data_dir = dir.string(), .load_snapshot = false}).value();
    EXPECT_EQ(registry->store().stream_version(domain::network_stream("oulu")), 1u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ikv::app
