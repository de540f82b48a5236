// The snapshot property: for random command sequences, the registry updated
// incrementally, the registry rebuilt from position 0, and the registry
// restarted from a snapshot taken at a random point and caught up hold
// identical read models and lookups. Real RocksDB data directories.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "app/registry.h"
#include "tests/app/workload.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

constexpr int kSeeds = 30;
constexpr int kCommands = 200;

// A consistent copy of a live registry's data directory.
void copy_data(Registry& live, const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy_file(from / "master.key", to / "master.key");
  auto copied = live.store().checkpoint((to / "events").string());
  ASSERT_TRUE(copied) << copied.error().message;
  // The snapshot files beside the log.
  if (fs::exists(from / "snapshots")) {
    fs::copy(from / "snapshots", to / "snapshots", fs::copy_options::recursive);
  }
}

std::unique_ptr<Registry> open_at(const fs::path& dir, bool load_snapshot) {
  RegistryOptions o;
  o.data_dir = dir.string();
  o.durability = eventstore::Durability::kAsync;
  o.snapshot_every_events = 0;
  o.snapshot_on_close = false;
  o.load_snapshot = load_snapshot;
  auto r = Registry::open(std::move(o));
  EXPECT_TRUE(r) << r.error().message;
  return r ? std::move(*r) : nullptr;
}

projections::RegistryView view_of(const Registry& r) {
  return r.read([](const projections::RegistryView& v) { return v; });
}

void expect_same(const Registry& a, const Registry& b, const std::string& what) {
  const auto va = view_of(a);
  const auto vb = view_of(b);
  EXPECT_TRUE(va == vb) << what << ": the read models differ";
  EXPECT_EQ(boost::json::serialize(va.dump()), boost::json::serialize(vb.dump())) << what;
  // Every read-model unit, not only the main view.
  const auto models_dump = [](const Registry& r) {
    return boost::json::serialize(
        r.read_models([](const projections::ReadModels& m) { return m.dump(); }));
  };
  EXPECT_EQ(models_dump(a), models_dump(b)) << what << ": a read-model unit differs";
  // The view's derived lookups (tokens by hash and name, members' networks)
  // take part in operator== too; the deciders' states are folded from the log.
  EXPECT_EQ(a.applied_position(), b.applied_position()) << what;
}

class SnapshotPropertyTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("ikv-snapprop-" + std::to_string(::getpid()) + "-" + std::to_string(GetParam()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_P(SnapshotPropertyTest, IncrementalRebuiltAndRestartedRegistriesAgree) {
  const auto seed = static_cast<std::uint64_t>(GetParam());
  std::mt19937_64 rng(seed * 7919 + 1);
  const int snapshot_at = std::uniform_int_distribution<int>(0, kCommands)(rng);

  auto live = open_at(root_ / "live", true);
  ASSERT_NE(live, nullptr);
  testing::Workload work(*live, seed);
  work.setup();
  std::uint64_t snapshot_position = 0;
  for (int i = 0; i <= kCommands; ++i) {
    if (i == snapshot_at) {
      auto written = live->snapshot_now();
      ASSERT_TRUE(written) << written.error().message;
      snapshot_position = *written;
      EXPECT_EQ(snapshot_position, live->applied_position());
    }
    if (i < kCommands) work.step();
  }
  ASSERT_GT(work.accepted(), static_cast<std::uint64_t>(kCommands / 2))
      << "the workload should mostly be valid";

  copy_data(*live, root_ / "live", root_ / "copy");
  const std::uint64_t head = live->store().head_position();

  auto rebuilt = open_at(root_ / "copy", false);
  ASSERT_NE(rebuilt, nullptr);
  EXPECT_EQ(rebuilt->open_report().snapshot_position, 0u);
  EXPECT_EQ(rebuilt->open_report().replayed_events, head);
  expect_same(*live, *rebuilt, "rebuilt from 0, seed " + std::to_string(seed));
  rebuilt.reset();

  auto restarted = open_at(root_ / "copy", true);
  ASSERT_NE(restarted, nullptr);
  EXPECT_EQ(restarted->open_report().snapshot_position, snapshot_position);
  EXPECT_EQ(restarted->open_report().replayed_events, head - snapshot_position);
  EXPECT_TRUE(restarted->open_report().snapshot_problem.empty())
      << restarted->open_report().snapshot_problem;
  expect_same(*live, *restarted, "restarted from a snapshot, seed " + std::to_string(seed));
}

INSTANTIATE_TEST_SUITE_P(Seeds, SnapshotPropertyTest, ::testing::Range(1, kSeeds + 1));

}  // namespace
}  // namespace ikv::app
