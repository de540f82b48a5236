// Warming the tail states (Registry::warm_tail_states, start_warming): after
// a restart the long-lived streams' decider states are folded off the
// sequencer in one pass over the log and handed to it, so the first commands
// fold nothing; a state warmed before later commits is caught up from its own
// events; close() stops a warm-up in flight.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <thread>

#include "app/registry.h"
#include "codec/event_codec.h"
#include "crypto/key_vault.h"
#include "domain/streams.h"
#include "eventstore/memory_event_store.h"
#include "workload.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

using testing::run_sync;  // workload.h

CommandMeta meta() {
  CommandMeta m;
  m.actor = "test";
  m.request_id = "req";
  return m;
}

using testing::join;  // workload.h

class WarmStates : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ikv-warm-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(std::random_device{}()));
    // alpha: two members and an observation; beta: one member.
    auto registry = open();
    for (const std::string id : {"alpha", "beta"}) {
      ok(*registry, id,
         domain::EstablishNetwork{
             id, {"F", "S", "E"}, "R", "S", "Pro-tukipiste", domain::Date{2021, 3, 10}});
    }
    ok(*registry, "alpha", join("m1", "first@example.fi"));
    ok(*registry, "alpha", join("m2", "second@example.fi"));
    ok(*registry, "beta", join("m3", "third@example.fi"));
    ok(*registry, "alpha",
       domain::RecordObservation{"00000000-0000-4000-8000-000000000001",
                                 "forced_labour",
                                 domain::Date{2024, 2, 1},
                                 {},
                                 std::nullopt,
                                 std::nullopt});
    registry->close();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Registry> open() {
    return Registry::open({.data_dir = dir_.string(), .snapshot_on_close = false}).value();
  }

  static CommandResult run(Registry& r, const std::string& network, domain::NetworkCommand c) {
    return run_sync(
        [&](CommandDone d) { r.execute_network(network, std::move(c), meta(), std::move(d)); });
  }
  static CommandOk ok(Registry& r, const std::string& network, domain::NetworkCommand c) {
    CommandResult result = run(r, network, std::move(c));
    if (const auto* f = std::get_if<CommandFailure>(&result)) {
      ADD_FAILURE() << f->message;
      return {};
    }
    return std::get<CommandOk>(result);
  }
  static std::string rejection(const CommandResult& r) {
    const auto* f = std::get_if<CommandFailure>(&r);
    return f == nullptr ? "accepted" : f->rejection.code;
  }

  fs::path dir_;
};

TEST_F(WarmStates, AfterARestartTheFirstCommandsFoldNothingAndDecideAsAFoldWould) {
  auto registry = open();
  // Two networks have events; the national findings and the taxonomy have none.
  EXPECT_EQ(registry->warm_tail_states(), 2u);
  // The warmed states hold what the decisions need: the members, their
  // e-mails (opened from the sealed personal data) and the observations.
  EXPECT_EQ(rejection(run(*registry, "beta", join("m4", "third@example.fi"))), "email_taken");
  EXPECT_EQ(rejection(run(*registry, "alpha", join("m2", "other@example.fi"))), "member_exists");
  EXPECT_EQ(rejection(run(*registry, "alpha",
                          domain::RetractObservation{"00000000-0000-4000-8000-000000000001",
                                                     "entered twice"})),
            "accepted");
  const CommandOk joined = ok(*registry, "alpha", join("m5", "fifth@example.fi"));
  EXPECT_EQ(joined.version, 6u);  // established, m1, m2, observation, retraction, m5
  const SequencerStats stats = registry->sequencer_stats();
  EXPECT_EQ(stats.tails_warmed, 2u);
  EXPECT_EQ(stats.tail_folds, 0u) << "a command folded a stream the warm-up had folded";
}

