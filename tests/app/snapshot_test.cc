// Registry snapshots on a real RocksDB store: catch-up from the snapshot,
// fallback to a full replay, erasure, personal data never in clear text.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include <sys/wait.h>

#include "app/registry.h"
#include "app/snapshot_codec.h"
#include "app/snapshot_files.h"
#include "app/snapshot_fork.h"
#include "projections/json_render.h"
#include "tests/app/workload.h"

namespace ikv::app {
namespace {

// A reader of the registry's snapshots without its vault: the seal id of the
// vault, none of its keys.
class NoKeys final : public projections::PersonalSeal {
 public:
  std::optional<std::string> seal(std::string_view /*subject*/,
                                  std::string_view /*plaintext*/) const override {
    return std::nullopt;
  }
  std::optional<std::string> open(std::string_view /*subject*/,
                                  std::string_view /*sealed*/) const override {
    return std::nullopt;
  }
  std::string_view id() const override { return "vault"; }
};

namespace fs = std::filesystem;
using testing::run_sync;

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ikv-snap-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    registry_.reset();
    fs::remove_all(dir_);
  }
  RegistryOptions options() {
    RegistryOptions o;
    o.data_dir = dir_.string();
    o.durability = eventstore::Durability::kAsync;
    o.snapshot_every_events = 0;
    o.snapshot_on_close = false;
    o.on_warning = [this](const std::string& w) { warnings_.push_back(w); };
    return o;
  }
  void open(RegistryOptions o) {
    registry_.reset();
    auto r = Registry::open(std::move(o));
    ASSERT_TRUE(r) << r.error().message;
    registry_ = std::move(*r);
  }
  void open() { open(options()); }
  void run(std::uint64_t seed, int commands) {
    testing::Workload w(*registry_, seed);
    w.setup();
    for (int i = 0; i < commands; ++i) w.step();
  }
  static CommandMeta meta() {
    CommandMeta m;
    m.actor = "test";
    m.request_id = "req";
    return m;
  }
  void join(const std::string& network, const std::string& id, const std::string& email) {
    domain::JoinNetwork j;
    j.member_id = id;
    j.personal = {"Anna Virtanen", email, std::string("+358401234567")};
    j.organisation = "Pro-tukipiste";
    j.sector = "ngo";
    j.joined_on = domain::Date{2024, 1, 1};
    auto r = run_sync([&](CommandDone done) {
      registry_->execute_network(network, std::move(j), meta(), std::move(done));
    });
    ASSERT_TRUE(std::holds_alternative<CommandOk>(r));
  }
  std::string view_dump() const {
    return boost::json::serialize(
        registry_->read([](const projections::RegistryView& v) { return v.dump(); }));
  }
  std::string models_dump() const {
    return boost::json::serialize(
        registry_->read_models([](const projections::ReadModels& m) { return m.dump(); }));
  }
  std::string stored_snapshot() {
    auto s = read_latest_snapshot_file(dir_);
    EXPECT_TRUE(s && *s);
    return s && *s ? **s : std::string();
  }
  // Where a snapshot's personal part starts (the header's u64le at 48).
  static std::size_t personal_offset(const std::string& bytes) {
    std::uint64_t at = 0;
    for (int i = 7; i >= 0; --i) at = (at << 8) | static_cast<std::uint8_t>(bytes[48 + i]);
    return static_cast<std::size_t>(at);
  }
  // Replaces the stored snapshot with `bytes` (under the current one's position).
  void store_snapshot(const std::string& bytes) {
    ASSERT_TRUE(write_snapshot_file(dir_, registry_->snapshot_position(), bytes));
  }

  fs::path dir_;
  std::unique_ptr<Registry> registry_;
  std::vector<std::string> warnings_;
};

