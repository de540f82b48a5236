// Personal data by scope (API.md, "Who sees personal data"), end to end: every
// GET route of the server's own route table (`--print-routes`), the live feed
// (SSE) too, called by every kind of reader. A member's name, e-mail and phone
// may appear in an answer only when the reader's scope covers the member's
// network: admin, a coordinator whose token names it, a coordinator whose token
// names none. Analysts, auditors and coordinators of other networks must never
// see them, on any route.
//
// How the check can fail: two people are planted, one in `turku` and one in
// `oulu`, with distinctive values; every answer body is searched for each
// value. A route the walk cannot fill (a new path parameter) fails the test, so
// a new route is walked as soon as it exists. Positive controls: the admin must
// see the planted values on the routes that carry them, or the search proves
// nothing.
#include <map>
#include <set>
#include <sstream>

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

struct Person {
  std::string network;
  std::string name;
  std::string email;
  std::string phone;
  std::string member_id;
};

struct Reader {
  std::string label;
  std::string secret;
  std::set<std::string> sees;  // the networks whose personal data it may see
};

class PersonalScope : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = E2eServer::start(dir_.sub("data"));
    ASSERT_NE(server_, nullptr);
    for (const char* n : {"turku", "oulu"}) {
      ASSERT_EQ(server_->call("POST", "/v1/networks", network_body(n)).status, 201u);
    }
    people_ = {{"turku", "Tuula Q7Turunen", "tuula.q7.turunen@example.org", "+358 40 111 7007", {}},
               {"oulu", "Olli Z3Oulunen", "olli.z3.oulunen@example.org", "+358 50 222 3003", {}}};
    for (auto& p : people_) {
      Answer a = server_->call("POST", "/v1/networks/" + p.network + "/members",
                               body({{"name", p.name},
                                     {"email", p.email},
                                     {"phone", p.phone},
                                     {"organisation", "Police"},
                                     {"sector", "police"},
                                     {"joined_on", "2024-02-01"}}));
      ASSERT_EQ(a.status, 201u) << a.body;
      p.member_id = a.str("member_id");
    }
    // A held meeting with the Turku member attending, and an observation.
    Answer m = server_->call(
        "POST", "/v1/networks/turku/meetings",
        body({{"scheduled_for", "2024-05-15"}, {"format", "in_person"}, {"location", "Turku"}}));
    ASSERT_EQ(m.status, 201u) << m.body;
    meeting_id_ = m.str("meeting_id");
    ASSERT_EQ(server_
                  ->call("POST", "/v1/meetings/" + meeting_id_ + "/record",
                         body({{"held_on", "2024-05-15"},
                               {"attendees", json::array{people_[0].member_id}}}))
                  .status,
              200u);
    ASSERT_EQ(server_
                  ->call("POST", "/v1/networks/turku/observations",
                         body({{"theme", "forced_labour"}, {"observed_on", "2024-05-15"}}))
                  .status,
              200u);
    readers_ = {
        {"admin", std::string(kAdminToken), {"turku", "oulu"}},
        {"coordinator of turku",
         issue_token(*server_, "c-turku", "coordinator", {"turku"}),
         {"turku"}},
        {"coordinator of oulu", issue_token(*server_, "c-oulu", "coordinator", {"oulu"}), {"oulu"}},
        {"coordinator of every network",
         issue_token(*server_, "c-all", "coordinator"),
         {"turku", "oulu"}},
        {"auditor", issue_token(*server_, "auditor-1", "auditor"), {}},
        {"analyst", issue_token(*server_, "analyst-1", "analyst"), {}},
    };
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  // The concrete targets of a route template; empty when a parameter is unknown.
  std::vector<std::string> fill(const std::string& path) const {
    std::vector<std::string> out{path};
    const std::map<std::string, std::vector<std::string>> values{
        {"{id}", {"turku", "oulu"}},
        {"{stream}", {"network-turku", "network-oulu"}},
        {"{member_id}", {people_[0].member_id, people_[1].member_id}},
        {"{meeting_id}", {meeting_id_}},
    };
    // A required query parameter: the person to look for.
    if (path == "/v1/people") return {path + "?email=" + people_[0].email};
    for (;;) {
      const auto open = out.front().find('{');
      if (open == std::string::npos) return out;
      const std::string param = out.front().substr(open, out.front().find('}', open) - open + 1);
      const auto it = values.find(param);
      if (it == values.end()) return {};
      std::vector<std::string> next;
      for (const auto& t : out) {
        for (const auto& v : it->second) {
          std::string filled = t;
          filled.replace(filled.find(param), param.size(), v);
          next.push_back(filled);
        }
      }
      out = std::move(next);
    }
  }

  // Fails for every planted value `text` holds that `reader` may not see;
  // returns the networks whose people appear in it.
  std::set<std::string> check(const Reader& reader, const std::string& where,
                              const std::string& text) {
    std::set<std::string> shown;
    for (const auto& p : people_) {
      for (const std::string* value : {&p.name, &p.email, &p.phone}) {
        if (text.find(*value) == std::string::npos) continue;
        shown.insert(p.network);
        EXPECT_TRUE(reader.sees.contains(p.network))
            << reader.label << " sees " << p.network << "'s personal data (" << *value << ") in "
            << where;
      }
    }
    return shown;
  }

  TempDir dir_;
  std::unique_ptr<E2eServer> server_;
  std::vector<Person> people_;
  std::string meeting_id_;
  std::vector<Reader> readers_;
};

