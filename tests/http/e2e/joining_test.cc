// The public directory and joining, end to end: the routes without a token,
// their faults and abuse (a flood from one address, bodies too large,
// malformed or of the wrong type, unknown networks, missing fields), the
// coordinators' answers, the expiry sweep, and that no personal datum of a
// request reaches the server's log or any data file in clear.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

constexpr std::string_view kEmail = "ritva.t5q.joiner@example.org";
constexpr std::string_view kName = "Ritva Joinerinen";
constexpr std::string_view kPhone = "+358 50 918 2736";
constexpr std::string_view kMessage = "Tapaan tyossani ihmiskaupan uhreja q8z";

std::string request_body(std::string_view network, std::string_view email = kEmail,
                         std::string_view name = kName) {
  return body({{"network", network},
               {"name", name},
               {"email", email},
               {"phone", kPhone},
               {"organisation", "Lapin hyvinvointialue"},
               {"sector", "wellbeing_services_county"},
               {"title", "Sosiaalityontekija"},
               {"message", kMessage}});
}

// A POST /v1/join-requests from the client address `source` (loopback).
Answer post_from(std::uint16_t port, const std::string& source, std::string_view payload,
                 const Headers& headers = {}) {
  Answer a;
  auto conn = harness::HttpConnection::connect(port, std::chrono::seconds(10), "127.0.0.1", source);
  if (!conn) {
    a.transport_error = conn.error().message;
    return a;
  }
  auto r = (*conn)->request("POST", "/v1/join-requests", payload, headers);
  if (!r) {
    a.transport_error = r.error().message;
    return a;
  }
  a.status = r->status;
  a.headers = r->headers;
  a.body = r->body;
  a.complete = true;
  boost::system::error_code ec;
  a.json = json::parse(a.body, ec);
  return a;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> error_fields(const Answer& a) {
  std::vector<std::string> out;
  if (!a.json.is_object() || !a.json.as_object().contains("errors")) return out;
  for (const auto& e : a.json.at("errors").as_array()) {
    out.emplace_back(e.at("field").as_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

json::object request_in(const Answer& list, const std::string& id) {
  for (const auto& r : list.json.at("items").as_array()) {
    if (r.at("id") == json::value(id)) return r.as_object();
  }
  return {};
}

TEST(Joining, DirectoryIsPublicAndTellsNothingAboutMembers) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_TRUE(server);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("lapland")).status, 201u);
  ASSERT_EQ(server
                ->call("POST", "/v1/networks/lapland/members",
                       member_body("Member Secretname", "member.s3c@example.org"))
                .status,
            201u);
  Answer d = server->call("GET", "/v1/directory", {}, {}, Auth::none());
  ASSERT_EQ(d.status, 200u) << d.body;
  const auto& items = d.json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id"), json::value("lapland"));
  EXPECT_EQ(items[0].at("name").at("sv"), json::value("Lappland"));
  EXPECT_EQ(items[0].at("join").at("href"), json::value("/v1/join-requests"));
  EXPECT_EQ(d.body.find("Secretname"), std::string::npos);
  EXPECT_EQ(d.body.find("member.s3c"), std::string::npos);
  EXPECT_EQ(d.body.find("member_count"), std::string::npos);
  // The other routes still need a token.
  EXPECT_EQ(server->call("GET", "/v1/networks/lapland/join-requests", {}, {}, Auth::none()).status,
            401u);
}

TEST(Joining, FaultsAndAbuseOfThePublicRoute) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"), {.extra_args = {"--body-limit", "4096"}});
  ASSERT_TRUE(server);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("lapland")).status, 201u);
  const std::uint16_t port = server->port();
  // Each fault from its own address, so that the flood limit is not what answers.
  const std::string big = request_body("lapland") + std::string(8192, ' ');
  EXPECT_EQ(post_from(port, "127.0.0.11", big).status, 413u);
  EXPECT_EQ(post_from(port, "127.0.0.12", "{\"network\": \"lapland\",").status, 400u);
  EXPECT_EQ(post_from(port, "127.0.0.13", request_body("lapland"), {{"Content-Type", "text/plain"}})
                .status,
            415u);
  Answer unknown = post_from(port, "127.0.0.14", request_body("atlantis"));
  EXPECT_EQ(unknown.status, 422u) << unknown.body;
  EXPECT_EQ(error_fields(unknown), std::vector<std::string>{"/network"});
  Answer missing = post_from(port, "127.0.0.15", body({{"network", "lapland"}, {"email", "x@"}}));
  EXPECT_EQ(missing.status, 422u) << missing.body;
  EXPECT_EQ(error_fields(missing),
            (std::vector<std::string>{"/email", "/name", "/organisation", "/sector"}));
  Answer bad_sector = post_from(port, "127.0.0.15",
                                body({{"network", "lapland"},
                                      {"name", "X"},
                                      {"email", "x@example.org"},
                                      {"organisation", "Y"},
                                      {"sector", "fire_brigade"},
                                      {"extra", 1}}));
  EXPECT_EQ(bad_sector.status, 422u);
  EXPECT_EQ(error_fields(bad_sector), (std::vector<std::string>{"/extra", "/sector"}));

  // A flood from one address: five in the hour, the sixth is 429 with Retry-After.
  for (int i = 0; i < 5; ++i) {
    Answer a = post_from(port, "127.0.0.21",
                         request_body("lapland", "flood" + std::to_string(i) + "@example.org"));
    ASSERT_EQ(a.status, 202u) << a.body;
    EXPECT_FALSE(a.str("id").empty());
  }
  Answer sixth = post_from(port, "127.0.0.21", request_body("lapland", "flood6@example.org"));
  EXPECT_EQ(sixth.status, 429u);
  EXPECT_TRUE(sixth.has_header("Retry-After"));
  EXPECT_GT(std::stoi(sixth.header("Retry-After")), 3000);
  // Other addresses are unaffected.
  EXPECT_EQ(post_from(port, "127.0.0.22", request_body("lapland")).status, 202u);
}

