// AppendPlanner: the rules of append shared by every EventStore implementation.
//
// A planner works on one commit group. For each request, in order, it checks
// the request's shape, event-id idempotency and the expected version against the
// committed state (through the lookups) plus what it planned earlier in the same
// group, then assigns positions, versions, recorded_at and the hash chain.
// Nothing is written: the store writes planned() atomically, then publishes it.
//
// Thread-safety: none; owned by the thread that holds the log tail.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "eventstore/event_store.h"

namespace ikv::eventstore {

struct PlannedEvent {
  RecordedEvent event;
  std::string record;  // encoded bytes (record_codec.h)
};

class AppendPlanner {
 public:
  struct Lookups {
    // The committed version of a stream (0 = none).
    std::function<std::uint64_t(const std::string&)> stream_version;
    // The committed event with this id, if any.
    std::function<Result<std::optional<RecordedEvent>>(const std::string&)> event_by_id;
  };

  // REQUIRES: next_position is the committed head + 1, chain_head its hash.
  AppendPlanner(Lookups lookups, std::uint64_t next_position, Hash chain_head,
                std::int64_t recorded_at_us);

  // Plans one request. On success with replayed == false, its events were added
  // to planned(). On error nothing was added.
  Result<AppendResult> plan(const AppendRequest& req);

  const std::vector<PlannedEvent>& planned() const { return planned_; }
  // Moves the planned events out (the planner is done after this).
  std::vector<PlannedEvent> take_planned() { return std::move(planned_); }
  // Streams whose version this group changes, with their new versions.
  const std::unordered_map<std::string, std::uint64_t>& new_heads() const { return heads_; }
  std::uint64_t next_position() const { return next_position_; }
  const Hash& chain_head() const { return chain_head_; }

 private:
  std::uint64_t version_of(const std::string& stream) const;
  Result<std::optional<RecordedEvent>> find(const std::string& event_id) const;
  Result<std::optional<AppendResult>> check_replay(const AppendRequest& req) const;

  Lookups lookups_;
  std::uint64_t next_position_;
  Hash chain_head_;
  std::int64_t recorded_at_us_;
  std::vector<PlannedEvent> planned_;
  std::unordered_map<std::string, std::uint64_t> heads_;
  std::unordered_map<std::string, std::size_t> planned_ids_;  // event id -> index in planned_
};

}  // namespace ikv::eventstore
