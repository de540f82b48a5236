// AuditIndex: the change log's index, a pure fold of the global log that maps
// who (actor), what (event type), about which network, and when (recorded
// time) to log positions, so audit and history reads touch only the events
// they answer with.
//
// "About a network" means: every event of the stream network-<id>, and every
// event of the stream of a meeting that the network organises or joins (the
// networks of a meeting are those of its MeetingScheduled).
//
// Recorded times never decrease along the global log (eventstore::Metadata),
// so a recorded-time range is a range of positions.
//
// Thread-safety: not synchronised; RegistryView owns it and is guarded by its
// owner (apply under an exclusive lock, select under a shared one).
//
//   AuditIndex index;
//   index.apply(meta, event);                      // for each committed event
//   AuditFilter f;
//   f.actor = "demo-loader";
//   auto page = index.select(f, /*after=*/0, /*limit=*/100);
//   for (std::uint64_t p : page.positions) read_event_at(p);
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"
#include "eventstore/event_store.h"
#include "projections/id_map.h"
#include "projections/interned_lists.h"

namespace ikv::projections {

// What an audit read asks for; every set field must match.
struct AuditFilter {
  std::optional<std::string> actor;     // token name
  std::optional<std::string> type;      // event type name
  std::optional<std::string> network;   // events about this network
  std::optional<std::int64_t> from_us;  // recorded_at >= from_us
  std::optional<std::int64_t> to_us;    // recorded_at <= to_us
};

// A page of positions.
struct AuditSelection {
  std::vector<std::uint64_t> positions;  // ascending
  bool more = false;                     // more positions match after the last one
};

class AuditIndex {
 public:
  // Indexes one committed event. REQUIRES: log order, each position once
  // (RegistryView skips redeliveries before calling). Events without a
  // position (0) are not indexed.
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event);

  // Positions matching `filter`, ascending, strictly after `after`, at most
  // `limit` of them.
  AuditSelection select(const AuditFilter& filter, std::uint64_t after, std::size_t limit) const;

  // Number of events indexed.
  std::size_t size() const { return positions_.size(); }
  // Positions of the events about `network_id` (empty when none).
  const std::vector<std::uint64_t>& about_network(std::string_view network_id) const;

  bool operator==(const AuditIndex& other) const;

 private:
  friend struct ViewSnapshot;  // view_snapshot.cc

  using Index = std::map<std::string, std::vector<std::uint64_t>, std::less<>>;
  static const std::vector<std::uint64_t>* find(const Index& index, std::string_view key);

  std::vector<std::uint64_t> positions_;  // every indexed position, ascending
  std::vector<std::int64_t> times_;       // recorded_at_us, parallel to positions_
  Index by_actor_;
  Index by_type_;
  Index by_network_;
  // meeting stream -> the networks it is about (organiser first, each once),
  // as the number of that list in network_lists_.
  IdMap<std::uint32_t> meeting_networks_;
  InternedLists network_lists_;
};

}  // namespace ikv::projections
