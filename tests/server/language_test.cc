// language.h: the answer's language from Accept-Language, and problem answers
// translated word for word or by pattern, values carried over unchanged.
#include "server/http/language.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "server/http/problem.h"

namespace ikv::server {
namespace {
namespace http = boost::beast::http;
namespace json = boost::json;

Response unprocessable(std::string detail, std::vector<FieldError> errors) {
  Problem p;
  p.status = http::status::unprocessable_entity;
  p.detail = std::move(detail);
  p.errors = std::move(errors);
  return problem_response(p);
}

json::object localized(Response res, std::string_view lang) {
  localize_problem(res, lang);
  return json::parse(res.body()).as_object();
}

std::string message(const json::object& p, std::size_t i) {
  return std::string(p.at("errors").as_array().at(i).at("message").as_string());
}

TEST(Language, PicksTheMostWantedSupportedLanguage) {
  EXPECT_EQ(answer_language("fi-FI"), "fi");
  EXPECT_EQ(answer_language("de, sv;q=0.8, fi;q=0.5"), "sv");
  EXPECT_EQ(answer_language("en;q=0.2, fi;q=0.9"), "fi");
  EXPECT_EQ(answer_language("de"), "en");
  EXPECT_EQ(answer_language(""), "en");
  EXPECT_EQ(answer_language("fi;q=0"), "en");
}

TEST(Language, TranslatesMessagesWithValuesKeepingTheValues) {
  const auto fi = localized(
      unprocessable("no network 'atlantis'",
                    {{"/themes/1", "'weather' is not a theme code"},
                     {"/location", "/location must not be empty"},
                     {"/name", "must be at most 200 characters"},
                     {"/attendee_count", "must be at most 100000"},
                     {"/attendees/0", "'m-9' is not a current member of the meeting's networks"}}),
      "fi");
  EXPECT_EQ(fi.at("title"), "Virheellisiä tietoja");
  EXPECT_EQ(fi.at("detail"), "verkostoa 'atlantis' ei ole");
  EXPECT_EQ(message(fi, 0), "'weather' ei ole teeman koodi");
  EXPECT_EQ(message(fi, 1), "/location ei saa olla tyhjä");
  EXPECT_EQ(message(fi, 2), "enintään 200 merkkiä");
  EXPECT_EQ(message(fi, 3), "on oltava enintään 100000");
  EXPECT_EQ(message(fi, 4), "'m-9' ei ole kokouksen verkostojen nykyinen jäsen");
  const auto sv = localized(
      unprocessable("left_on is before joined_on (2024-04-01)",
                    {{"/held_on", "/held_on must be a real date (YYYY-MM-DD or YYYY-MM)"}}),
      "sv");
  EXPECT_EQ(sv.at("detail"), "utträdesdagen är före inträdesdagen (2024-04-01)");
  EXPECT_EQ(message(sv, 0), "/held_on måste vara ett verkligt datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM)");
}

TEST(Language, LeavesUnknownAndPartlyMatchingTextsInEnglish) {
  const auto fi = localized(unprocessable("no network 'a' today", {{"/x", "something new"}}), "fi");
  EXPECT_EQ(fi.at("detail"), "no network 'a' today");
  EXPECT_EQ(message(fi, 0), "something new");
  // A hole takes at least one character.
  EXPECT_EQ(localized(unprocessable("no network ''", {}), "fi").at("detail"), "no network ''");
  // English answers are left as they are, without Content-Language.
  Response en = unprocessable("no network 'a'", {});
  localize_problem(en, "en");
  EXPECT_EQ(en.find(http::field::content_language), en.end());
}

}  // namespace
}  // namespace ikv::server
