// The application layer: commands through the Registry on a real RocksDB store.
#include "app/registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <boost/json/serialize.hpp>

#include "domain/streams.h"
#include "workload.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

using testing::run_sync;  // workload.h

domain::Date date(int y, int m, int d) { return domain::Date{y, m, d}; }

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ikv-app-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    open();
    auto r = run_sync([&](CommandDone done) {
      registry_->execute_network("oulu",
                                 domain::EstablishNetwork{"oulu",
                                                          {"Oulu", "Uleåborg", "Oulu"},
                                                          "Oulu",
                                                          "Oulu",
                                                          "Pro-tukipiste",
                                                          date(2021, 3, 10)},
                                 meta(), std::move(done));
    });
    ASSERT_TRUE(std::holds_alternative<CommandOk>(r));
  }
  void TearDown() override {
    registry_.reset();
    fs::remove_all(dir_);
  }
  void open() {
    auto r = Registry::open({.data_dir = dir_.string()});
    ASSERT_TRUE(r) << r.error().message;
    registry_ = std::move(*r);
  }
  static CommandMeta meta() {
    CommandMeta m;
    m.actor = "test";
    m.request_id = "req";
    return m;
  }
  static domain::JoinNetwork join(const std::string& id, const std::string& email) {
    domain::JoinNetwork j;
    j.member_id = id;
    j.personal = {"Coordinator", email, std::nullopt};
    j.organisation = "Reception Centre";
    j.sector = "reception_centre";
    j.joined_on = date(2024, 1, 1);
    return j;
  }

  fs::path dir_;
  std::unique_ptr<Registry> registry_;
};

TEST_F(RegistryTest, ConcurrentCommandsOnOneStreamAllSucceedAndShareCommitGroups) {
  constexpr int kThreads = 32;
  constexpr int kEach = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "m-" + std::to_string(t) + "-" + std::to_string(i);
        auto r = run_sync([&](CommandDone done) {
          registry_->execute_network("oulu", join(id, id + "@example.fi"), meta(), std::move(done));
        });
        if (std::holds_alternative<CommandOk>(r)) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(registry_->store().stream_version(domain::network_stream("oulu")),
            1u + kThreads * kEach);
  // Commands on one stream were chained, not serialised one per sync.
  const auto stats = registry_->store().stats();
  EXPECT_LT(stats.groups, stats.appends);
  const auto count = registry_->read([](const projections::RegistryView& v) {
    return v.find_network("oulu")->current_member_count();
  });
  EXPECT_EQ(count, static_cast<std::size_t>(kThreads * kEach));
}

TEST_F(RegistryTest, ABusinessRuleStillHoldsUnderConcurrency) {
  // Sixteen joins with the same e-mail at once: exactly one is accepted.
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      auto r = run_sync([&](CommandDone done) {
        registry_->execute_network("oulu", join("m-" + std::to_string(t), "same@example.fi"),
                                   meta(), std::move(done));
      });
      if (std::holds_alternative<CommandOk>(r)) ++ok;
      if (const auto* f = std::get_if<CommandFailure>(&r);
          f != nullptr && f->kind == CommandFailure::Kind::kRejected &&
          f->rejection.kind == domain::RejectionKind::kConflict) {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 15);
}

TEST_F(RegistryTest, IfMatchOnAStaleVersionIsRefusedAndAppendsNothing) {
  auto m = meta();
  m.if_match = 7;
  auto r = run_sync([&](CommandDone done) {
    registry_->execute_network("oulu", join("m-1", "a@example.fi"), m, std::move(done));
  });
  const auto* f = std::get_if<CommandFailure>(&r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, CommandFailure::Kind::kPreconditionFailed);
  EXPECT_EQ(f->actual_version, 1u);
  EXPECT_EQ(registry_->store().head_position(), 1u);
}

TEST_F(RegistryTest, StateAndPersonalDataSurviveAReopen) {
  auto r = run_sync([&](CommandDone done) {
    registry_->execute_network("oulu", join("m-1", "anna@example.fi"), meta(), std::move(done));
  });
  ASSERT_TRUE(std::holds_alternative<CommandOk>(r));
  registry_.reset();
  open();
  // The same e-mail is still taken: the state was rebuilt with decrypted data.
  auto again = run_sync([&](CommandDone done) {
    registry_->execute_network("oulu", join("m-2", "ANNA@example.fi"), meta(), std::move(done));
  });
  const auto* f = std::get_if<CommandFailure>(&again);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->rejection.kind, domain::RejectionKind::kConflict);
}

TEST_F(RegistryTest, ErasureKeepsTheMemberCountedButUnreadable) {
  auto r = run_sync([&](CommandDone done) {
    registry_->execute_network("oulu", join("m-1", "anna@example.fi"), meta(), std::move(done));
  });
  ASSERT_TRUE(std::holds_alternative<CommandOk>(r));
  auto erased = run_sync(
      [&](CommandDone done) { registry_->erase_personal_data("m-1", meta(), std::move(done)); });
  ASSERT_TRUE(std::holds_alternative<CommandOk>(erased));
  registry_.reset();
  open();
  registry_->read([](const projections::RegistryView& v) {
    const auto* n = v.find_network("oulu");
    EXPECT_EQ(n->current_member_count(), 1u);
    const auto& m = n->members.at("m-1");
    EXPECT_TRUE(m.erased);
    EXPECT_TRUE(m.sealed_personal.empty());
    return 0;
  });
}