TEST_F(SnapshotTest, ReopenLoadsTheSnapshotAndReplaysOnlyLaterEvents) {
  open();
  run(11, 120);
  auto written = registry_->snapshot_now();
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(*written, registry_->applied_position());
  EXPECT_EQ(registry_->snapshot_position(), *written);
  testing::Workload more(*registry_, 12, {}, "b-");
  more.setup();
  for (int i = 0; i < 40; ++i) more.step();
  const std::uint64_t head = registry_->store().head_position();
  ASSERT_GT(head, *written);
  const std::string before = view_dump();

  open();
  const OpenReport& report = registry_->open_report();
  EXPECT_EQ(report.snapshot_position, *written);
  EXPECT_EQ(report.replayed_events, head - *written);
  EXPECT_TRUE(report.snapshot_problem.empty());
  EXPECT_GE(report.seconds, 0.0);
  EXPECT_EQ(view_dump(), before);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(SnapshotTest, CloseWritesAFinalSnapshotWhenSomethingChanged) {
  auto o = options();
  o.snapshot_on_close = true;
  open(o);
  run(3, 50);
  const std::uint64_t head = registry_->store().head_position();
  registry_->close();
  open(o);
  EXPECT_EQ(registry_->open_report().snapshot_position, head);
  EXPECT_EQ(registry_->open_report().replayed_events, 0u);
}

TEST_F(SnapshotTest, ACorruptSectionRebuildsThatUnitAloneFromTheLog) {
  open();
  run(5, 80);
  ASSERT_TRUE(registry_->snapshot_now());
  std::string bytes = stored_snapshot();
  // The audit index's section is the last one, just before the personal
  // part: flip a byte in its body.
  const std::size_t at = personal_offset(bytes) - 3;
  bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
  store_snapshot(bytes);
  const std::string before = view_dump();
  const std::string models_before = models_dump();
  const std::uint64_t head = registry_->store().head_position();

  open();
  const OpenReport& report = registry_->open_report();
  EXPECT_EQ(report.snapshot_position, head);
  EXPECT_TRUE(report.snapshot_problem.empty()) << report.snapshot_problem;
  ASSERT_EQ(report.snapshot_rebuilt.size(), 1u);
  EXPECT_EQ(report.snapshot_rebuilt[0], "audit: checksum mismatch");
  // Only the audit unit was fed, from the start of the log.
  EXPECT_EQ(report.replayed_events, head);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("audit: checksum mismatch"), std::string::npos) << warnings_[0];
  EXPECT_EQ(view_dump(), before);
  EXPECT_EQ(models_dump(), models_before);
  // The spoilt snapshot is replaced by the next one, at the same position.
  EXPECT_EQ(registry_->snapshot_position(), 0u);
  ASSERT_TRUE(registry_->snapshot_now());
  open();
  EXPECT_TRUE(registry_->open_report().snapshot_rebuilt.empty());
  EXPECT_EQ(registry_->open_report().replayed_events, 0u);
}

TEST_F(SnapshotTest, ACorruptPersonalPartFallsBackToAFullReplay) {
  open();
  run(5, 80);
  ASSERT_TRUE(registry_->snapshot_now());
  std::string bytes = stored_snapshot();
  // The personal part's piece count, at the offset the header gives.
  const std::size_t at = personal_offset(bytes);
  ASSERT_LT(at, bytes.size());
  bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
  store_snapshot(bytes);
  const std::string before = models_dump();
  const std::uint64_t head = registry_->store().head_position();

  open();
  EXPECT_EQ(registry_->open_report().snapshot_position, 0u);
  EXPECT_EQ(registry_->open_report().replayed_events, head);
  EXPECT_NE(registry_->open_report().snapshot_problem.find("checksum"), std::string::npos)
      << registry_->open_report().snapshot_problem;
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(models_dump(), before);
}

