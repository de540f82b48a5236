// SnapshotEncoder and SnapshotFileWriter: a snapshot written as its draft
// comes, in parts of any size, into memory or into a file (its header and
// checksums patched in after the bytes they cover were flushed), is the
// same bytes as one encoded at once; calls out of the grammar fail and the
// failure sticks; a file never committed leaves nothing behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include "app/snapshot_codec.h"
#include "app/snapshot_files.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

// Seals as "sealed:" + the plaintext, so that bytes compare exactly; refuses
// subject "erased" as the vault refuses an erased member.
class PlainSealer final : public codec::PersonalDataSealer {
 public:
  Result<std::string> seal(std::string_view subject, std::string_view plaintext) override {
    if (subject == "erased") return Error{ErrorCode::kInvalidArgument, "erased", {}};
    return "sealed:" + std::string(plaintext);
  }
};

// Three sections, the middle one 3 MiB and odd-sized, so that parts and the
// file's 1 MiB buffer fall across section boundaries and the checksums are
// patched into bytes already written; pieces of three subjects, one erased.
SnapshotDraft sample_draft() {
  SnapshotDraft d;
  d.position = 4242;
  std::string big((std::size_t{3} << 20) + 12345, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  d.sections.push_back({"view", 9, 4242, "the view's body"});
  d.sections.push_back({"trends", 4, 4200, std::move(big)});
  d.sections.push_back({"audit", 1, 4242, ""});
  d.pieces.add("m-1", "Anna");
  d.pieces.add("erased", "gone");
  d.pieces.add("m-2", "anna@example.fi");
  d.pieces.add("m-1", "+358401234567");
  return d;
}

// Feeds `draft` to `sink` with each body cut into parts of `part` bytes.
Status feed_in_parts(const SnapshotDraft& draft, DraftSink& sink, std::size_t part) {
  for (const auto& s : draft.sections) {
    if (Status st = sink.begin_section(s.name, s.format, s.position, s.body.size()); !st) {
      return st;
    }
    for (std::size_t at = 0; at < s.body.size(); at += part) {
      if (Status st = sink.body(std::string_view(s.body).substr(at, part)); !st) return st;
    }
    if (Status st = sink.end_section(); !st) return st;
  }
  return ok_status();
}

class SnapshotEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ikv-encoder-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  PlainSealer sealer_;
};

TEST_F(SnapshotEncoderTest, PartsOfAnySizeInMemoryOrInAFileGiveTheBytesOfOneWholeEncoding) {
  const SnapshotDraft draft = sample_draft();
  auto whole = seal_snapshot(draft, sealer_);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(snapshot_position(*whole), 4242u);
  // The erased subject's piece is left out, the others are there.
  EXPECT_EQ(whole->find("gone"), std::string::npos);
  EXPECT_NE(whole->find("sealed:"), std::string::npos);

  for (std::size_t part : {std::size_t{3}, std::size_t{4096}, (std::size_t{1} << 20) + 1}) {
    StringOutput out;
    SnapshotEncoder encoder(out, draft.position);
    ASSERT_TRUE(feed_in_parts(draft, encoder, part));
    ASSERT_TRUE(encoder.finish(draft.pieces, sealer_));
    EXPECT_TRUE(out.take() == *whole) << "parts of " << part;
  }

  for (std::size_t part : {std::size_t{4096}, std::size_t{3} << 20}) {
    auto file = SnapshotFileWriter::create(dir_, draft.position);
    ASSERT_TRUE(file) << file.error().message;
    SnapshotEncoder encoder(**file, draft.position);
    ASSERT_TRUE(feed_in_parts(draft, encoder, part));
    ASSERT_TRUE(encoder.finish(draft.pieces, sealer_));
    ASSERT_TRUE((*file)->commit());
    auto read = read_latest_snapshot_file(dir_);
    ASSERT_TRUE(read && *read);
    EXPECT_TRUE(**read == *whole) << "file, parts of " << part;
    EXPECT_EQ(snapshot_file_count(dir_), 1u);
  }
}

TEST_F(SnapshotEncoderTest, CallsOutOfTheGrammarFailAndTheFailureSticks) {
  {
    StringOutput out;
    SnapshotEncoder e(out, 1);
    EXPECT_EQ(e.body("x").error().code, ErrorCode::kInternal);  // no section begun
    EXPECT_FALSE(e.begin_section("view", 1, 1, 0));             // the failure sticks
    EXPECT_FALSE(e.finish({}, sealer_));
  }
  {
    StringOutput out;
    SnapshotEncoder e(out, 1);
    ASSERT_TRUE(e.begin_section("view", 1, 1, 2));
    EXPECT_FALSE(e.body("abc"));  // longer than announced
    EXPECT_FALSE(e.end_section());
  }
  {
    StringOutput out;
    SnapshotEncoder e(out, 1);
    ASSERT_TRUE(e.begin_section("view", 1, 1, 2));
    ASSERT_TRUE(e.body("a"));
    EXPECT_FALSE(e.end_section());  // shorter than announced
  }
  {
    StringOutput out;
    SnapshotEncoder e(out, 1);
    ASSERT_TRUE(e.begin_section("view", 1, 1, 0));
    EXPECT_FALSE(e.finish({}, sealer_));  // inside a section
  }
  {
    StringOutput out;
    EXPECT_FALSE(out.patch(2, std::string(100, 'x')));  // beyond what was written
  }
}

TEST_F(SnapshotEncoderTest, AFileNeverCommittedLeavesNothingBehindAndTheOlderOneStays) {
  ASSERT_TRUE(write_snapshot_file(dir_, 7, "seven"));
  {
    auto file = SnapshotFileWriter::create(dir_, 9);
    ASSERT_TRUE(file);
    ASSERT_TRUE((*file)->append(std::string(3 << 20, 'x')));  // flushed in part
    EXPECT_TRUE(fs::exists(dir_ / "snapshots" / "registry-00000000000000000009.snap.tmp"));
  }  // given up: a failed draft
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "snapshots")) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "registry-00000000000000000007.snap");
  }
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(**read_latest_snapshot_file(dir_), "seven");
}

}  // namespace
}  // namespace ikv::app