TEST(Joining, CoordinatorsAnswerRequestsOfTheirNetworkOnly) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_TRUE(server);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("lapland")).status, 201u);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("oulu")).status, 201u);
  const std::string lapland = issue_token(*server, "lapland-coord", "coordinator", {"lapland"});
  const std::string oulu = issue_token(*server, "oulu-coord", "coordinator", {"oulu"});
  const std::string analyst = issue_token(*server, "analyst", "analyst");
  const std::uint16_t port = server->port();

  Answer first = post_from(port, "127.0.0.31", request_body("lapland"));
  ASSERT_EQ(first.status, 202u) << first.body;
  const std::string id = first.str("id");
  Answer second = post_from(port, "127.0.0.31", request_body("lapland", "other.q@example.org"));
  ASSERT_EQ(second.status, 202u);

  // Listed with personal fields for the network's coordinator only.
  Answer list =
      server->call("GET", "/v1/networks/lapland/join-requests", {}, {}, Auth::bearer(lapland));
  ASSERT_EQ(list.status, 200u) << list.body;
  json::object row = request_in(list, id);
  EXPECT_EQ(row.at("status"), json::value("pending"));
  EXPECT_EQ(row.at("email"), json::value(kEmail));
  EXPECT_EQ(row.at("message"), json::value(kMessage));
  EXPECT_EQ(
      server->call("GET", "/v1/networks/lapland/join-requests", {}, {}, Auth::bearer(oulu)).status,
      403u);
  EXPECT_EQ(server->call("GET", "/v1/networks/lapland/join-requests", {}, {}, Auth::bearer(analyst))
                .status,
            403u);
  EXPECT_EQ(server->call("POST", "/v1/join-requests/" + id + "/approve", {}, {}, Auth::bearer(oulu))
                .status,
            403u);
  EXPECT_EQ(
      server->call("POST", "/v1/join-requests/nope/approve", {}, {}, Auth::bearer(lapland)).status,
      404u);
  // The list was recorded as a personal read.
  Answer access = server->call("GET", "/v1/audit/access?network=lapland");
  EXPECT_NE(access.body.find("\"route\":\"/v1/networks/{id}/join-requests\""), std::string::npos)
      << access.body;

  // Approval: a member with the request's data, under the member rules.
  Answer approved = server->call("POST", "/v1/join-requests/" + id + "/approve",
                                 body({{"joined_on", "2024-06-03"}}), {}, Auth::bearer(lapland));
  ASSERT_EQ(approved.status, 200u) << approved.body;
  const std::string member = approved.str("member_id");
  Answer roster = server->call("GET", "/v1/networks/lapland/members");
  bool found = false;
  for (const auto& m : roster.json.at("items").as_array()) {
    if (m.at("member_id") == json::value(member)) {
      found = true;
      EXPECT_EQ(m.at("email"), json::value(kEmail));
      EXPECT_EQ(m.at("joined_on"), json::value("2024-06-03"));
    }
  }
  EXPECT_TRUE(found) << roster.body;
  EXPECT_EQ(
      server->call("POST", "/v1/join-requests/" + id + "/approve", {}, {}, Auth::bearer(lapland))
          .status,
      409u);
  EXPECT_EQ(
      server->call("POST", "/v1/join-requests/" + id + "/decline", {}, {}, Auth::bearer(lapland))
          .status,
      409u);
  // A request with the e-mail of a current member is refused on approval, as a join is.
  Answer dup =
      post_from(port, "127.0.0.32", request_body("lapland", "RITVA.t5q.joiner@example.org"));
  ASSERT_EQ(dup.status, 202u) << dup.body;
  Answer taken = server->call("POST", "/v1/join-requests/" + dup.str("id") + "/approve", {}, {},
                              Auth::bearer(lapland));
  EXPECT_EQ(taken.status, 409u) << taken.body;
  EXPECT_NE(taken.body.find("email_taken"), std::string::npos);
  // Decline, with a reason; the request keeps no personal data.
  Answer declined =
      server->call("POST", "/v1/join-requests/" + second.str("id") + "/decline",
                   body({{"reason", "Not in the region"}}), {}, Auth::bearer(lapland));
  ASSERT_EQ(declined.status, 200u) << declined.body;
  list = server->call("GET", "/v1/networks/lapland/join-requests");
  row = request_in(list, second.str("id"));
  EXPECT_EQ(row.at("status"), json::value("declined"));
  EXPECT_EQ(row.at("reason"), json::value("Not in the region"));
  EXPECT_TRUE(row.at("email").is_null());
  EXPECT_EQ(row.at("erased"), json::value(true));
  row = request_in(list, id);
  EXPECT_EQ(row.at("status"), json::value("approved"));
  EXPECT_EQ(row.at("member_id"), json::value(member));
}

