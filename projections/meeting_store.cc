#include "projections/meeting_store.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

namespace ikv::projections {

std::optional<MeetingStore::Entry> MeetingStore::find(std::string_view meeting_id) const {
  const Slot* s = slots_.find(meeting_id);
  if (s == nullptr) return std::nullopt;
  return entry(*s);
}

MeetingStore::Slot MeetingStore::keep(std::string_view bytes) {
  if (bytes.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("a meeting's record exceeds 4 GiB");
  }
  const Slot s{arena_.size(), static_cast<std::uint32_t>(bytes.size()), 0};
  arena_.append(bytes);
  return s;
}

void MeetingStore::put(std::string_view meeting_id, std::string_view bytes) {
  Slot* s = slots_.find(meeting_id);
  if (s == nullptr) {
    slots_.try_emplace(meeting_id, keep(bytes));
    return;
  }
  if (bytes.size() <= s->size) {
    arena_.replace(s->at, bytes.size(), bytes);
    garbage_ += s->size - bytes.size();
    s->size = static_cast<std::uint32_t>(bytes.size());
    compact_if_wasteful();
    return;
  }
  garbage_ += s->size;
  const std::uint32_t version = s->version;
  // keep() may grow the arena; the slot stays where it is (IdMap values do
  // not move while no id is added).
  *s = keep(bytes);
  s->version = version;
  compact_if_wasteful();
}

bool MeetingStore::add(std::string_view meeting_id, std::string_view bytes, std::uint64_t version) {
  if (slots_.contains(meeting_id)) return false;
  if (version > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("a meeting's stream version exceeds 2^32 - 1");
  }
  Slot s = keep(bytes);
  s.version = static_cast<std::uint32_t>(version);
  slots_.try_emplace(meeting_id, s);
  return true;
}

bool MeetingStore::raise_version(std::string_view meeting_id, std::uint64_t version) {
  Slot* s = slots_.find(meeting_id);
  if (s == nullptr) return false;
  if (version > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("a meeting's stream version exceeds 2^32 - 1");
  }
  if (version > s->version) s->version = static_cast<std::uint32_t>(version);
  return true;
}

void MeetingStore::compact_if_wasteful() {
  if (garbage_ < kCompactFloor || garbage_ * 4 < arena_.size()) return;
  // In arena order, so that meetings read together stay together.
  std::vector<Slot*> live;
  live.reserve(slots_.size());
  slots_.for_each([&](std::string_view id, const Slot& /*s*/) { live.push_back(slots_.find(id)); });
  std::sort(live.begin(), live.end(), [](const Slot* a, const Slot* b) { return a->at < b->at; });
  std::string packed;
  packed.reserve(arena_.size() - garbage_);
  for (Slot* s : live) {
    const std::uint64_t at = packed.size();
    packed.append(arena_, s->at, s->size);
    s->at = at;
  }
  arena_ = std::move(packed);
  garbage_ = 0;
}

std::map<std::string_view, MeetingStore::Entry> MeetingStore::sorted() const {
  std::map<std::string_view, Entry> out;
  for_each([&](std::string_view id, const Entry& e) { out.emplace(id, e); });
  return out;
}

void MeetingStore::reserve(std::size_t meetings, std::size_t bytes) {
  slots_.reserve(meetings, meetings * 36);  // UUIDs, as a rule
  arena_.reserve(bytes);
}

void MeetingStore::shrink_to_fit() { slots_.shrink_to_fit(); }

bool MeetingStore::operator==(const MeetingStore& other) const {
  if (size() != other.size()) return false;
  bool equal = true;
  for_each([&](std::string_view id, const Entry& e) {
    const auto theirs = other.find(id);
    equal = equal && theirs && theirs->bytes == e.bytes && theirs->version == e.version;
  });
  return equal;
}

}  // namespace ikv::projections
