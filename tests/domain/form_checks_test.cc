// form_checks.h: every invalid field of a command at once, first the one its
// decider rejects with.
#include "domain/form_checks.h"

#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

std::vector<std::string> fields_of(const std::vector<Rejection>& issues) {
  std::vector<std::string> out;
  for (const auto& r : issues) out.push_back(r.field);
  return out;
}

TEST(FormChecks, AValidJoinHasNoIssues) {
  EXPECT_TRUE(join_issues(join("m-1", "anna@example.fi"), builtin_taxonomy()).empty());
}

TEST(FormChecks, ListsEveryInvalidFieldOfAJoin) {
  JoinNetwork c = join("m-1", "not-an-address");
  c.personal.name = " ";
  c.sector = "astronauts";
  c.joined_on = Date{2024, 2, 30};
  const auto issues = join_issues(c, builtin_taxonomy());
  EXPECT_EQ(fields_of(issues),
            (std::vector<std::string>{"/name", "/email", "/sector", "/joined_on"}));
  EXPECT_EQ(issues[1].code, "invalid_email");
  EXPECT_EQ(issues[2].code, "unknown_sector");
}

TEST(FormChecks, TheDeciderRejectsAJoinWithTheFirstIssue) {
  JoinNetwork c = join("m-1", "not-an-address");
  c.sector = "astronauts";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "invalid_email", "/email");
}

}  // namespace
}  // namespace ikv::domain::testing
