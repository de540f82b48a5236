// The personal-data access log end to end (API.md, "Who sees personal data"):
// reads that show members' personal data in clear are listed at
// GET /v1/audit/access, reads that show none are not, the list itself holds no
// personal data, and its entries survive a clean restart.
#include <set>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::string_view kName = "Aino K8Accesslog";
constexpr std::string_view kEmail = "aino.k8.accesslog@example.org";

struct Token {
  std::string id;
  std::string secret;
};

class PersonalAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = E2eServer::start(dir_.sub("data"));
    ASSERT_NE(server_, nullptr);
    for (const char* n : {"turku", "oulu"}) {
      ASSERT_EQ(server_->call("POST", "/v1/networks", network_body(n)).status, 201u);
    }
    Answer a = server_->call("POST", "/v1/networks/turku/members", member_body(kName, kEmail));
    ASSERT_EQ(a.status, 201u) << a.body;
    turku_member_ = a.str("member_id");
    a = server_->call("POST", "/v1/networks/oulu/members",
                      member_body("Otto Oulu", "otto@example.org"));
    ASSERT_EQ(a.status, 201u) << a.body;
    oulu_member_ = a.str("member_id");
    coord_turku_ = token("coord-turku", "coordinator", {"turku"});
    coord_oulu_ = token("coord-oulu", "coordinator", {"oulu"});
    analyst_ = token("analyst-1", "analyst", {});
    auditor_ = token("auditor-1", "auditor", {});
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  Token token(std::string_view name, std::string_view role,
              const std::vector<std::string>& networks) {
    json::object o{{"name", name}, {"role", role}};
    if (!networks.empty()) o["networks"] = json::value_from(networks);
    Answer a = server_->call("POST", "/v1/tokens", body(o));
    EXPECT_EQ(a.status, 201u) << a.body;
    return {a.str("id"), a.str("token")};
  }

  // GET `target` as `secret`; expects 200 and answers the body.
  std::string read(const std::string& target, const std::string& secret) {
    Answer a = server_->call("GET", target, {}, {}, Auth::bearer(secret));
    EXPECT_EQ(a.status, 200u) << target << ": " << a.body;
    return a.body;
  }

  // Every entry of GET /v1/audit/access?<query>, walking the pages of `limit`.
  std::vector<json::object> entries(const std::string& query = "", int limit = 100) {
    std::vector<json::object> out;
    std::string target = "/v1/audit/access?limit=" + std::to_string(limit) + query;
    for (int page = 0; page < 50; ++page) {
      Answer a = server_->call("GET", target, {}, {}, Auth::bearer(auditor_.secret));
      EXPECT_EQ(a.status, 200u) << a.body;
      if (a.status != 200) break;
      EXPECT_EQ(a.body.find(kName), std::string::npos) << a.body;
      EXPECT_EQ(a.body.find(kEmail), std::string::npos) << a.body;
      for (const auto& item : a.json.at("items").as_array()) out.push_back(item.as_object());
      const auto& next = a.json.at("next_cursor");
      if (next.is_null()) break;
      target = "/v1/audit/access?limit=" + std::to_string(limit) + query +
               "&cursor=" + std::string(next.as_string());
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<E2eServer> server_;
  std::string turku_member_;
  std::string oulu_member_;
  Token coord_turku_, coord_oulu_, analyst_, auditor_;
};

std::string field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<std::string> members_of(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& m : o.at("members").as_array()) out.emplace_back(m.as_string());
  return out;
}

