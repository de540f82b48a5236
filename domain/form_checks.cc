#include "domain/form_checks.h"

#include "domain/checks.h"
#include "domain/text.h"

namespace ikv::domain {

std::vector<Rejection> join_issues(const JoinNetwork& c, const TaxonomyState& taxonomy) {
  std::vector<Rejection> out;
  const auto add = [&out](std::optional<Rejection> r) {
    if (r) out.push_back(std::move(*r));
  };
  add(require_text(c.member_id, "/member_id"));
  add(require_text(c.personal.name, "/name"));
  if (!looks_like_email(c.personal.email)) {
    out.push_back(validation_error("invalid_email", "/email", "email must be an e-mail address"));
  }
  add(require_text(c.organisation, "/organisation"));
  add(require_code(taxonomy, TaxonomyKind::kSector, c.sector, "/sector"));
  add(require_date(c.joined_on, "/joined_on"));
  return out;
}

}  // namespace ikv::domain
