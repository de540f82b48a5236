// Old logs keep working: a data directory written by release 1
// (tests/fixtures/release1, see its README) opens with today's server, replays
// to the same read models and verifies to the same head, and takes new
// commands after its old events.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

// Every field of `expected` is in `actual` with the same value (objects may
// have gained fields; arrays hold the same number of elements, compared in
// order). Returns the first difference as a JSON pointer and a note, or "".
std::string differs(const json::value& expected, const json::value& actual, const std::string& at) {
  if (expected.is_object()) {
    if (!actual.is_object()) return at + ": not an object any more";
    for (const auto& kv : expected.as_object()) {
      const auto* a = actual.as_object().if_contains(kv.key());
      const std::string here = at + "/" + std::string(kv.key());
      if (a == nullptr) return here + ": missing";
      if (auto d = differs(kv.value(), *a, here); !d.empty()) return d;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return at + ": not an array any more";
    const auto& e = expected.as_array();
    const auto& a = actual.as_array();
    if (e.size() != a.size()) {
      return at + ": " + std::to_string(a.size()) + " elements, expected " +
             std::to_string(e.size());
    }
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (auto d = differs(e[i], a[i], at + "/" + std::to_string(i)); !d.empty()) return d;
    }
    return "";
  }
  if (expected != actual) {
    return at + ": " + json::serialize(actual) + ", expected " + json::serialize(expected);
  }
  return "";
}

// A copy of the fixture's data directory at `data`. Git keeps no file mode
// but the executable bit, so the master key comes out of a checkout readable
// by all, which the server refuses: the copy gets the owner-only mode it had.
void copy_fixture(const std::string& data) {
  copy_tree(std::string(IKV_FIXTURES_DIR) + "/release1/data", data);
  std::filesystem::permissions(
      data + "/master.key",
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace);
}

json::object expected_answers() {
  std::ifstream in(std::string(IKV_FIXTURES_DIR) + "/release1/expected.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_object();
}

TEST(Release1Log, OpensAndReplaysToTheSameReadModels) {
  TempDir dir;
  const std::string data = dir.sub("data");
  copy_fixture(data);
  const json::object expected = expected_answers();
  ASSERT_EQ(expected.size(), 41u);
  auto server = E2eServer::start(data);
  ASSERT_TRUE(server);
  Answer ready = server->call("GET", "/readyz", {}, {}, Auth::none());
  ASSERT_EQ(ready.status, 200u) << ready.body;
  EXPECT_EQ(ready.num("log_position"), 115);
  for (const auto& kv : expected) {
    const std::string target(kv.key());
    Answer a = server->call("GET", target);
    ASSERT_EQ(a.status, 200u) << target << ": " << a.body;
    EXPECT_EQ(differs(kv.value(), a.json, ""), "") << "GET " << target;
  }
  // The chain written by release 1 verifies exactly as it was written.
  Answer v = server->call("GET", "/v1/audit/verify");
  EXPECT_EQ(v.json.at("head_hash"),
            json::value("2308277168c4448b2f7b07dbd1c6bb0f971a6b02a5d85c66cc44be88be1b73f7"));
  ASSERT_EQ(server->stop().code, 0);
}

TEST(Release1Log, TakesNewCommandsAfterItsOldEvents) {
  TempDir dir;
  const std::string data = dir.sub("data");
  copy_fixture(data);
  auto server = E2eServer::start(data);
  ASSERT_TRUE(server);
  // The idempotent join of release 1 answers again from its stored record.
  Answer again =
      server->call("POST", "/v1/networks/ostrobothnia/members",
                   body({{"name", "Release One Member"},
                         {"email", "release.one@example.org"},
                         {"phone", "+358 40 000 0001"},
                         {"organisation", "Trade union"},
                         {"sector", "trade_union"},
                         {"joined_on", "2024-10-01"}}),
                   {{"Idempotency-Key", "fixture-1"}, {"Content-Type", "application/json"}});
  EXPECT_EQ(again.status, 201u) << again.body;
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.num("position"), 114);
  // The same e-mail is taken (personal data of release 1 decrypts), a new one joins.
  Answer taken = server->call("POST", "/v1/networks/ostrobothnia/members",
                              member_body("Someone Else", "RELEASE.ONE@example.org"));
  EXPECT_EQ(taken.status, 409u) << taken.body;
  Answer joined = server->call("POST", "/v1/networks/oulu/members",
                               member_body("Release Two", "r2@example.org"));
  ASSERT_EQ(joined.status, 201u) << joined.body;
  EXPECT_EQ(joined.num("position"), 116);
  Answer v = server->call("GET", "/v1/audit/verify");
  EXPECT_EQ(v.json.at("ok"), json::value(true)) << v.body;
  EXPECT_EQ(v.num("events_checked"), 116);
  ASSERT_EQ(server->stop().code, 0);
  // And it all opens again.
  auto reopened = E2eServer::start(data);
  ASSERT_TRUE(reopened);
  Answer roster = reopened->call("GET", "/v1/networks/oulu/members");
  EXPECT_NE(roster.body.find("r2@example.org"), std::string::npos);
}

}  // namespace
}  // namespace ikv::e2e