TEST_F(PersonalScope, EveryReadShowsPersonalDataOnlyInsideTheReadersScope) {
  std::size_t walked = 0;
  // For the admin: the targets whose answers showed personal data.
  std::set<std::string> admin_saw;
  for (const std::string& line : printed_routes()) {
    std::istringstream in(line);
    std::string method, path, operation;
    in >> method >> path >> operation;
    if (method != "GET" || !path.starts_with("/v1/")) continue;
    const auto targets = fill(path);
    if (targets.empty()) {
      ADD_FAILURE() << "the walk does not know how to fill the parameters of " << path
                    << ": teach it, so that the route is checked";
      continue;
    }
    for (const auto& target : targets) {
      for (const auto& reader : readers_) {
        Answer a = server_->call("GET", target, {}, {}, Auth::bearer(reader.secret));
        EXPECT_TRUE(a.status == 200u || a.status == 403u)
            << reader.label << " GET " << target << ": " << a.status << " " << a.body;
        ++walked;
        const auto shown = check(reader, "GET " + target, a.body);
        if (reader.label == "admin" && !shown.empty()) admin_saw.insert(target);
      }
    }
  }
  EXPECT_GT(walked, 60u);
  // Positive controls: the routes that carry personal fields show them to the admin.
  for (const std::string& t :
       {std::string("/v1/networks/turku/members"), std::string("/v1/networks/oulu/members"),
        std::string("/v1/events"), std::string("/v1/streams/network-turku"),
        std::string("/v1/networks/turku/history"), std::string("/v1/audit")}) {
    if (!has_route("GET", t.starts_with("/v1/streams/") ? "/v1/streams/{stream}"
                          : t.ends_with("/members")     ? "/v1/networks/{id}/members"
                          : t.ends_with("/history")     ? "/v1/networks/{id}/history"
                                                        : t)) {
      continue;
    }
    EXPECT_TRUE(admin_saw.contains(t))
        << "positive control: the admin sees no personal data in GET " << t;
  }
}

TEST_F(PersonalScope, TheGlobalLogShowsEachReaderExactlyItsNetworks) {
  for (const auto& reader : readers_) {
    Answer a = server_->call("GET", "/v1/events?limit=1000", {}, {}, Auth::bearer(reader.secret));
    if (a.status == 403u) continue;  // coordinators may not read the global log
    ASSERT_EQ(a.status, 200u) << reader.label << ": " << a.body;
    EXPECT_EQ(check(reader, "GET /v1/events", a.body), reader.sees) << reader.label;
  }
}

TEST_F(PersonalScope, TheRosterShowsTheRowWithNullFieldsOutsideTheScope) {
  for (const auto& reader : readers_) {
    Answer a =
        server_->call("GET", "/v1/networks/turku/members", {}, {}, Auth::bearer(reader.secret));
    ASSERT_EQ(a.status, 200u) << reader.label;
    const auto& items = a.json.at("items").as_array();
    ASSERT_EQ(items.size(), 1u) << reader.label;
    const auto& row = items[0].as_object();
    EXPECT_EQ(row.at("member_id"), json::value(people_[0].member_id));
    EXPECT_EQ(row.at("organisation"), json::value("Police")) << reader.label;
    const bool sees = reader.sees.contains("turku");
    for (const char* f : {"name", "email", "phone"}) {
      ASSERT_TRUE(row.contains(f)) << reader.label << " " << f;
      EXPECT_EQ(row.at(f).is_null(), !sees)
          << reader.label << " " << f << ": " << json::serialize(row);
    }
    EXPECT_EQ(row.at("erased"), json::value(false)) << reader.label;
  }
}

TEST_F(PersonalScope, TheLiveFeedShowsEachReaderExactlyItsNetworks) {
  const std::int64_t head = server_->log_position();
  ASSERT_GT(head, 0);
  for (const auto& reader : readers_) {
    const std::string text = read_feed(server_->port(), reader.secret, head);
    if (text.starts_with("HTTP/1.1 403")) continue;
    ASSERT_TRUE(text.starts_with("HTTP/1.1 200")) << reader.label << ": " << text.substr(0, 200);
    ASSERT_NE(text.find("id: " + std::to_string(head) + "\n"), std::string::npos) << reader.label;
    EXPECT_EQ(check(reader, "the live feed", text), reader.sees) << reader.label;
  }
}

}  // namespace
}  // namespace ikv::e2e