TEST_F(SnapshotTest, AnUnknownFormatVersionFallsBackToAFullReplay) {
  open();
  run(6, 60);
  ASSERT_TRUE(registry_->snapshot_now());
  std::string bytes = stored_snapshot();
  ASSERT_TRUE(snapshot_position(bytes).has_value());
  bytes[4] = static_cast<char>(kSnapshotFormat + 1);  // the format version, little-endian
  EXPECT_FALSE(snapshot_position(bytes).has_value());
  store_snapshot(bytes);
  const std::string before = view_dump();
  const std::uint64_t head = registry_->store().head_position();

  open();
  EXPECT_EQ(registry_->open_report().snapshot_position, 0u);
  EXPECT_EQ(registry_->open_report().replayed_events, head);
  EXPECT_NE(registry_->open_report().snapshot_problem.find("format"), std::string::npos);
  EXPECT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(view_dump(), before);
}

TEST_F(SnapshotTest, ASnapshotAtPositionZeroLoadsAndReplaysEverything) {
  open();
  auto written = registry_->snapshot_now();
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(*written, 0u);
  EXPECT_EQ(snapshot_position(stored_snapshot()), std::optional<std::uint64_t>(0));
  run(8, 30);
  const std::string before = view_dump();
  const std::uint64_t head = registry_->store().head_position();

  open();
  EXPECT_EQ(registry_->open_report().snapshot_position, 0u);
  EXPECT_EQ(registry_->open_report().replayed_events, head);
  EXPECT_TRUE(registry_->open_report().snapshot_problem.empty());
  EXPECT_EQ(view_dump(), before);
}

TEST_F(SnapshotTest, AMemberErasedAfterTheSnapshotIsErasedOnReopen) {
  open();
  run(9, 40);
  join("oulu", "anna", "anna.virtanen@example.fi");
  ASSERT_TRUE(registry_->snapshot_now());
  auto erased = run_sync(
      [&](CommandDone done) { registry_->erase_personal_data("anna", meta(), std::move(done)); });
  ASSERT_TRUE(std::holds_alternative<CommandOk>(erased));
  const std::string before = view_dump();

  open();
  EXPECT_GT(registry_->open_report().snapshot_position, 0u);
  EXPECT_EQ(registry_->open_report().replayed_events, 1u);
  registry_->read([](const projections::RegistryView& v) {
    const auto& m = v.find_network("oulu")->members.at("anna");
    EXPECT_TRUE(m.erased);
    EXPECT_TRUE(m.sealed_personal.empty());
    return 0;
  });
  EXPECT_EQ(view_dump(), before);
  // The decider's state, folded from the log, no longer holds the address:
  // it is free to join with again.
  join("oulu", "anna-again", "anna.virtanen@example.fi");
}

TEST_F(SnapshotTest, ASnapshotTakenAfterAnErasureHoldsTheMemberErased) {
  open();
  run(10, 30);
  join("oulu", "anna", "anna.virtanen@example.fi");
  auto erased = run_sync(
      [&](CommandDone done) { registry_->erase_personal_data("anna", meta(), std::move(done)); });
  ASSERT_TRUE(std::holds_alternative<CommandOk>(erased));
  ASSERT_TRUE(registry_->snapshot_now());
  const std::string before = view_dump();

  open();
  EXPECT_EQ(registry_->open_report().snapshot_position, registry_->store().head_position());
  EXPECT_EQ(registry_->open_report().replayed_events, 0u);
  registry_->read([](const projections::RegistryView& v) {
    const auto& m = v.find_network("oulu")->members.at("anna");
    EXPECT_TRUE(m.erased);
    EXPECT_TRUE(m.sealed_personal.empty());
    EXPECT_TRUE(m.is_current());
    return 0;
  });
  EXPECT_EQ(view_dump(), before);
}

