// RegistryState: the aggregate states the Registry folds from the log to
// decide commands (networks, meetings, the taxonomy, tokens) with the lookups
// derived from them, each with its stream version and the log position of its
// last event. Kept current by Registry; written to and read from snapshots by
// snapshot_codec.h; compared with operator== in tests (rebuilding from
// position 0, restarting from a snapshot and updating incrementally must give
// equal states).
//
// Thread-safety: a plain value; Registry guards its copy with its mutex.
//
//   RegistryState s = registry->debug_state();
//   EXPECT_TRUE(s == rebuilt->debug_state());
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/meeting.h"
#include "domain/network_state.h"
#include "domain/taxonomy.h"
#include "domain/token.h"

namespace ikv::app {

template <class S>
struct Versioned {
  S state;
  std::uint64_t version = 0;
  std::uint64_t position = 0;  // global position of the stream's last event

  bool operator==(const Versioned&) const = default;
};

struct RegistryState {
  std::map<std::string, Versioned<domain::NetworkState>, std::less<>> networks;
  std::map<std::string, Versioned<domain::MeetingState>, std::less<>> meetings;
  Versioned<domain::TaxonomyState> taxonomy{domain::initial_taxonomy_state()};
  std::map<std::string, Versioned<domain::TokenState>, std::less<>> tokens;
  std::unordered_map<std::string, std::string> member_network;  // member id -> network id
  std::unordered_map<std::string, std::string> token_by_hash;   // secret hash -> token id

  bool operator==(const RegistryState&) const = default;
};

// The entry for `key`, inserted value-initialised when absent; a hit copies no key.
template <class Map>
typename Map::mapped_type& entry_of(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it->second;
}

}  // namespace ikv::app
