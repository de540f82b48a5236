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
// A projection unit (projections/projection.h), "audit". Its snapshot
// section (format kFormat):
//
//   audit := ascending positions | list of svarint recorded-time deltas
//            | 3 x list of (string key | ascending positions)   (actor, type, network)
//            | list of (string meeting stream | strings networks)
//
// Thread-safety: as every unit (projection.h).
//
//   const AuditIndex& index = models.get<AuditIndex>();
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

#include "common/id_map.h"
#include "domain/event.h"
#include "eventstore/event_store.h"
#include "projections/interned_lists.h"
#include "projections/projection.h"

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

class AuditIndex final : public Projection {
 public:
  // 1: a unit of its own (before, a part of the view's section).
  static constexpr std::uint32_t kFormat = 1;

  std::string_view name() const override { return "audit"; }
  std::uint32_t format() const override { return kFormat; }
  // Indexes one committed event in log order; a position already indexed
  // (a redelivery) and events without a position (0) are skipped.
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event) override;
  void save(SnapshotWriter& out, PersonalPieces& pieces) const override;
  bool load(SnapshotReader& in, const OpenedPieces& opened) override;
  void clear() override { *this = AuditIndex(); }
  boost::json::value dump() const override;

  // Positions matching `filter`, ascending, strictly after `after`, at most
  // `limit` of them.
  AuditSelection select(const AuditFilter& filter, std::uint64_t after, std::size_t limit) const;

  // Number of events indexed.
  std::size_t size() const { return positions_.size(); }
  // Positions of the events about `network_id` (empty when none).
  const std::vector<std::uint32_t>& about_network(std::string_view network_id) const;

  bool operator==(const AuditIndex& other) const;

 private:
  // Positions are held in 32 bits: the store ends a log at
  // EventIndex::kMaxPosition (2^32 - 1); apply() throws past it.
  using Positions = std::vector<std::uint32_t>;
  using Index = std::map<std::string, Positions, std::less<>>;
  static const Positions* find(const Index& index, std::string_view key);

  Positions positions_;              // every indexed position, ascending
  std::vector<std::int64_t> times_;  // recorded_at_us, parallel to positions_
  Index by_actor_;
  Index by_type_;
  Index by_network_;
  // meeting stream -> the networks it is about (organiser first, each once),
  // as the number of that list in network_lists_.
  IdMap<std::uint32_t> meeting_networks_;
  InternedLists network_lists_;
};

}  // namespace ikv::projections
