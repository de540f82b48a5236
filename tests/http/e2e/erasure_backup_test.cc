// Erasure and backups end to end (API.md, Release 2, "People"): an erasure
// made after a backup was taken is applied by `--restore` from the live data
// directory's erasure list, so the person is unreadable in the restored copy
// (their e-mail is in no file of it, and it serves them as erased); and
// backups older than --backup-retention-days are deleted.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kEmail = "erased.after.backup@example.org";
constexpr std::string_view kKeptEmail = "kept.after.backup@example.org";

TEST(ErasureBackup, APersonErasedAfterTheBackupStaysUnreadableInTheRestoredCopy) {
  TempDir dir;
  const std::string live = dir.sub("live");
  auto server = E2eServer::start(live);
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("kainuu")).status, 201u);
  Answer joined =
      server->call("POST", "/v1/networks/kainuu/members", member_body("Erkki Erased", kEmail));
  ASSERT_EQ(joined.status, 201u) << joined.body;
  const std::string member = joined.str("member_id");
  ASSERT_EQ(
      server->call("POST", "/v1/networks/kainuu/members", member_body("Kaisa Kept", kKeptEmail))
          .status,
      201u);

  Answer backup = server->call("POST", "/v1/admin/backups");
  ASSERT_EQ(backup.status, 200u) << backup.body;
  const std::string backup_path = backup.str("path");
  Answer erased = server->call("DELETE", "/v1/people/" + member + "/personal-data",
                               body({{"request_ref", "DSR-7"}}));
  ASSERT_EQ(erased.status, 200u) << erased.body;
  server->stop();
  // The erasure list beside the live log names the member (and nothing personal).
  const std::string list = harness::read_file(live + "/erasures");
  EXPECT_NE(list.find(member), std::string::npos) << list;
  EXPECT_EQ(fs::status(live + "/erasures").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  // The backup predates the erasure: its own list does not name them.
  EXPECT_EQ(harness::read_file(backup_path + "/erasures").find(member), std::string::npos);

  const std::string restored = dir.sub("restored");
  RunResult r = run_server(dir.sub("restore"), {"--restore", backup_path, "--data", restored});
  ASSERT_TRUE(r.exit.exited) << r.out;
  ASSERT_EQ(r.exit.code, 0) << r.out;
  EXPECT_NE(r.out.find("erasures applied: 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hash chain: ok"), std::string::npos) << r.out;
  EXPECT_TRUE(files_containing(restored, kEmail).empty());
  EXPECT_NE(harness::read_file(restored + "/erasures").find(member), std::string::npos);

  auto copy = E2eServer::start(restored);
  ASSERT_NE(copy, nullptr);
  Answer roster = copy->call("GET", "/v1/networks/kainuu/members");
  ASSERT_EQ(roster.status, 200u) << roster.body;
  int erased_rows = 0;
  for (const auto& m : roster.json.at("items").as_array()) {
    if (m.at("member_id").as_string() == member) {
      EXPECT_TRUE(m.at("erased").as_bool());
      EXPECT_TRUE(m.at("email").is_null());
      ++erased_rows;
    }
  }
  EXPECT_EQ(erased_rows, 1);
  EXPECT_EQ(roster.body.find(kEmail), std::string::npos);
  EXPECT_NE(roster.body.find(kKeptEmail), std::string::npos);  // only the erased one is gone
  Answer events = copy->call("GET", "/v1/events?limit=1000");
  EXPECT_EQ(events.body.find(kEmail), std::string::npos);
  copy->stop();
  EXPECT_TRUE(files_containing(restored, kEmail).empty());
}

TEST(ErasureBackup, BackupsOlderThanTheRetentionAreDeleted) {
  TempDir dir;
  const std::string live = dir.sub("live");
  fs::create_directories(live + "/backups/backup-20000101T000000Z/events");
  fs::create_directories(live + "/backups/backup-20000102T000000Z-2");
  fs::create_directories(live + "/backups/keep-me");  // not a backup's name: never touched
  auto server = E2eServer::start(live, {.extra_args = {"--backup-retention-days", "30"}});
  ASSERT_NE(server, nullptr);
  // Deleted on start.
  EXPECT_FALSE(fs::exists(live + "/backups/backup-20000101T000000Z"));
  EXPECT_FALSE(fs::exists(live + "/backups/backup-20000102T000000Z-2"));
  EXPECT_TRUE(fs::exists(live + "/backups/keep-me"));
  // ... and after a backup.
  fs::create_directories(live + "/backups/backup-20010101T000000Z");
  Answer backup = server->call("POST", "/v1/admin/backups");
  ASSERT_EQ(backup.status, 200u) << backup.body;
  EXPECT_TRUE(fs::exists(backup.str("path")));
  EXPECT_FALSE(fs::exists(live + "/backups/backup-20010101T000000Z"));
  server->stop();
}

}  // namespace
}  // namespace ikv::e2e
