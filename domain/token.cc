#include "domain/token.h"

#include <algorithm>
#include <set>

#include "domain/checks.h"
#include "domain/text.h"

namespace ikv::domain {

bool TokenInfo::covers_network(std::string_view network_id) const {
  if (role != Role::kCoordinator || networks.empty()) return true;
  return std::find(networks.begin(), networks.end(), network_id) != networks.end();
}

namespace {

using Events = std::vector<TokenEvent>;

bool is_lower_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

class Decider {
 public:
  Decider(const TokenState& s, const DecisionContext& ctx) : s_(s), ctx_(ctx) {}

  Decision<TokenEvent> operator()(const IssueToken& c) const {
    if (!std::holds_alternative<NoToken>(s_)) {
      return conflict("token_exists", "token '" + c.token_id + "' exists");
    }
    if (auto r = require_text(c.token_id, "/token_id")) return *r;
    if (auto r = require_text(c.name, "/name")) return *r;
    const std::optional<Role> role = parse_role(c.role);
    if (!role) {
      return validation_error("invalid_role", "/role",
                              "role must be admin, coordinator, analyst or auditor");
    }
    if (*role != Role::kCoordinator && !c.networks.empty()) {
      return validation_error("networks_only_for_coordinator", "/networks",
                              "only a coordinator token is limited to networks");
    }
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < c.networks.size(); ++i) {
      if (!ctx_.has_network(c.networks[i]) || !seen.insert(c.networks[i]).second) {
        return validation_error("unknown_network", "/networks/" + std::to_string(i),
                                "no network '" + c.networks[i] + "' (or listed twice)");
      }
    }
    if (!is_lower_hex(c.secret_hash)) {
      return validation_error("invalid_secret_hash", "/secret_hash",
                              "the secret hash must be lowercase hex");
    }
    if (c.expires_at_us && *c.expires_at_us <= c.now_us) {
      return validation_error("expires_at_not_in_future", "/expires_at",
                              "expires_at must lie in the future");
    }
    std::string name = trimmed(c.name);
    if (ctx_.has_token_named(name)) {
      return conflict("token_name_taken", "a token named '" + name + "' exists", "/name");
    }
    return Events{TokenIssued{c.token_id, std::move(name), *role, c.networks, c.secret_hash,
                              c.expires_at_us}};
  }

  Decision<TokenEvent> operator()(const RotateToken& c) const {
    if (std::holds_alternative<NoToken>(s_)) {
      return not_found("token_not_found", "no token '" + c.token_id + "'");
    }
    if (std::holds_alternative<RevokedToken>(s_)) {
      return conflict("token_already_revoked",
                      "token '" + c.token_id + "' is revoked and cannot be rotated");
    }
    const TokenInfo& info = std::get<ActiveToken>(s_).info;
    if (info.expired_at(c.now_us)) {
      return conflict("token_expired", "token '" + c.token_id + "' has expired");
    }
    if (c.grace_seconds < 0 || c.grace_seconds > kMaxGraceSeconds) {
      return validation_error("invalid_grace_seconds", "/grace_seconds",
                              "grace_seconds must be 0 to " + std::to_string(kMaxGraceSeconds));
    }
    if (!is_lower_hex(c.secret_hash)) {
      return validation_error("invalid_secret_hash", "/secret_hash",
                              "the secret hash must be lowercase hex");
    }
    constexpr std::int64_t kMicros = 1'000'000;
    return Events{TokenRotated{info.token_id, c.secret_hash, c.now_us + c.grace_seconds * kMicros}};
  }

  Decision<TokenEvent> operator()(const RevokeToken& c) const {
    struct Check {
      const RevokeToken& c;
      Decision<TokenEvent> operator()(const NoToken&) const {
        return not_found("token_not_found", "no token '" + c.token_id + "'");
      }
      Decision<TokenEvent> operator()(const ActiveToken& t) const {
        return Events{TokenRevoked{t.info.token_id}};
      }
      Decision<TokenEvent> operator()(const RevokedToken&) const {
        return conflict("token_already_revoked", "token '" + c.token_id + "' is revoked");
      }
    };
    return std::visit(Check{c}, s_);
  }

 private:
  const TokenState& s_;
  const DecisionContext& ctx_;
};

struct Evolver {
  TokenState operator()(NoToken, const TokenIssued& e) const {
    return ActiveToken{
        TokenInfo{e.token_id, e.name, e.role, e.networks, e.secret_hash, e.expires_at_us}};
  }
  TokenState operator()(ActiveToken t, const TokenRotated& e) const {
    t.info.secret_hash = e.secret_hash;
    return t;
  }
  TokenState operator()(ActiveToken t, const TokenRevoked& /*e*/) const {
    return RevokedToken{std::move(t.info)};
  }
  // Other pairings do not occur in a decided stream; the state stays.
  template <class S>
  TokenState operator()(S s, const TokenIssued& /*e*/) const {
    return s;
  }
  template <class S>
  TokenState operator()(S s, const TokenRevoked& /*e*/) const {
    return s;
  }
  template <class S>
  TokenState operator()(S s, const TokenRotated& /*e*/) const {
    return s;
  }
};

}  // namespace

Decision<TokenEvent> decide(const TokenCommand& command, const TokenState& state,
                            const DecisionContext& context) {
  return std::visit(Decider(state, context), command);
}

TokenState evolve(TokenState state, const TokenEvent& event) {
  return std::visit([](auto s, const auto& e) { return Evolver{}(std::move(s), e); },
                    std::move(state), event);
}

}  // namespace ikv::domain
