// Backup and restore end to end: a backup taken while a writer keeps
// appending, restored with `ikv-server --restore` into a new data directory,
// served again, verified through /v1/audit/verify, and compared with the
// original server's answers at the backup's position.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

// Every event with position <= `upto` (all when 0), as the server renders them.
json::array events_upto(E2eServer& s, std::int64_t upto) {
  json::array all;
  std::int64_t after = 0;
  for (;;) {
    Answer a = s.call("GET", "/v1/events?after=" + std::to_string(after) + "&limit=1000");
    EXPECT_EQ(a.status, 200u) << a.body;
    if (a.status != 200) return all;
    const auto& items = a.json.at("items").as_array();
    for (const auto& e : items) {
      const std::int64_t pos = e.at("position").to_number<std::int64_t>();
      if (upto != 0 && pos > upto) return all;
      all.push_back(e);
      after = pos;
    }
    if (a.json.at("next_cursor").is_null() || items.empty()) return all;
  }
}

json::value get_json(E2eServer& s, const std::string& target) {
  Answer a = s.call("GET", target);
  EXPECT_EQ(a.status, 200u) << target << ": " << a.body;
  return a.json;
}

TEST(BackupRestore, BackupUnderLoadRestoresToTheSameRegistryAtItsPosition) {
  TempDir dir;
  auto original = E2eServer::start(dir.sub("original"), {.demo = true});
  ASSERT_TRUE(original);
  ASSERT_EQ(original->call("POST", "/v1/networks", network_body("loadnet")).status, 201u);

  // A writer that keeps joining members while the backup is taken.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::atomic<int> failed{0};
  const std::uint16_t port = original->port();
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      Answer a = call_port(port, "POST", "/v1/networks/loadnet/members",
                           member_body("Load Person " + std::to_string(i),
                                       "load" + std::to_string(i) + "@example.org"));
      if (a.status == 201) {
        ++written;
      } else {
        ++failed;
      }
    }
  });
  while (written.load() < 5 && failed.load() == 0) std::this_thread::yield();
  Answer backup = original->call("POST", "/v1/admin/backups");
  const int at_backup = written.load();
  while (written.load() < at_backup + 5 && failed.load() == 0) std::this_thread::yield();
  stop = true;
  writer.join();
  ASSERT_EQ(failed.load(), 0);
  ASSERT_EQ(backup.status, 200u) << backup.body;
  const std::int64_t position = backup.num("position");
  const std::string backup_path = backup.str("path");
  ASSERT_GT(position, 0);
  ASSERT_FALSE(backup_path.empty());
  // The writer went on past the backup: the copy is a point in a moving log.
  ASSERT_GT(original->log_position(), position);

  // Restore into a new directory.
  const std::string restored_dir = dir.sub("restored");
  RunResult restore =
      run_server(dir.sub("restore-run"), {"--restore", backup_path, "--data", restored_dir});
  ASSERT_TRUE(restore.exit.exited) << restore.out;
  ASSERT_EQ(restore.exit.code, 0) << restore.out;
  EXPECT_NE(restore.out.find("head position: " + std::to_string(position) + "\n"),
            std::string::npos)
      << restore.out;
  EXPECT_NE(restore.out.find("events: " + std::to_string(position) + "\n"), std::string::npos)
      << restore.out;
  EXPECT_NE(restore.out.find("hash chain: ok"), std::string::npos) << restore.out;
  EXPECT_NE(restore.out.find("events decoded with personal data: " + std::to_string(position)),
            std::string::npos)
      << restore.out;

  // A second restore into the now non-empty directory is refused without --force.
  RunResult again =
      run_server(dir.sub("restore-again"), {"--restore", backup_path, "--data", restored_dir});
  EXPECT_TRUE(again.exit.exited);
  EXPECT_NE(again.exit.code, 0);
  EXPECT_NE(again.out.find("--force"), std::string::npos) << again.out;

  // The backup's signing key and access log came along, owner-only.
  for (const char* file : {"audit-signing.key", "personal-access.log"}) {
    const auto placed = std::filesystem::path(restored_dir) / file;
    ASSERT_TRUE(std::filesystem::exists(placed)) << file;
    EXPECT_EQ(std::filesystem::status(placed).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
        << file;
  }
  const Answer key_before = original->call("GET", "/v1/audit/public-key");

  auto restored = E2eServer::start(restored_dir);
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->log_position(), position);
  // The same signing key: checkpoints signed before the backup still verify.
  EXPECT_EQ(restored->call("GET", "/v1/audit/public-key").body, key_before.body);

  Answer verify = restored->call("GET", "/v1/audit/verify");
  ASSERT_EQ(verify.status, 200u) << verify.body;
  EXPECT_TRUE(verify.json.at("ok").as_bool());
  EXPECT_EQ(verify.num("events_checked"), position);
  EXPECT_EQ(verify.num("head_position"), position);
  EXPECT_NE(restore.out.find("head hash: " + verify.str("head_hash")), std::string::npos);

  // The log itself, event by event (personal data opened with the restored key).
  const json::array before = events_upto(*original, position);
  const json::array after = events_upto(*restored, 0);
  ASSERT_EQ(before.size(), static_cast<std::size_t>(position));
  EXPECT_EQ(after, before);

  // The read models. Networks other than the loaded one did not change after the backup.
  const json::value networks = get_json(*original, "/v1/networks?limit=1000");
  std::vector<std::string> ids;
  for (const auto& n : networks.at("items").as_array()) {
    ids.emplace_back(n.at("id").as_string());
  }
  ASSERT_GT(ids.size(), 1u);
  for (const auto& id : ids) {
    if (id == "loadnet") continue;
    EXPECT_EQ(get_json(*restored, "/v1/networks/" + id), get_json(*original, "/v1/networks/" + id))
        << id;
    const std::string roster = "/v1/networks/" + id + "/members?limit=1000";
    EXPECT_EQ(get_json(*restored, roster), get_json(*original, roster)) << id;
    const std::string trends = "/v1/reports/trends?network=" + id;
    EXPECT_EQ(get_json(*restored, trends), get_json(*original, trends)) << id;
  }
  EXPECT_EQ(get_json(*restored, "/v1/meetings?limit=1000"),
            get_json(*original, "/v1/meetings?limit=1000"));
  EXPECT_EQ(get_json(*restored, "/v1/taxonomy"), get_json(*original, "/v1/taxonomy"));

  // The loaded network as the original knew it at the backup's last event.
  const std::string known_at(before.back().at("recorded_at").as_string());
  const std::string load_roster = "/v1/networks/loadnet/members?limit=1000&known_at=" + known_at;
  const json::value then = get_json(*original, load_roster);
  EXPECT_EQ(get_json(*restored, load_roster), then);
  const auto& members = then.at("items").as_array();
  EXPECT_GE(members.size(), 5u);
  EXPECT_LT(members.size(), static_cast<std::size_t>(written.load()));

  // The restored registry takes writes again.
  EXPECT_EQ(restored
                ->call("POST", "/v1/networks/loadnet/members",
                       member_body("After Restore", "after.restore@example.org"))
                .status,
            201u);
  EXPECT_EQ(restored->stop().code, 0);
  EXPECT_EQ(original->stop().code, 0);
}