TEST_F(SnapshotTest, TheDataDirectoryNeverHoldsAnEmailInClearText) {
  open();
  testing::Workload w(*registry_, 21);
  w.setup();
  for (int i = 0; i < 60; ++i) w.step();
  join("oulu", "anna", "anna.snapshot.secret@example.fi");
  ASSERT_TRUE(registry_->snapshot_now());
  // The snapshot value itself: no e-mail, no name, no phone.
  const std::string bytes = stored_snapshot();
  EXPECT_EQ(bytes.find("anna.snapshot.secret@example.fi"), std::string::npos);
  EXPECT_EQ(bytes.find("Anna Virtanen"), std::string::npos);
  EXPECT_EQ(bytes.find("+358401234567"), std::string::npos);
  for (const auto& email : w.emails()) EXPECT_EQ(bytes.find(email), std::string::npos) << email;
  // Opened without the keys, every member loads with personal data that does
  // not open, and the counts stay right.
  const NoKeys no_keys;
  auto blind = open_snapshot(bytes, codec::WithoutPersonalData(), projections::ReadModels(no_keys));
  ASSERT_TRUE(blind) << blind.error().message;
  EXPECT_TRUE(blind->rebuilt.empty());
  const auto& anna = blind->models.view().find_network("oulu")->members.at("anna");
  EXPECT_FALSE(anna.sealed_personal.empty());
  const auto shown = projections::render::member("anna", anna, {.personal = &no_keys});
  EXPECT_TRUE(shown.at("email").is_null());
  EXPECT_TRUE(shown.at("name").is_null());
  EXPECT_EQ(blind->models.view().find_network("oulu")->current_member_count(),
            registry_->read([](const projections::RegistryView& v) {
              return v.find_network("oulu")->current_member_count();
            }));
  // Every file of the data directory, after the store is closed.
  registry_.reset();
  std::size_t scanned = 0;
  bool organisation_seen = false;
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    scanned += content.size();
    EXPECT_EQ(content.find("anna.snapshot.secret@example.fi"), std::string::npos) << entry.path();
    if (content.find("Pro-tukipiste") != std::string::npos) organisation_seen = true;
  }
  EXPECT_GT(scanned, bytes.size());
  EXPECT_TRUE(organisation_seen) << "the scan should see the clear-text organisation";
}

TEST_F(SnapshotTest, TheBackgroundThreadWritesSnapshotsEveryNEvents) {
  auto o = options();
  o.snapshot_every_events = 25;
  open(o);
  run(13, 100);
  const std::uint64_t head = registry_->store().head_position();
  ASSERT_GT(head, 50u);
  // Wait (no timing asserted) for the thread to catch up with the last threshold.
  for (int i = 0; i < 1000 && registry_->snapshot_position() + 25 <= head; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(registry_->snapshot_position() + 25, head);
  const std::uint64_t covered = registry_->snapshot_position();
  EXPECT_GT(covered, 0u);
  registry_->close();

  // The thread may still have finished one more snapshot before close()
  // stopped it: the reopened registry starts from the newest one, never older.
  open();
  const std::uint64_t loaded = registry_->open_report().snapshot_position;
  EXPECT_GE(loaded, covered);
  EXPECT_LE(loaded, head);
  EXPECT_EQ(registry_->open_report().replayed_events, head - loaded);
}

TEST_F(SnapshotTest, AForkedChildDraftsTheStateAsItWasAtTheForkWhileCommitsGoOn) {
  if (!fork_available()) GTEST_SKIP() << "this build drafts snapshots in-process";
  open();
  run(5, 150);
  std::uint64_t position = 0;
  SnapshotDraft expected;
  std::optional<ForkedDraft> child;
  registry_->read_models([&](const projections::ReadModels& m) {
    position = m.position();
    expected = draft_snapshot(m, position);
    auto forked = ForkedDraft::begin(m, position);
    ASSERT_TRUE(forked) << forked.error().message;
    child.emplace(std::move(*forked));
  });
  ASSERT_TRUE(child.has_value());
  // Commits go on (the lock is released) while the child works from its copy.
  run(6, 100);
  ASSERT_GT(registry_->applied_position(), position);
  auto got = child->finish();
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->position, position);
  ASSERT_EQ(got->sections.size(), expected.sections.size());
  for (std::size_t i = 0; i < expected.sections.size(); ++i) {
    EXPECT_EQ(got->sections[i].name, expected.sections[i].name);
    EXPECT_EQ(got->sections[i].format, expected.sections[i].format);
    EXPECT_EQ(got->sections[i].position, expected.sections[i].position);
    EXPECT_TRUE(got->sections[i].body == expected.sections[i].body) << got->sections[i].name;
  }
  ASSERT_EQ(got->pieces.pieces().size(), expected.pieces.pieces().size());
  for (std::size_t i = 0; i < expected.pieces.pieces().size(); ++i) {
    EXPECT_EQ(got->pieces.pieces()[i].subject, expected.pieces.pieces()[i].subject);
    EXPECT_EQ(got->pieces.pieces()[i].plaintext, expected.pieces.pieces()[i].plaintext);
  }
  EXPECT_FALSE(child->finish()) << "a draft is read once";
}