// An event that does not decode, appended behind the registry's back (as a
// damaged or foreign log would hold it).
eventstore::AppendRequest undecodable(const std::string& stream) {
  eventstore::AppendRequest req;
  req.stream = stream;
  eventstore::EventData d;
  d.event_id = "00000000-0000-4000-8000-00000000dead";
  d.type = "MemberJoined";
  d.schema_version = 1;
  d.payload = "{\"member_id\": 7";  // cut short
  d.metadata.actor = "intruder";
  req.events.push_back(std::move(d));
  return req;
}

TEST_F(RegistryTest, ALiveEventThatDoesNotDecodeStopsTheRegistryThere) {
  const std::uint64_t before = registry_->applied_position();
  EXPECT_FALSE(registry_->apply_failure());
  auto bad = registry_->store().append_sync(undecodable(domain::network_stream("oulu")));
  ASSERT_TRUE(bad) << bad.error().message;
  const auto failure = registry_->apply_failure();
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->position, bad->last_position);
  EXPECT_NE(failure->reason.find("MemberJoined at position " + std::to_string(bad->last_position)),
            std::string::npos)
      << failure->reason;
  EXPECT_EQ(registry_->applied_position(), before);
  // No command is taken, and nothing appended later is applied.
  auto refused = run_sync([&](CommandDone done) {
    registry_->execute_network("oulu", join("m-1", "anna@example.fi"), meta(), std::move(done));
  });
  const auto* f = std::get_if<CommandFailure>(&refused);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, CommandFailure::Kind::kUnavailable);
  EXPECT_NE(f->message.find(std::to_string(bad->last_position)), std::string::npos) << f->message;
  eventstore::AppendRequest later;
  later.stream = "network-elsewhere";
  later.events.push_back({.event_id = "00000000-0000-4000-8000-00000000beef",
                          .type = "NetworkRenamed",
                          .schema_version = 1,
                          .payload = "{}",
                          .metadata = {},
                          .decided = nullptr});
  ASSERT_TRUE(registry_->store().append_sync(std::move(later)));
  EXPECT_EQ(registry_->applied_position(), before);
  EXPECT_EQ(registry_->apply_failure()->position, bad->last_position);
}

TEST_F(RegistryTest, AReplayStopsAtTheFirstEventThatDoesNotDecode) {
  auto joined = run_sync([&](CommandDone done) {
    registry_->execute_network("oulu", join("m-1", "anna@example.fi"), meta(), std::move(done));
  });
  ASSERT_TRUE(std::holds_alternative<CommandOk>(joined));
  const std::uint64_t good = registry_->applied_position();
  auto bad = registry_->store().append_sync(undecodable(domain::network_stream("oulu")));
  ASSERT_TRUE(bad);
  registry_.reset();
  // Reopened without its snapshot, the whole log is replayed: it stops at the
  // bad event; the events before it are applied.
  auto r = Registry::open({.data_dir = dir_.string(), .load_snapshot = false});
  ASSERT_TRUE(r) << r.error().message;
  registry_ = std::move(*r);
  EXPECT_EQ(registry_->applied_position(), good);
  ASSERT_TRUE(registry_->apply_failure());
  EXPECT_EQ(registry_->apply_failure()->position, bad->last_position);
  registry_->read([](const projections::RegistryView& v) {
    EXPECT_EQ(v.find_network("oulu")->current_member_count(), 1u);
    return 0;
  });
  auto refused = run_sync([&](CommandDone done) {
    registry_->execute_network("oulu", join("m-2", "bo@example.fi"), meta(), std::move(done));
  });
  ASSERT_TRUE(std::holds_alternative<CommandFailure>(refused));
  EXPECT_EQ(std::get<CommandFailure>(refused).kind, CommandFailure::Kind::kUnavailable);
}

// A release-1 data directory (tests/fixtures/release1): a full replay of its
// log gives the same read models as its stored snapshot.
TEST(Release1Log, AFullReplayGivesWhatItsSnapshotHolds) {
  const fs::path dir = fs::temp_directory_path() / ("ikv-release1-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(fs::path(IKV_FIXTURES_DIR) / "release1" / "data", dir, fs::copy_options::recursive);
  // Git keeps no file mode but the executable bit: give the key back its owner-only mode.
  fs::permissions(dir / "master.key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  std::string from_snapshot;
  std::string replayed;
  {
    auto r = Registry::open({.data_dir = dir.string(), .snapshot_on_close = false});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ((*r)->applied_position(), 115u);
    from_snapshot = (*r)->read(
        [](const projections::RegistryView& v) { return boost::json::serialize(v.dump()); });
  }
  {
    auto r = Registry::open(
        {.data_dir = dir.string(), .snapshot_on_close = false, .load_snapshot = false});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ((*r)->open_report().replayed_events, 115u);
    EXPECT_FALSE((*r)->apply_failure());
    replayed = (*r)->read(
        [](const projections::RegistryView& v) { return boost::json::serialize(v.dump()); });
  }
  EXPECT_EQ(replayed, from_snapshot);
  EXPECT_NE(replayed.find("north-savo"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ikv::app