TEST_F(PersonalAccess, RecordsExactlyTheReadsThatShowPersonalDataInClear) {
  const std::string roster = "/v1/networks/turku/members";
  // Shown in clear: recorded.
  EXPECT_NE(read(roster, std::string(kAdminToken)).find(kEmail), std::string::npos);
  EXPECT_NE(read(roster, coord_turku_.secret).find(kEmail), std::string::npos);
  // Shown with null personal fields: not recorded.
  EXPECT_EQ(read(roster, coord_oulu_.secret).find(kEmail), std::string::npos);
  EXPECT_EQ(read(roster, analyst_.secret).find(kEmail), std::string::npos);
  EXPECT_EQ(read("/v1/events?after=0&limit=1000", analyst_.secret).find(kEmail), std::string::npos);
  // The global log as an admin: both networks' members in clear.
  EXPECT_NE(read("/v1/events?after=0&limit=1000", std::string(kAdminToken)).find(kEmail),
            std::string::npos);

  const std::vector<json::object> all = entries();
  ASSERT_EQ(all.size(), 4u);
  // Newest first: the global log's two entries (one per network), then the rosters.
  EXPECT_EQ(field(all[0], "route"), "/v1/events");
  EXPECT_EQ(field(all[1], "route"), "/v1/events");
  EXPECT_EQ(field(all[0], "request_id"), field(all[1], "request_id"));
  std::set<std::string> networks{field(all[0], "network"), field(all[1], "network")};
  EXPECT_EQ(networks, (std::set<std::string>{"turku", "oulu"}));
  for (int i : {0, 1}) {
    EXPECT_EQ(field(all[i], "role"), "admin");
    EXPECT_EQ(members_of(all[i]),
              std::vector<std::string>{field(all[i], "network") == "turku" ? turku_member_
                                                                           : oulu_member_});
  }
  EXPECT_EQ(field(all[2], "token_name"), "coord-turku");
  EXPECT_EQ(field(all[2], "token_id"), coord_turku_.id);
  EXPECT_EQ(field(all[2], "role"), "coordinator");
  EXPECT_EQ(field(all[3], "role"), "admin");
  for (int i : {2, 3}) {
    EXPECT_EQ(field(all[i], "route"), "/v1/networks/{id}/members");
    EXPECT_EQ(field(all[i], "path"), roster);
    EXPECT_EQ(field(all[i], "method"), "GET");
    EXPECT_EQ(field(all[i], "network"), "turku");
    EXPECT_EQ(members_of(all[i]), std::vector<std::string>{turku_member_});
    EXPECT_EQ(all[i].at("records").as_int64(), 1);
    EXPECT_FALSE(field(all[i], "at").empty());
    EXPECT_FALSE(field(all[i], "request_id").empty());
  }
  for (const auto& e : all) {
    EXPECT_NE(field(e, "token_name"), "coord-oulu");
    EXPECT_NE(field(e, "token_name"), "analyst-1");
  }

  // Reading the list is no access to personal data: nothing was added.
  EXPECT_EQ(entries().size(), 4u);
  // Pages of one: the same entries, none twice.
  const std::vector<json::object> paged = entries("", 1);
  ASSERT_EQ(paged.size(), 4u);
  for (std::size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i], all[i]);
  // Filters.
  EXPECT_EQ(entries("&actor=coord-turku").size(), 1u);
  EXPECT_EQ(entries("&token=" + coord_turku_.id).size(), 1u);
  EXPECT_EQ(entries("&token=" + coord_oulu_.id).size(), 0u);
  EXPECT_EQ(entries("&network=oulu").size(), 1u);
  EXPECT_EQ(entries("&network=turku").size(), 3u);
  EXPECT_EQ(entries("&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z").size(), 4u);
  EXPECT_EQ(entries("&to=2000-01-01T00:00:00Z").size(), 0u);
}

TEST_F(PersonalAccess, TheLiveFeedRecordsWhatItSendsInClear) {
  const std::int64_t head = server_->log_position();
  EXPECT_EQ(read_feed(server_->port(), analyst_.secret, head).find(kEmail), std::string::npos);
  EXPECT_TRUE(entries().empty());
  EXPECT_NE(read_feed(server_->port(), std::string(kAdminToken), head).find(kEmail),
            std::string::npos);
  std::set<std::string> networks;
  std::set<std::string> members;
  for (const auto& e : entries()) {
    EXPECT_EQ(field(e, "route"), "/v1/events");
    EXPECT_EQ(field(e, "role"), "admin");
    networks.insert(field(e, "network"));
    for (const auto& m : members_of(e)) members.insert(m);
  }
  EXPECT_EQ(networks, (std::set<std::string>{"turku", "oulu"}));
  EXPECT_EQ(members, (std::set<std::string>{turku_member_, oulu_member_}));
}

TEST_F(PersonalAccess, OnlyAdminsAndAuditorsMayReadTheList) {
  EXPECT_EQ(server_->call("GET", "/v1/audit/access").status, 200u);
  EXPECT_EQ(server_->call("GET", "/v1/audit/access", {}, {}, Auth::bearer(auditor_.secret)).status,
            200u);
  EXPECT_EQ(server_->call("GET", "/v1/audit/access", {}, {}, Auth::bearer(analyst_.secret)).status,
            403u);
  EXPECT_EQ(
      server_->call("GET", "/v1/audit/access", {}, {}, Auth::bearer(coord_turku_.secret)).status,
      403u);
  EXPECT_EQ(server_->call("GET", "/v1/audit/access", {}, {}, Auth::none()).status, 401u);
  EXPECT_EQ(
      server_->call("GET", "/v1/audit/access?from=2030-01-01T00:00:00Z&to=2024-01-01T00:00:00Z")
          .status,
      422u);
  EXPECT_EQ(server_->call("GET", "/v1/audit/access?cursor=nonsense").status, 422u);
  EXPECT_TRUE(has_route("GET", "/v1/audit/access"));
}