TEST_F(WarmStates, AStateWarmedBeforeLaterCommitsIsCaughtUpFromItsOwnEvents) {
  auto registry = open();
  ASSERT_EQ(registry->warm_tail_states(), 2u);
  // Appended outside the sequencer after the warm fold: m1 leaves alpha. The
  // warmed state, installed before the next command, is one event behind.
  auto scratch = eventstore::make_memory_event_store();
  crypto::PersonalDataVault unused(*scratch);
  auto encoded =
      codec::encode(domain::MemberLeft{"m1", domain::Date{2024, 3, 1}, std::nullopt}, unused);
  ASSERT_TRUE(encoded);
  eventstore::AppendRequest req;
  req.stream = domain::network_stream("alpha");
  req.expected = eventstore::ExpectedVersion::exact(4);
  eventstore::EventData d;
  d.event_id = "00000000-0000-4000-8000-0000000000aa";
  d.type = encoded->type;
  d.schema_version = encoded->schema_version;
  d.payload = encoded->payload;
  req.events.push_back(std::move(d));
  ASSERT_TRUE(registry->store().append_sync(std::move(req)));

  // m1's e-mail is free again only in a state that knows m1 left.
  const CommandOk joined = ok(*registry, "alpha", join("m6", "first@example.fi"));
  EXPECT_EQ(joined.version, 6u);
  EXPECT_EQ(rejection(run(*registry, "alpha", join("m7", "first@example.fi"))), "email_taken");
  const SequencerStats stats = registry->sequencer_stats();
  EXPECT_EQ(stats.tails_warmed, 2u);
  EXPECT_EQ(stats.tail_folds, 0u) << "caught up by a fold from scratch";
}

TEST_F(WarmStates, ACommandThatFoldedFirstKeepsItsStateAndTheWarmedOneIsDropped) {
  auto registry = open();
  // beta is folded by its command before the warm-up hands its state over.
  ok(*registry, "beta", join("m8", "eighth@example.fi"));
  ASSERT_EQ(registry->warm_tail_states(), 2u);
  const CommandOk joined = ok(*registry, "beta", join("m9", "ninth@example.fi"));
  EXPECT_EQ(joined.version, 4u);
  EXPECT_EQ(rejection(run(*registry, "beta", join("m10", "eighth@example.fi"))), "email_taken");
  const SequencerStats stats = registry->sequencer_stats();
  EXPECT_EQ(stats.tail_folds, 1u);
  EXPECT_EQ(stats.tails_warmed, 1u);  // alpha only
}

TEST_F(WarmStates, CloseStopsAWarmUpInFlight) {
  for (int round = 0; round < 20; ++round) {
    auto registry = open();
    registry->start_warming();
    registry->close();  // joins the warm-up: no hang, no use after close
  }
  auto registry = open();
  registry->start_warming();
  registry->start_warming();  // once
  EXPECT_EQ(rejection(run(*registry, "beta", join("m11", "third@example.fi"))), "email_taken");
}

TEST_F(WarmStates, WaitsForIdleTimeWhileReadsKeepComing) {
  {
    // More than one stretch of 4,096 events, so that the warm-up looks for quiet.
    auto registry = Registry::open({.data_dir = dir_.string(),
                                    .durability = eventstore::Durability::kAsync,
                                    .snapshot_on_close = false})
                        .value();
    for (int i = 0; i < 9000; ++i) {
      char id[37];
      std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", 100 + i);
      ok(*registry, "beta",
         domain::RecordObservation{
             id, "forced_labour", domain::Date{2024, 2, 1}, {}, std::nullopt, std::nullopt});
    }
    registry->close();
  }
  auto registry = open();
  // A reader that keeps reading from before the warm-up starts until it ends.
  std::atomic<bool> reading{true};
  std::atomic<std::uint64_t> reads{0};
  std::thread reader([&] {
    while (reading.load()) {
      registry->read([](const projections::RegistryView& v) { return v.position(); });
      ++reads;
    }
  });
  while (reads.load() < 100) std::this_thread::yield();
  auto warming = std::async(std::launch::async, [&] { return registry->warm_tail_states(); });
  // Reads come all along: at each stretch of 4,096 events the warm-up waits
  // until a millisecond passes without one (the reader, rescheduled, may
  // leave such a gap: the warm-up then goes on, as on a quiet server).
  const bool finished_while_reading =
      warming.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
  reading = false;
  reader.join();
  ASSERT_EQ(warming.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_GE(registry->sequencer_stats().warm_pauses, 1u)
      << "the warm-up never gave way to the reads (finished while reading: "
      << finished_while_reading << ")";
  EXPECT_EQ(warming.get(), 2u);
  EXPECT_EQ(rejection(run(*registry, "beta", join("m12", "third@example.fi"))), "email_taken");
  EXPECT_EQ(registry->sequencer_stats().tail_folds, 0u);
}

}  // namespace
}  // namespace ikv::app
