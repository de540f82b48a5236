// Personal data on disk: never in clear in any file of the data directory, and
// after erasure the person's data key is gone from every file while counts stay.
//
// How the key check works: the vault keeps each person's data key in the event
// store's side table "keys" under "k/<member_id>" (wrapped under the master
// key, so its stored value is random bytes unique to that person). With the
// server stopped, the test copies the data directory, reads that value with
// RocksDB directly, and checks the live directory's files hold those bytes
// (a positive control, so the search can fail). After the erasure it stops the
// server again and requires that no file holds the bytes any more and that the
// table has no "k/<member_id>" entry while other people's keys remain.
#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"
#include "tests/http/e2e/store_files.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

struct Person {
  std::string name;
  std::string email;
  std::string member_id;
};

json::object find_member(const Answer& roster, const std::string& id) {
  for (const auto& m : roster.json.at("items").as_array()) {
    if (m.at("member_id") == json::value(id)) return m.as_object();
  }
  return {};
}

TEST(PersonalData, NeverStoredInClearAndErasureDestroysTheKey) {
  TempDir dir;
  const std::string data = dir.sub("data");
  std::vector<Person> people{{"Kaisa Lahtinen", "kaisa.q7x.lahtinen@example.org", {}},
                             {"Juha Heikkinen", "juha.z4m.heikkinen@example.org", {}},
                             {"Maria Koskinen", "maria.w9k.koskinen@example.org", {}}};
  std::string admin_secret;
  {
    auto server = E2eServer::start(data, {.log_level = "info"});
    ASSERT_TRUE(server);
    ASSERT_EQ(server->call("POST", "/v1/networks", network_body("privacy")).status, 201u);
    for (auto& p : people) {
      Answer a = server->call("POST", "/v1/networks/privacy/members", member_body(p.name, p.email));
      ASSERT_EQ(a.status, 201u) << a.body;
      p.member_id = a.str("member_id");
    }
    // An idempotent command keeps its answer durably: that must not leak either.
    ASSERT_EQ(server
                  ->call("POST", "/v1/networks/privacy/members",
                         member_body("Olli Idempotent", "olli.k2p.idem@example.org"),
                         {{"Idempotency-Key", "privacy-1"}})
                  .status,
              201u);
    Answer t = server->call("POST", "/v1/tokens",
                            body({{"name", "privacy-auditor"}, {"role", "auditor"}}));
    admin_secret = t.str("token");
    // An issued token's answer is kept for retries, sealed: its secret is in no file.
    Answer kept =
        server->call("POST", "/v1/tokens", body({{"name", "privacy-idem"}, {"role", "analyst"}}),
                     {{"Idempotency-Key", "privacy-token-1"}});
    ASSERT_EQ(kept.status, 201u) << kept.body;
    ASSERT_FALSE(kept.str("token").empty());
    EXPECT_EQ(files_containing(data, kept.str("token")), std::vector<std::string>{});
    Answer again =
        server->call("POST", "/v1/tokens", body({{"name", "privacy-idem"}, {"role", "analyst"}}),
                     {{"Idempotency-Key", "privacy-token-1"}});
    EXPECT_EQ(again.str("token"), kept.str("token"));
    // While running, then after the stop: no file holds a plaintext address or name.
    for (const auto& p : people) {
      EXPECT_EQ(files_containing(data, p.email), std::vector<std::string>{}) << p.email;
      EXPECT_EQ(files_containing(data, p.name), std::vector<std::string>{}) << p.name;
    }
    EXPECT_EQ(files_containing(data, "olli.k2p.idem@example.org"), std::vector<std::string>{});
    ASSERT_EQ(server->stop().code, 0);
    for (const auto& p : people) {
      EXPECT_EQ(files_containing(data, p.email), std::vector<std::string>{}) << p.email;
    }
    // Nor do the server's logs hold personal data or secrets.
    const std::string log =
        harness::read_file(server->stderr_path()) + harness::read_file(server->stdout_path());
    EXPECT_NE(log.find("route=/v1/networks/{id}/members"), std::string::npos)
        << "no access log to check";
    for (const auto& p : people) EXPECT_EQ(log.find(p.email), std::string::npos) << p.email;
    EXPECT_EQ(log.find(kAdminToken), std::string::npos) << "the admin token is logged";
    EXPECT_EQ(log.find(admin_secret), std::string::npos) << "an issued token is logged";
  }
  const Person& erased = people[0];
  const Person& kept = people[1];

  // The stored data key of each person, read from a copy with RocksDB.
  copy_tree(data, dir.sub("before"));
  const auto keys_before = read_column_family(dir.sub("before") + "/events", "keys");
  ASSERT_TRUE(keys_before.contains("k/" + erased.member_id)) << "no key entry k/<member_id>";
  ASSERT_TRUE(keys_before.contains("k/" + kept.member_id));
  const std::string erased_key = keys_before.at("k/" + erased.member_id);
  ASSERT_GE(erased_key.size(), 32u);
  ASSERT_FALSE(files_containing(data, erased_key).empty())
      << "positive control: the key bytes are on disk";

  std::int64_t position_before = 0;
  {
    auto server = E2eServer::start(data);
    ASSERT_TRUE(server);
    Answer network_before = server->call("GET", "/v1/networks/privacy");
    Answer roster_before = server->call("GET", "/v1/networks/privacy/members");
    position_before = server->log_position();

    Answer e = server->call("DELETE", "/v1/people/" + erased.member_id + "/personal-data");
    ASSERT_EQ(e.status, 200u) << e.body;
    EXPECT_EQ(e.str("member_id"), erased.member_id);
    EXPECT_EQ(e.json.at("erased"), json::value(true));
    EXPECT_EQ(server->log_position(), position_before + 1);

    Answer network_after = server->call("GET", "/v1/networks/privacy");
    EXPECT_EQ(network_after.num("member_count"), network_before.num("member_count"));
    EXPECT_EQ(network_after.json.at("members_by_sector"),
              network_before.json.at("members_by_sector"));
    Answer roster_after = server->call("GET", "/v1/networks/privacy/members");
    EXPECT_EQ(roster_after.json.at("items").as_array().size(),
              roster_before.json.at("items").as_array().size());
    const json::object gone = find_member(roster_after, erased.member_id);
    ASSERT_FALSE(gone.empty());
    EXPECT_EQ(gone.at("erased"), json::value(true));
    for (const char* f : {"name", "email", "phone"}) EXPECT_TRUE(gone.at(f).is_null()) << f;
    EXPECT_EQ(gone.at("organisation"),
              find_member(roster_before, erased.member_id).at("organisation"));
    const json::object still = find_member(roster_after, kept.member_id);
    EXPECT_EQ(still.at("email"), json::value(kept.email));
    EXPECT_EQ(still.at("erased"), json::value(false));
    EXPECT_EQ(roster_after.body.find(erased.email), std::string::npos);
    // The erased person can be listed, but not restored.
    Answer again = server->call("DELETE", "/v1/people/" + erased.member_id + "/personal-data");
    EXPECT_LT(again.status, 500u) << again.body;
    ASSERT_EQ(server->stop().code, 0);
  }
  EXPECT_EQ(files_containing(data, erased_key), std::vector<std::string>{})
      << "the erased person's data key is still on disk";
  copy_tree(data, dir.sub("after"));
  const auto keys_after = read_column_family(dir.sub("after") + "/events", "keys");
  EXPECT_FALSE(keys_after.contains("k/" + erased.member_id));
  EXPECT_TRUE(keys_after.contains("k/" + kept.member_id));

  // A replay from the log (restart) still shows the person erased.
  auto server = E2eServer::start(data);
  ASSERT_TRUE(server);
  const json::object replayed =
      find_member(server->call("GET", "/v1/networks/privacy/members"), erased.member_id);
  ASSERT_FALSE(replayed.empty());
  EXPECT_EQ(replayed.at("erased"), json::value(true));
  EXPECT_TRUE(replayed.at("email").is_null());
  EXPECT_GE(server->log_position(), position_before + 1);
}

}  // namespace
}  // namespace ikv::e2e
