// The access-token aggregate (stream "token-<id>"): a bearer token with a
// role, issued and revoked by an admin. The secret itself never reaches the
// domain: the application hashes it and the event keeps the hash.
//
// Rejections (code, kind, field):
//   IssueToken: token_exists (409), missing_field (422 /name), invalid_role (422 /role),
//     networks_only_for_coordinator (422 /networks), unknown_network (422 /networks/<i>),
//     invalid_secret_hash (422 /secret_hash), token_name_taken (409 /name)
//   RevokeToken: token_not_found (404), token_already_revoked (409)
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   auto d = decide(IssueToken{id, "oulu-app", "coordinator", {"oulu"}, hash}, state, ctx);
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/context.h"
#include "domain/decision.h"
#include "domain/values.h"

namespace ikv::domain {

// ---- events ----
struct TokenIssued {
  std::string token_id;
  std::string name;
  Role role = Role::kAnalyst;
  std::vector<std::string> networks;  // coordinator limit; empty = all networks
  std::string secret_hash;            // lowercase hex

  bool operator==(const TokenIssued&) const = default;
};

struct TokenRevoked {
  std::string token_id;

  bool operator==(const TokenRevoked&) const = default;
};

using TokenEvent = std::variant<TokenIssued, TokenRevoked>;

// ---- commands ----
struct IssueToken {
  std::string token_id;  // new, chosen by the application
  std::string name;      // unique among all tokens
  std::string role;      // "admin", "coordinator", "analyst" or "auditor"
  std::vector<std::string> networks;
  std::string secret_hash;  // lowercase hex, computed by the application
};

struct RevokeToken {
  std::string token_id;
};

using TokenCommand = std::variant<IssueToken, RevokeToken>;

// ---- state ----
struct TokenInfo {
  std::string token_id;
  std::string name;
  Role role = Role::kAnalyst;
  std::vector<std::string> networks;
  std::string secret_hash;

  // May this token act on the network? Coordinators only on their networks
  // (all when the list is empty); other roles are not limited by network.
  bool covers_network(std::string_view network_id) const;

  bool operator==(const TokenInfo&) const = default;
};

struct NoToken {
  bool operator==(const NoToken&) const = default;
};
struct ActiveToken {
  TokenInfo info;
  bool operator==(const ActiveToken&) const = default;
};
struct RevokedToken {
  TokenInfo info;
  bool operator==(const RevokedToken&) const = default;
};

using TokenState = std::variant<NoToken, ActiveToken, RevokedToken>;

inline TokenState initial_token_state() { return NoToken{}; }

Decision<TokenEvent> decide(const TokenCommand& command, const TokenState& state,
                            const DecisionContext& context);
// Never fails; events that do not fit the state leave it unchanged.
TokenState evolve(TokenState state, const TokenEvent& event);

}  // namespace ikv::domain
