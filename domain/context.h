// DecisionContext: what a decider may know beyond its own aggregate, handed in
// by the application layer as plain data and lookups. Keeps the deciders pure:
// the lookups answer from state the application has already loaded.
//
// Thread-safety: a context is used by one decide call at a time; the lookups
// must not mutate shared state.
//
//   DecisionContext ctx;
//   ctx.taxonomy = &taxonomy_state;
//   ctx.network_exists = [&](std::string_view id) { return networks.contains(id); };
//   auto d = decide(command, meeting_state, ctx);
#pragma once

#include <functional>
#include <string_view>

#include "domain/taxonomy.h"

namespace ikv::domain {

struct DecisionContext {
  // The current taxonomy; nullptr means the built-in one.
  const TaxonomyState* taxonomy = nullptr;
  // Is there an established network with this id? Unset: no network exists.
  std::function<bool(std::string_view network_id)> network_exists;
  // Is the member a current member (joined, not left) of the network? Unset: no.
  std::function<bool(std::string_view network_id, std::string_view member_id)> is_current_member;
  // Is the meeting organised by, or joint with, the network? Unset: no.
  std::function<bool(std::string_view meeting_id, std::string_view network_id)> meeting_involves;
  // Is a token (active or revoked) already named so? Unset: no.
  std::function<bool(std::string_view token_name)> token_name_taken;

  const TaxonomyState& taxonomy_or_builtin() const {
    return taxonomy != nullptr ? *taxonomy : builtin_taxonomy();
  }
  bool has_network(std::string_view id) const { return network_exists && network_exists(id); }
  bool has_current_member(std::string_view network_id, std::string_view member_id) const {
    return is_current_member && is_current_member(network_id, member_id);
  }
  bool meeting_involves_network(std::string_view meeting_id, std::string_view network_id) const {
    return meeting_involves && meeting_involves(meeting_id, network_id);
  }
  bool has_token_named(std::string_view name) const {
    return token_name_taken && token_name_taken(name);
  }
};

}  // namespace ikv::domain
