// The checkpoints the application keeps: signed over the head on demand,
// kept across a reopen, signed in the background every N events, and set
// aside when another key signed them.
#include "app/audit_checkpoints.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "eventstore/memory_event_store.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

class AuditCheckpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ikv-checkpoints-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    store_ =
        eventstore::make_memory_event_store([] { return std::int64_t{1'715'767'200'000'000}; });
  }
  void TearDown() override { fs::remove_all(dir_); }

  void append(int n) {
    for (int i = 0; i < n; ++i) {
      eventstore::EventData e;
      e.event_id = "00000000-0000-4000-8000-" + std::to_string(100'000'000'000 + ++appended_);
      e.type = "Tested";
      e.payload = "p";
      ASSERT_TRUE(store_->append_sync({.stream = "test-1", .events = {e}}).ok());
    }
  }
  std::unique_ptr<AuditCheckpoints> open(AuditCheckpointOptions o = {.background = false}) {
    o.clock = [] { return std::int64_t{1'715'767'200'000'000}; };
    auto c = AuditCheckpoints::open(*store_, dir_.string(), std::move(o));
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? std::move(*c) : nullptr;
  }
  std::string hash_at(std::uint64_t position) {
    auto e = store_->read_all({.after = position - 1, .limit = 1});
    return crypto::hex_encode(e->front().hash);
  }

  fs::path dir_;
  std::unique_ptr<eventstore::EventStore> store_;
  int appended_ = 0;
};

TEST_F(AuditCheckpointsTest, SignNowCoversTheHead) {
  auto cps = open();
  append(3);
  auto c = cps->sign_now();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->position, 3u);
  EXPECT_EQ(c->hash, hash_at(3));
  EXPECT_EQ(c->signed_at, "2024-05-15T10:00:00Z");
  auto pub = crypto::VerifyingKey::from_pem(cps->public_key_pem());
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(audit::verify_checkpoint(*pub, *c).ok());
}

TEST_F(AuditCheckpointsTest, AnEmptyLogIsSignedAtPositionZero) {
  auto cps = open();
  auto c = cps->latest();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->position, 0u);
  EXPECT_EQ(c->hash, audit::kZeroHashHex);
}

TEST_F(AuditCheckpointsTest, TheLatestCheckpointAndTheKeySurviveAReopen) {
  append(2);
  audit::Checkpoint first;
  std::string pem;
  {
    auto cps = open();
    first = *cps->sign_now();
    pem = cps->public_key_pem();
  }
  append(2);
  auto cps = open();
  EXPECT_EQ(cps->public_key_pem(), pem);
  EXPECT_EQ(*cps->latest(), first);
  // The next one continues the verified chain from there.
  auto next = cps->sign_now();
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->position, 4u);
  EXPECT_EQ(next->hash, hash_at(4));
}

TEST_F(AuditCheckpointsTest, ACheckpointOfAnotherKeyIsSetAside) {
  append(1);
  ASSERT_TRUE(open()->sign_now().ok());
  fs::remove(dir_ / crypto::kSigningKeyFileName);  // as after a restore without the key
  std::string warning;
  auto cps = open({.background = false, .on_warning = [&](const std::string& w) { warning = w; }});
  ASSERT_NE(cps, nullptr);
  EXPECT_NE(warning.find("set aside"), std::string::npos) << warning;
  auto c = cps->latest();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->key_id, cps->key_id());
}

TEST_F(AuditCheckpointsTest, TheBackgroundSignsEveryNEventsAtExactlyThosePositions) {
  append(7);
  auto cps = open({.every_events = 3, .tick = std::chrono::milliseconds(5)});
  // Waits (without a time limit of its own; ctest's timeout ends a hang) for
  // the thread to catch up: 3 and 6 are due, 7 is not (the interval is long).
  std::vector<std::uint64_t> seen;
  for (;;) {
    const auto c = cps->peek();
    if (c && (seen.empty() || seen.back() != c->position)) seen.push_back(c->position);
    if (c && c->position >= 6) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(cps->peek()->position, 6u);
  EXPECT_EQ(cps->peek()->hash, hash_at(6));
  for (std::uint64_t p : seen) EXPECT_EQ(p % 3, 0u) << p;
}

}  // namespace
}  // namespace ikv::app