TEST_F(SnapshotTest, AChildThatIsNeverFinishedIsReaped) {
  if (!fork_available()) GTEST_SKIP() << "this build drafts snapshots in-process";
  open();
  run(7, 50);
  registry_->read_models([&](const projections::ReadModels& m) {
    auto forked = ForkedDraft::begin(m, m.position());
    ASSERT_TRUE(forked) << forked.error().message;
  });
  // The destructor killed and waited for it: this process has no child left.
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(SnapshotTest, AnInMemoryRegistrySnapshotsToo) {
  RegistryOptions o;
  o.snapshot_every_events = 0;
  auto r = Registry::open(std::move(o));
  ASSERT_TRUE(r);
  registry_ = std::move(*r);
  run(4, 30);
  auto written = registry_->snapshot_now();
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(*written, registry_->store().head_position());
  // Without a data directory the snapshot is kept in the store's side table.
  auto stored = registry_->store().side_get(eventstore::kSideSnapshots, kSnapshotKey);
  ASSERT_TRUE(stored && *stored);
  const NoKeys no_keys;
  auto loaded =
      open_snapshot(**stored, codec::WithoutPersonalData(), projections::ReadModels(no_keys));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->rebuilt.empty());
  EXPECT_EQ(loaded->position, *written);
  EXPECT_EQ(loaded->models.view().position(),
            registry_->read([](const projections::RegistryView& v) { return v.position(); }));
}

TEST_F(SnapshotTest, SnapshotFilesKeepTheNewestAndNeverReadATornOne) {
  fs::create_directories(dir_);
  EXPECT_FALSE(*read_latest_snapshot_file(dir_));
  ASSERT_TRUE(write_snapshot_file(dir_, 7, "seven"));
  // A crash while writing the next one leaves its temporary file: never read.
  {
    std::ofstream torn(dir_ / "snapshots" / "registry-00000000000000000009.snap.tmp");
    torn << "half";
  }
  EXPECT_EQ(**read_latest_snapshot_file(dir_), "seven");
  ASSERT_TRUE(write_snapshot_file(dir_, 12, "twelve"));
  EXPECT_EQ(**read_latest_snapshot_file(dir_), "twelve");
  // The older file and the leftover went once the new one was durable.
  EXPECT_EQ(snapshot_file_count(dir_), 1u);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "snapshots")) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "registry-00000000000000000012.snap");
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(SnapshotTest, ADataDirectoryKeepsItsSnapshotAsAFileNotInTheStore) {
  open();
  run(3, 40);
  auto written = registry_->snapshot_now();
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(snapshot_file_count(dir_), 1u);
  auto in_store = registry_->store().side_get(eventstore::kSideSnapshots, kSnapshotKey);
  ASSERT_TRUE(in_store);
  EXPECT_FALSE(*in_store);
}