TEST(BackupRestore, RestoreFailsWhenTheMasterKeyDoesNotOpenThePersonalData) {
  TempDir dir;
  std::string backup_path;
  {
    auto server = E2eServer::start(dir.sub("original"), {.demo = true});
    ASSERT_TRUE(server);
    Answer backup = server->call("POST", "/v1/admin/backups");
    ASSERT_EQ(backup.status, 200u) << backup.body;
    backup_path = backup.str("path");
    EXPECT_EQ(server->stop().code, 0);
  }
  const std::string wrong = dir.sub("wrong-key-backup");
  copy_tree(backup_path, wrong);
  {
    std::ofstream key(wrong + "/master.key", std::ios::trunc);
    key << std::string(64, 'a') << "\n";
  }
  RunResult r = run_server(dir.sub("run"), {"--restore", wrong, "--data", dir.sub("data")});
  EXPECT_TRUE(r.exit.exited);
  EXPECT_NE(r.exit.code, 0) << r.out;
  EXPECT_NE(r.out.find("does not open"), std::string::npos) << r.out;

  // Without any key the restore refuses before copying.
  std::filesystem::remove(wrong + "/master.key");
  RunResult none = run_server(dir.sub("run2"), {"--restore", wrong, "--data", dir.sub("data2")});
  EXPECT_NE(none.exit.code, 0);
  EXPECT_NE(none.out.find("master.key"), std::string::npos) << none.out;
  EXPECT_FALSE(std::filesystem::exists(dir.sub("data2") + "/events"));
}

TEST(BackupRestore, RestoreRefusesWhatIsNotABackup) {
  TempDir dir;
  RunResult r =
      run_server(dir.sub("run"), {"--restore", dir.sub("nothing-here"), "--data", dir.sub("data")});
  EXPECT_TRUE(r.exit.exited);
  EXPECT_NE(r.exit.code, 0);
  EXPECT_NE(r.out.find("no backup"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ikv::e2e
