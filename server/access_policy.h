// Who may call what: roles per operation (API.md, Resources), and the guard
// that authenticates bearer tokens and enforces them.
//
// Thread-safety: the table is constant; the guard is safe from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "app/registry.h"
#include "server/http/router.h"
#include "server/personal_access_log.h"
#include "server/rate_limiter.h"

namespace ikv::server {

// The roles allowed to call an operation; std::nullopt for a public one.
// Every operation id of the route table must be listed (checked by a test).
struct OperationAccess {
  bool is_public = false;
  bool admin = false;
  bool coordinator = false;
  bool analyst = false;
  bool auditor = false;
  bool allows(domain::Role role) const;
};
std::optional<OperationAccess> access_for(std::string_view operation_id);

// The router guard: 401 without a valid bearer token (with WWW-Authenticate;
// its detail says so when the token has expired),
// 403 for a role the operation does not admit, 429 (with Retry-After) when the
// token is over its rate limit; fills ctx.principal with a Caller
// (disclosure.h) whose disclosures are recorded in `access_log` (if any).
// REQUIRES: registry, limiter and access_log outlive the guard.
Guard make_access_guard(const app::Registry& registry, RateLimiter& limiter,
                        PersonalAccessLog* access_log = nullptr);

}  // namespace ikv::server
