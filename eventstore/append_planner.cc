#include "eventstore/append_planner.h"

#include <unordered_set>

#include "eventstore/record_codec.h"

namespace ikv::eventstore {

AppendPlanner::AppendPlanner(Lookups lookups, std::uint64_t next_position, Hash chain_head,
                             std::int64_t recorded_at_us)
    : lookups_(std::move(lookups)),
      next_position_(next_position),
      chain_head_(chain_head),
      recorded_at_us_(recorded_at_us) {}

std::uint64_t AppendPlanner::version_of(const std::string& stream) const {
  if (auto it = heads_.find(stream); it != heads_.end()) return it->second;
  return lookups_.stream_version(stream);
}

Result<std::optional<RecordedEvent>> AppendPlanner::find(const std::string& event_id) const {
  if (auto it = planned_ids_.find(event_id); it != planned_ids_.end()) {
    return std::optional<RecordedEvent>(planned_[it->second].event);
  }
  return lookups_.event_by_id(event_id);
}

// An append whose every event id is already stored, at consecutive positions of
// the same stream with the same content, is a retry: answer what it got then.
Result<std::optional<AppendResult>> AppendPlanner::check_replay(const AppendRequest& req) const {
  std::vector<RecordedEvent> found;
  found.reserve(req.events.size());
  for (const auto& e : req.events) {
    auto stored = find(e.event_id);
    if (!stored) return stored.error();
    if (stored->has_value()) found.push_back(std::move(**stored));
  }
  if (found.empty()) return std::optional<AppendResult>();
  const auto conflict = [](std::string why) {
    return Error{ErrorCode::kIdempotencyConflict, std::move(why), std::nullopt};
  };
  if (found.size() != req.events.size()) {
    return conflict("some event ids of this append are already stored, others are not");
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    const auto& s = found[i];
    if (s.stream != req.stream)
      return conflict("event id " + s.event_id + " is stored in another stream");
    if (!same_content(s, req.events[i])) {
      return conflict("event id " + s.event_id + " is stored with different content");
    }
    if (i > 0 &&
        (s.position != found[i - 1].position + 1 || s.version != found[i - 1].version + 1)) {
      return conflict("event ids of this append were stored by different appends");
    }
  }
  AppendResult r;
  r.stream = req.stream;
  r.first_version = found.front().version;
  r.last_version = found.back().version;
  r.first_position = found.front().position;
  r.last_position = found.back().position;
  r.replayed = true;
  return std::optional<AppendResult>(r);
}

Result<AppendResult> AppendPlanner::plan(const AppendRequest& req) {
  const auto invalid = [](std::string why) {
    return Error{ErrorCode::kInvalidArgument, std::move(why), std::nullopt};
  };
  if (req.stream.empty()) return invalid("stream name is empty");
  if (req.stream.find('\0') != std::string::npos) return invalid("stream name contains NUL");
  if (req.events.empty()) return invalid("an append needs at least one event");
  for (const auto& put : req.side_puts) {
    if (!is_side_table(put.table)) return invalid("unknown side table " + put.table);
  }
  std::unordered_set<std::string_view> ids;
  for (const auto& e : req.events) {
    if (e.event_id.empty()) return invalid("event id is empty");
    if (e.type.empty() || e.type.find('\0') != std::string::npos) return invalid("bad event type");
    if (!ids.insert(e.event_id).second) return invalid("duplicate event id " + e.event_id);
  }

  auto replay = check_replay(req);
  if (!replay) return replay.error();
  if (replay->has_value()) return **replay;

  const std::uint64_t current = version_of(req.stream);
  if (!req.expected.matches(current)) {
    return Error{ErrorCode::kWrongExpectedVersion,
                 "stream " + req.stream + " is at version " + std::to_string(current), current};
  }

  AppendResult result;
  result.stream = req.stream;
  result.first_version = current + 1;
  result.first_position = next_position_;
  std::uint64_t version = current;
  for (const auto& e : req.events) {
    PlannedEvent p;
    p.event.position = next_position_++;
    p.event.stream = req.stream;
    p.event.version = ++version;
    p.event.event_id = e.event_id;
    p.event.type = e.type;
    p.event.schema_version = e.schema_version;
    p.event.payload = e.payload;
    p.event.metadata = e.metadata;
    p.event.recorded_at_us = recorded_at_us_;
    p.event.prev_hash = chain_head_;
    p.event.decided = e.decided;
    p.record = encode_record(p.event);
    chain_head_ = p.event.hash;
    planned_ids_[e.event_id] = planned_.size();
    planned_.push_back(std::move(p));
  }
  heads_[req.stream] = version;
  result.last_version = version;
  result.last_position = next_position_ - 1;
  return result;
}

}  // namespace ikv::eventstore
