// The dashboard's routes against the real server: the page with its
// Content-Security-Policy, the content-hashed assets it names (long-cached),
// the accessibility page, /v1/session; and the language of problems
// (Accept-Language) and a member join's 422 that lists every invalid field.
#include <regex>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

TEST(Dashboard, PageAssetsAndSession) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_NE(server, nullptr);
  Answer page = server->call("GET", "/", {}, {}, Auth::none());
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
  const std::string csp = page.header("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
  std::smatch m;
  std::string rest = page.body;
  int assets = 0;
  while (std::regex_search(rest, m, std::regex("\"(/assets/[^\"]+)\""))) {
    Answer a = server->call("GET", m[1].str(), {}, {}, Auth::none());
    EXPECT_EQ(a.status, 200u) << m[1];
    EXPECT_EQ(a.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_FALSE(a.body.empty());
    ++assets;
    rest = m.suffix();
  }
  EXPECT_EQ(assets, 2) << page.body;  // one script, one style sheet
  EXPECT_EQ(server->call("GET", "/assets/no-such-file.js", {}, {}, Auth::none()).status, 404u);
  EXPECT_EQ(server->call("GET", "/accessibility", {}, {}, Auth::none()).status, 200u);

  Answer who = server->call("GET", "/v1/session");
  ASSERT_EQ(who.status, 200u) << who.body;
  EXPECT_EQ(who.str("role"), "admin");
  EXPECT_EQ(who.json.at("networks").as_array().size(), 0u);
  EXPECT_EQ(who.body.find(kAdminToken), std::string::npos);
  EXPECT_EQ(server->call("GET", "/v1/session", {}, {}, Auth::none()).status, 401u);
  EXPECT_EQ(server->call("GET", "/v1/session?x=1").status, 422u);
}

TEST(Dashboard, ProblemsInTheLanguageAskedForWithEveryInvalidField) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"), {.demo = true});
  ASSERT_NE(server, nullptr);
  const std::string body =
      R"({"name": "X", "email": "no-address", "organisation": "O", "sector": "astronauts",
          "joined_on": "2024-01-01"})";
  Answer fi = server->call("POST", "/v1/networks/turku/members", body,
                           {{"Content-Type", "application/json"}, {"Accept-Language", "fi"}});
  ASSERT_EQ(fi.status, 422u) << fi.body;
  EXPECT_EQ(fi.str("title"), "Virheellisiä tietoja");
  EXPECT_EQ(fi.header("Content-Language"), "fi");
  const auto& errors = fi.json.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u) << fi.body;
  EXPECT_EQ(errors[0].at("field"), "/email");
  EXPECT_EQ(errors[1].at("field"), "/sector");
  Answer sv =
      server->call("GET", "/v1/networks", {}, {{"Accept-Language", "de, sv;q=0.8"}}, Auth::none());
  EXPECT_EQ(sv.str("title"), "Ej autentiserad");
  Answer en = server->call("GET", "/v1/networks", {}, {{"Accept-Language", "de"}}, Auth::none());
  EXPECT_EQ(en.str("title"), "Unauthorized");
}

}  // namespace
}  // namespace ikv::e2e