TEST_F(SnapshotTest, ALoaderGivenReleaseLoadsTheSameModelsAndHandsBackEveryByte) {
  open();
  run(5, 60);
  ASSERT_TRUE(registry_->snapshot_now());
  auto mapped = map_latest_snapshot_file(dir_);
  ASSERT_TRUE(mapped && *mapped);
  const MappedFile& file = **mapped;
  const std::string_view bytes = file.bytes();
  const std::string copy(bytes);
  const NoKeys no_keys;
  auto plain = open_snapshot(copy, codec::WithoutPersonalData(), projections::ReadModels(no_keys));
  ASSERT_TRUE(plain) << plain.error().message;

  std::mutex mu;  // the units load on two threads
  std::vector<bool> covered(bytes.size(), false);
  bool outside = false;
  const ReleaseBytes release = [&](std::string_view part) {
    std::lock_guard lock(mu);
    if (part.data() < bytes.data() || part.data() + part.size() > bytes.data() + bytes.size()) {
      outside = true;
      return;
    }
    const auto at = static_cast<std::size_t>(part.data() - bytes.data());
    for (std::size_t k = 0; k < part.size(); ++k) covered[at + k] = true;
    file.release(part);  // the pages go; the loader reads on from the file
  };
  auto released =
      open_snapshot(bytes, codec::WithoutPersonalData(), projections::ReadModels(no_keys), release);
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_FALSE(outside);
  EXPECT_TRUE(released->rebuilt.empty());
  EXPECT_EQ(boost::json::serialize(released->models.dump()),
            boost::json::serialize(plain->models.dump()));
  // Every byte of the personal part and of every section body was handed
  // back; only the header and the sections' own headers were not.
  const std::size_t personal_at = personal_offset(copy);
  for (std::size_t k = personal_at; k < bytes.size(); ++k) ASSERT_TRUE(covered[k]) << k;
  const auto left = static_cast<std::size_t>(std::count(covered.begin(), covered.end(), false));
  EXPECT_LT(left, 128 + 64 * released->models.units().size());
  // Released pages read back as they were.
  EXPECT_EQ(bytes, copy);
}

TEST(SnapshotReaderRelease, HandsBackWhatWasReadInOrderAtLeastAStepAtATime) {
  projections::SnapshotWriter w;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    w.varint(i * 977);
    w.string(std::string(i % 23, 'x'));
  }
  const std::string bytes = w.take();
  projections::SnapshotReader r(bytes);
  std::vector<std::string_view> parts;
  r.release_behind([&](std::string_view part) { parts.push_back(part); }, 100);
  for (std::uint64_t i = 0; i < 2000; ++i) {
    ASSERT_EQ(r.varint(), i * 977);
    ASSERT_EQ(r.string(), std::string(i % 23, 'x'));
  }
  ASSERT_TRUE(r.ok() && r.at_end());
  ASSERT_FALSE(parts.empty());
  // Contiguous from the start, each at least a step, never past what was read.
  const char* next = bytes.data();
  for (const std::string_view part : parts) {
    EXPECT_EQ(part.data(), next);
    EXPECT_GE(part.size(), 100u);
    next = part.data() + part.size();
  }
  EXPECT_LE(next, bytes.data() + bytes.size());
  EXPECT_GT(next, bytes.data() + bytes.size() - 200);
}

TEST(MappedFileRelease, ReleasedPagesReadBackFromTheFileAndForeignPartsAreIgnored) {
  const fs::path path = fs::temp_directory_path() / ("ikv-mapped-" + std::to_string(::getpid()));
  std::string pattern;
  for (int i = 0; i < 100'000; ++i) pattern += static_cast<char>('a' + i % 26);
  {
    std::ofstream out(path, std::ios::binary);
    out << pattern;
  }
  auto mapped = MappedFile::open(path);
  ASSERT_TRUE(mapped) << mapped.error().message;
  const std::string_view bytes = mapped->bytes();
  ASSERT_EQ(bytes, pattern);
  mapped->release(bytes.substr(5'000, 60'000));
  mapped->release(bytes);
  mapped->release(pattern);             // not the mapping's: ignored
  mapped->release(std::string_view());  // likewise
  EXPECT_EQ(bytes, pattern);
  fs::remove(path);
}

}  // namespace
}  // namespace ikv::app