TEST(Joining, UnansweredRequestsAreErasedAndNothingPersonalIsInClear) {
  TempDir dir;
  const std::string data = dir.sub("data");
  auto server = E2eServer::start(
      data, {.log_level = "debug",
             .extra_args = {"--join-request-max-age", "2", "--join-request-sweep", "1"}});
  ASSERT_TRUE(server);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("lapland")).status, 201u);
  Answer a = post_from(server->port(), "127.0.0.41", request_body("lapland"));
  ASSERT_EQ(a.status, 202u) << a.body;
  const std::string id = a.str("id");
  for (std::string_view clear : {kEmail, kName, kPhone, kMessage}) {
    EXPECT_EQ(files_containing(data, clear), std::vector<std::string>{}) << clear;
  }
  // Within a few seconds the sweep erases it.
  json::object row;
  for (int i = 0; i < 100; ++i) {
    Answer list = server->call("GET", "/v1/networks/lapland/join-requests");
    ASSERT_EQ(list.status, 200u);
    row = request_in(list, id);
    if (row.at("status") == json::value("expired")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(row.at("status"), json::value("expired"));
  EXPECT_TRUE(row.at("name").is_null());
  EXPECT_EQ(row.at("erased"), json::value(true));
  // The erasure is an event of the network's history.
  Answer history = server->call("GET", "/v1/networks/lapland/history");
  EXPECT_NE(history.body.find("JoinRequestExpired"), std::string::npos) << history.body;
  ASSERT_EQ(server->stop().code, 0);
  for (std::string_view clear : {kEmail, kName, kPhone, kMessage}) {
    EXPECT_EQ(files_containing(data, clear), std::vector<std::string>{}) << clear;
  }
  const std::string log = slurp(server->stderr_path()) + slurp(server->stdout_path());
  EXPECT_FALSE(log.empty());
  for (std::string_view clear : {kEmail, kName, kPhone, kMessage}) {
    EXPECT_EQ(log.find(clear), std::string::npos) << clear;
  }
  // After a restart (replay, or the snapshot) it stays erased.
  auto again = E2eServer::start(data);
  ASSERT_TRUE(again);
  row = request_in(again->call("GET", "/v1/networks/lapland/join-requests"), id);
  EXPECT_EQ(row.at("status"), json::value("expired"));
  EXPECT_TRUE(row.at("email").is_null());
}

}  // namespace
}  // namespace ikv::e2e
