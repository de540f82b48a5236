// The access-token aggregate (stream "token-<id>"): a bearer token with a
// role, issued and revoked by an admin, optionally expiring at an instant, and
// rotated to a new secret while the previous one keeps working for a grace
// period. The secret itself never reaches the domain: the application hashes
// it and the event keeps the hash. Instants are UTC microseconds and come in
// with the command (`now_us`), like every other fact the decider cannot know.
//
// Rejections (code, kind, field):
//   IssueToken: token_exists (409), missing_field (422 /name), invalid_role (422 /role),
//     networks_only_for_coordinator (422 /networks), unknown_network (422 /networks/<i>),
//     invalid_secret_hash (422 /secret_hash), expires_at_not_in_future (422 /expires_at),
//     token_name_taken (409 /name)
//   RevokeToken: token_not_found (404), token_already_revoked (409)
//   RotateToken: token_not_found (404), token_already_revoked (409), token_expired (409),
//     invalid_grace_seconds (422 /grace_seconds: outside 0..kMaxGraceSeconds),
//     invalid_secret_hash (422 /secret_hash)
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   auto d = decide(IssueToken{id, "oulu-app", "coordinator", {"oulu"}, hash}, state, ctx);
#pragma once

#include <cstdint>
#include <optional>
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
  // The instant (UTC microseconds) from which the token no longer
  // authenticates; nullopt: it never expires.
  std::optional<std::int64_t> expires_at_us;

  bool operator==(const TokenIssued&) const = default;
};

struct TokenRevoked {
  std::string token_id;

  bool operator==(const TokenRevoked&) const = default;
};

// A new secret replaces the token's secret; the previous secret still
// authenticates before previous_valid_until_us (UTC microseconds), not from it.
struct TokenRotated {
  std::string token_id;
  std::string secret_hash;  // the new secret's, lowercase hex
  std::int64_t previous_valid_until_us = 0;

  bool operator==(const TokenRotated&) const = default;
};

using TokenEvent = std::variant<TokenIssued, TokenRevoked, TokenRotated>;

// How long a rotated token's previous secret keeps working, in seconds.
inline constexpr std::int64_t kDefaultGraceSeconds = 300;
inline constexpr std::int64_t kMaxGraceSeconds = 86400;

// ---- commands ----
struct IssueToken {
  std::string token_id;  // new, chosen by the application
  std::string name;      // unique among all tokens
  std::string role;      // "admin", "coordinator", "analyst" or "auditor"
  std::vector<std::string> networks;
  std::string secret_hash;                    // lowercase hex, computed by the application
  std::optional<std::int64_t> expires_at_us;  // must be after now_us
  std::int64_t now_us = 0;                    // the instant of the request
};

struct RevokeToken {
  std::string token_id;
};

struct RotateToken {
  std::string token_id;
  std::string secret_hash;  // the new secret's, lowercase hex, computed by the application
  std::int64_t grace_seconds = kDefaultGraceSeconds;  // 0..kMaxGraceSeconds
  std::int64_t now_us = 0;                            // the instant of the request
};

using TokenCommand = std::variant<IssueToken, RevokeToken, RotateToken>;

// ---- state ----
struct TokenInfo {
  std::string token_id;
  std::string name;
  Role role = Role::kAnalyst;
  std::vector<std::string> networks;
  std::string secret_hash;
  std::optional<std::int64_t> expires_at_us;

  // Has the token expired at `now_us`?
  bool expired_at(std::int64_t now_us) const { return expires_at_us && now_us >= *expires_at_us; }
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