TEST_F(PersonalAccess, EntriesSurviveACleanRestartAndHoldNoPersonalData) {
  read("/v1/networks/turku/members", coord_turku_.secret);
  read("/v1/networks/turku/members", std::string(kAdminToken));
  const std::vector<json::object> before = entries();
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(server_->stop().code, 0);
  EXPECT_TRUE(files_containing(dir_.sub("data"), kEmail).empty());
  EXPECT_TRUE(files_containing(dir_.sub("data"), kName).empty());
  bool in_access_log = false;
  for (const auto& f : files_containing(dir_.sub("data"), turku_member_)) {
    in_access_log = in_access_log || f.ends_with("/personal-access.log");
  }
  EXPECT_TRUE(in_access_log);

  server_ = E2eServer::start(dir_.sub("data"));
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(entries(), before);
  // Recording goes on after the restart.
  read("/v1/networks/turku/members", coord_turku_.secret);
  const std::vector<json::object> after = entries();
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(field(after[0], "token_name"), "coord-turku");
  EXPECT_EQ(after[1], before[0]);
}

// The roster, network and observation answers an analyst gets are kept in
// the page cache; a write to the network must show in the very next read,
// and the analyst never gets the answer an admin got.
TEST_F(PersonalAccess, CachedReadsShowTheNextWriteAndKeepReadersApart) {
  const std::string roster = "/v1/networks/oulu/members?limit=50";
  const std::string before = read(roster, analyst_.secret);
  EXPECT_EQ(read(roster, analyst_.secret), before);  // the second read may come from the cache
  const std::string admin_view = read(roster, std::string(kAdminToken));
  EXPECT_NE(admin_view.find("otto@example.org"), std::string::npos);
  EXPECT_EQ(read(roster, analyst_.secret).find("otto@example.org"), std::string::npos);

  Answer a = server_->call("POST", "/v1/networks/oulu/members",
                           member_body("Olga Oulu", "olga@example.org"));
  ASSERT_EQ(a.status, 201u) << a.body;
  const std::string after = read(roster, analyst_.secret);
  EXPECT_NE(after, before);
  EXPECT_NE(after.find(a.str("member_id")), std::string::npos) << after;

  const std::string observations = "/v1/networks/oulu/observations?limit=10";
  const std::string none = read(observations, analyst_.secret);
  ASSERT_EQ(server_
                ->call("POST", "/v1/networks/oulu/observations",
                       R"({"theme":"forced_labour","observed_on":"2024-05-02"})")
                .status,
            200u);  // an observation is recorded in the network (no resource of its own)
  EXPECT_NE(read(observations, analyst_.secret), none);
  const std::string detail = read("/v1/networks/oulu", analyst_.secret);
  ASSERT_EQ(
      server_
          ->call("POST", "/v1/networks/oulu/members", member_body("Oona Oulu", "oona@example.org"))
          .status,
      201u);
  EXPECT_NE(read("/v1/networks/oulu", analyst_.secret), detail);
}

// The audit export shows personal fields in clear to an admin (never to an
// auditor): what it sent is recorded like any other read.
TEST_F(PersonalAccess, TheAuditExportRecordsWhatItShowsInClear) {
  Answer a = server_->call("GET", "/v1/audit/export", {}, {}, Auth::bearer(auditor_.secret));
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(a.body.find(kEmail), std::string::npos);
  a = server_->call("GET", "/v1/audit/export");
  ASSERT_EQ(a.status, 200u) << a.body;
  ASSERT_NE(a.body.find(kEmail), std::string::npos);
  std::set<std::string> networks;
  for (const auto& e : entries()) {
    if (field(e, "route") != "/v1/audit/export") continue;
    EXPECT_EQ(field(e, "role"), "admin") << json::serialize(e);
    networks.insert(field(e, "network"));
  }
  EXPECT_EQ(networks, (std::set<std::string>{"oulu", "turku"}));
}

}  // namespace
}  // namespace ikv::e2e
