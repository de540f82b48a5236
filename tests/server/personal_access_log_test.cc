// The personal-data access log: recording, batches written on flush and on
// close, reopening after a clean close and after a crash that left a torn
// tail, and paging with filters. No assertion about time: batches are forced
// with flush() and close().
#include "server/personal_access_log.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace ikv::server {
namespace {

namespace fs = std::filesystem;

class TempFile {
 public:
  TempFile() {
    dir_ = fs::temp_directory_path() /
           ("ikv-access-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(dir_);
  }
  ~TempFile() { fs::remove_all(dir_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return (dir_ / "personal-access.log").string(); }
  std::string text() const {
    std::ifstream in(path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void append(const std::string& bytes) const {
    std::ofstream out(path(), std::ios::binary | std::ios::app);
    out << bytes;
  }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
};

AccessEntry entry(std::string token, std::string network, std::vector<std::string> members) {
  AccessEntry e;
  e.token_id = std::move(token);
  e.token_name = e.token_id + "-name";
  e.role = "admin";
  e.method = "GET";
  e.route = "/v1/networks/{id}/members";
  e.path = "/v1/networks/" + network + "/members";
  e.network = std::move(network);
  e.request_id = "req-" + e.token_id;
  e.records = members.size();
  e.members = std::move(members);
  return e;
}

// A clock that moves one second per reading, from 2024-01-01T00:00:00Z.
std::function<std::int64_t()> stepping_clock() {
  auto now = std::make_shared<std::int64_t>(1704067200000000);
  return [now] { return *now += 1000000; };
}

std::vector<std::uint64_t> seqs(const AccessPage& page) {
  std::vector<std::uint64_t> out;
  for (const auto& e : page.entries) out.push_back(e.seq);
  return out;
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(PersonalAccessLog, ListsWhatWasRecordedNewestFirst) {
  auto log = PersonalAccessLog::open({}).value();
  log->record(entry("t1", "oulu", {"m1", "m2"}));
  log->record(entry("t2", "turku", {"m3"}));
  auto page = log->list({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_FALSE(page->more);
  const AccessEntry& newest = page->entries[0];
  EXPECT_EQ(newest.seq, 2u);
  EXPECT_EQ(newest.token_id, "t2");
  EXPECT_EQ(newest.token_name, "t2-name");
  EXPECT_EQ(newest.network, "turku");
  EXPECT_EQ(newest.members, std::vector<std::string>{"m3"});
  EXPECT_EQ(newest.records, 1u);
  EXPECT_EQ(newest.route, "/v1/networks/{id}/members");
  EXPECT_EQ(newest.path, "/v1/networks/turku/members");
  EXPECT_EQ(newest.request_id, "req-t2");
  EXPECT_GT(newest.at_us, 0);
  EXPECT_EQ(page->entries[1].members, (std::vector<std::string>{"m1", "m2"}));
}

TEST(PersonalAccessLog, WritesABatchWhenFlushedAndWhatWaitsWhenClosed) {
  TempFile file;
  // A window far longer than the test: only flush() and close() write.
  auto log =
      PersonalAccessLog::open({.path = file.path(), .flush_interval = std::chrono::seconds(1)})
          .value();
  log->record(entry("t1", "oulu", {"m1"}));
  log->record(entry("t1", "oulu", {"m2"}));
  ASSERT_TRUE(log->flush().ok());
  EXPECT_EQ(lines(file.text()), 2u);
  EXPECT_EQ(log->stats().entries, 2u);
  EXPECT_EQ(log->stats().pending, 0u);
  log->record(entry("t1", "oulu", {"m3"}));
  log->close();
  EXPECT_EQ(lines(file.text()), 3u);
  log->record(entry("t1", "oulu", {"m4"}));  // after close: dropped
  EXPECT_EQ(log->stats().dropped, 1u);
  EXPECT_EQ(seqs(log->list({}).value()), (std::vector<std::uint64_t>{3, 2, 1}));
}

TEST(PersonalAccessLog, LinesHoldAChecksumAndNoPersonalFields) {
  TempFile file;
  {
    auto log = PersonalAccessLog::open({.path = file.path()}).value();
    log->record(entry("t1", "oulu", {"m1"}));
  }
  const std::string text = file.text();
  ASSERT_EQ(lines(text), 1u);
  EXPECT_EQ(text[16], ' ');
  EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), 16u);
  EXPECT_NE(text.find("\"members\":[\"m1\"]"), std::string::npos) << text;
  EXPECT_EQ(fs::status(file.path()).permissions() & fs::perms::others_read, fs::perms::none);
}

TEST(PersonalAccessLog, KeepsEveryEntryAcrossACleanReopen) {
  TempFile file;
  {
    auto log = PersonalAccessLog::open({.path = file.path()}).value();
    for (int i = 0; i < 5; ++i) log->record(entry("t" + std::to_string(i), "oulu", {"m"}));
    log->close();
  }
  auto log = PersonalAccessLog::open({.path = file.path()}).value();
  EXPECT_EQ(log->stats().entries, 5u);
  EXPECT_EQ(log->stats().skipped_lines, 0u);
  log->record(entry("t5", "turku", {"m9"}));
  auto page = log->list({});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(seqs(*page), (std::vector<std::uint64_t>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(page->entries[0].network, "turku");
  EXPECT_EQ(page->entries[5].token_id, "t0");
  EXPECT_LE(page->entries[1].at_us, page->entries[0].at_us);
}

TEST(PersonalAccessLog, IgnoresADamagedLineAndCutsATornTailAfterACrash) {
  TempFile file;
  {
    auto log = PersonalAccessLog::open({.path = file.path()}).value();
    for (int i = 0; i < 3; ++i) log->record(entry("t" + std::to_string(i), "oulu", {"m"}));
  }
  // What a crash in the middle of a batch can leave: a complete line that does
  // not check (zeros where data never landed) and an unfinished last line.
  const std::string good = file.text();
  const std::string last_line = good.substr(good.rfind('\n', good.size() - 2) + 1);
  file.append(std::string(17, '\0') + "{\"seq\":4}\n");
  file.append(last_line.substr(0, last_line.size() / 2));
  {
    std::vector<std::string> warnings;
    auto log = PersonalAccessLog::open(
                   {.path = file.path(),
                    .on_warning = [&](const std::string& w) { warnings.push_back(w); }})
                   .value();
    EXPECT_EQ(log->stats().entries, 3u);
    EXPECT_EQ(log->stats().skipped_lines, 1u);
    EXPECT_EQ(log->stats().torn_bytes, last_line.size() / 2);
    EXPECT_EQ(warnings.size(), 1u);
    EXPECT_EQ(seqs(log->list({}).value()), (std::vector<std::uint64_t>{3, 2, 1}));
    log->record(entry("t3", "turku", {"m7"}));  // appended after the cut, on a line of its own
  }
  auto log = PersonalAccessLog::open({.path = file.path()}).value();
  EXPECT_EQ(log->stats().torn_bytes, 0u);
  auto page = log->list({}).value();
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{4, 3, 2, 1}));
  EXPECT_EQ(page.entries[0].members, std::vector<std::string>{"m7"});
}

TEST(PersonalAccessLog, RefusesAnEditedLine) {
  TempFile file;
  {
    auto log = PersonalAccessLog::open({.path = file.path()}).value();
    log->record(entry("t1", "oulu", {"m1"}));
    log->record(entry("t2", "oulu", {"m2"}));
  }
  std::string text = file.text();
  text.replace(text.find("\"m1\""), 4, "\"m9\"");
  std::ofstream(file.path(), std::ios::binary | std::ios::trunc) << text;
  auto log = PersonalAccessLog::open({.path = file.path()}).value();
  EXPECT_EQ(log->stats().skipped_lines, 1u);
  EXPECT_EQ(seqs(log->list({}).value()), (std::vector<std::uint64_t>{2}));
}

TEST(PersonalAccessLog, PagesNewestFirstWithoutGapsOrRepeats) {
  TempFile file;
  auto log = PersonalAccessLog::open({.path = file.path()}).value();
  for (int i = 0; i < 10; ++i) log->record(entry("t", "oulu", {"m" + std::to_string(i)}));
  std::vector<std::uint64_t> seen;
  AccessQuery q{.limit = 3};
  for (int pages = 0; pages < 10; ++pages) {
    auto page = log->list(q).value();
    for (auto s : seqs(page)) seen.push_back(s);
    if (!page.more) break;
    EXPECT_EQ(page.entries.size(), 3u);
    q.before_seq = page.entries.back().seq;
  }
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(PersonalAccessLog, FiltersByTokenNameNetworkAndRecordedTime) {
  auto log = PersonalAccessLog::open({.clock = stepping_clock()}).value();
  // seq 1..6 at 00:00:01 .. 00:00:06
  log->record(entry("a", "oulu", {"m1"}));
  log->record(entry("b", "oulu", {"m2"}));
  log->record(entry("a", "turku", {"m3"}));
  log->record(entry("b", "turku", {"m4"}));
  log->record(entry("a", "oulu", {"m5"}));
  log->record(entry("b", "oulu", {"m6"}));
  const std::int64_t t0 = 1704067200000000;
  const auto ids = [&](AccessQuery q) { return seqs(log->list(q).value()); };
  EXPECT_EQ(ids({.token_id = "a"}), (std::vector<std::uint64_t>{5, 3, 1}));
  EXPECT_EQ(ids({.token_name = "b-name"}), (std::vector<std::uint64_t>{6, 4, 2}));
  EXPECT_EQ(ids({.network = "turku"}), (std::vector<std::uint64_t>{4, 3}));
  EXPECT_EQ(ids({.token_id = "a", .network = "oulu"}), (std::vector<std::uint64_t>{5, 1}));
  EXPECT_EQ(ids({.from_us = t0 + 2000000, .to_us = t0 + 4000000}),
            (std::vector<std::uint64_t>{4, 3, 2}));
  EXPECT_EQ(ids({.network = "oulu", .from_us = t0 + 2000000, .to_us = t0 + 5000000}),
            (std::vector<std::uint64_t>{5, 2}));
  EXPECT_EQ(ids({.token_id = "a", .before_seq = 5}), (std::vector<std::uint64_t>{3, 1}));
  EXPECT_TRUE(ids({.token_id = "nobody"}).empty());
  EXPECT_TRUE(ids({.network = "oulu", .from_us = t0 + 7000000}).empty());
  auto first = log->list({.network = "oulu", .limit = 2}).value();
  EXPECT_EQ(seqs(first), (std::vector<std::uint64_t>{6, 5}));
  EXPECT_TRUE(first.more);
  auto last = log->list({.network = "oulu", .before_seq = 5, .limit = 2}).value();
  EXPECT_EQ(seqs(last), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_FALSE(last.more);
}

TEST(PersonalAccessLog, RecordedInstantsNeverGoBackwards) {
  auto readings =
      std::make_shared<std::vector<std::int64_t>>(std::vector<std::int64_t>{500, 900, 700, 1000});
  auto log = PersonalAccessLog::open({.clock = [readings] {
               const std::int64_t v = readings->front();
               readings->erase(readings->begin());
               return v;
             }}).value();
  for (int i = 0; i < 4; ++i) log->record(entry("t", "oulu", {"m"}));
  std::vector<std::int64_t> at;
  const AccessPage page = log->list({}).value();
  for (const auto& e : page.entries) at.push_back(e.at_us);
  EXPECT_EQ(at, (std::vector<std::int64_t>{1000, 900, 900, 500}));
}

}  // namespace
}  // namespace ikv::server
