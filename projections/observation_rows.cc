#include "projections/observation_rows.h"

#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

namespace ikv::projections {

namespace {

std::size_t hash_of(std::string_view id) { return std::hash<std::string_view>{}(id); }

}  // namespace

ObservationRows::Span ObservationRows::keep(std::string_view s) {
  if (arena_.size() + s.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("a network's observation texts exceed 4 GiB");
  }
  const Span span{static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(s.size())};
  arena_.append(s);
  return span;
}

std::uint32_t ObservationRows::code(std::string_view c) {
  if (const auto it = code_ids_.find(c); it != code_ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(codes_.size());
  codes_.emplace_back(c);
  code_ids_.emplace(std::string(c), id);
  return id;
}

template <class Range>
std::uint32_t ObservationRows::list(const Range& codes) {
  std::string key;
  key.reserve(codes.size() * sizeof(std::uint32_t));
  for (const auto& c : codes) {
    const std::uint32_t id = code(c);
    key.append(reinterpret_cast<const char*>(&id), sizeof id);
  }
  if (const auto it = list_ids_.find(key); it != list_ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(lists_.size());
  lists_.push_back(
      {static_cast<std::uint32_t>(list_codes_.size()), static_cast<std::uint32_t>(codes.size())});
  for (std::size_t at = 0; at < key.size(); at += sizeof(std::uint32_t)) {  // the ids just made
    std::uint32_t c = 0;
    std::memcpy(&c, key.data() + at, sizeof c);
    list_codes_.push_back(c);
  }
  list_ids_.emplace(std::move(key), id);
  return id;
}

void ObservationRows::grow_index() {
  std::vector<std::uint32_t> slots(slots_.empty() ? 16 : slots_.size() * 2, 0);
  slots_.swap(slots);
  for (const std::uint32_t s : slots) {
    if (s == 0) continue;
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = hash_of(id(s - 1)) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = s;
  }
}

void ObservationRows::index(std::size_t row) {
  if ((rows_.size() + 1) * 2 > slots_.size()) grow_index();
  const std::string_view key = id(row);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash_of(key) & mask;; at = (at + 1) & mask) {
    if (slots_[at] == 0) {
      slots_[at] = static_cast<std::uint32_t>(row + 1);
      return;
    }
    if (id(slots_[at] - 1) == key) return;  // the first row keeps the id
  }
}

std::optional<std::size_t> ObservationRows::find(std::string_view observation_id) {
  if (!indexed_) {
    indexed_ = true;
    for (std::size_t row = 0; row < rows_.size(); ++row) index(row);
  }
  if (slots_.empty()) return std::nullopt;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash_of(observation_id) & mask;; at = (at + 1) & mask) {
    if (slots_[at] == 0) return std::nullopt;
    if (id(slots_[at] - 1) == observation_id) return slots_[at] - 1;
  }
}

std::size_t ObservationRows::push(const ObservationFields& f) {
  if (rows_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
    throw std::length_error("a network holds too many observations");
  }
  Row r;
  r.position = f.position;
  r.recorded_at_us = f.recorded_at_us;
  r.id = keep(f.observation_id);
  if (f.meeting_id) {
    r.meeting = keep(*f.meeting_id);
    r.flags |= kHasMeeting;
  }
  if (f.summary) {
    r.summary = keep(*f.summary);
    r.flags |= kHasSummary;
  }
  r.theme = code(f.theme);
  r.groups = list(f.target_groups);
  r.year = f.observed_on.year;
  r.month = static_cast<std::uint8_t>(f.observed_on.month);
  r.day = static_cast<std::uint8_t>(f.observed_on.day);
  r.precision = static_cast<std::uint8_t>(f.observed_on.precision);
  rows_.push_back(r);
  if (indexed_) index(rows_.size() - 1);
  return rows_.size() - 1;
}

std::size_t ObservationRows::push(const ObservationRecord& o) {
  std::vector<std::string_view> groups(o.target_groups.begin(), o.target_groups.end());
  const std::size_t row = push(ObservationFields{
      o.observation_id, o.theme, o.observed_on, groups,
      o.meeting_id ? std::optional<std::string_view>(*o.meeting_id) : std::nullopt,
      o.summary ? std::optional<std::string_view>(*o.summary) : std::nullopt, o.recorded_at_us,
      o.position});
  if (o.retracted) retract(row, o.retraction_reason, o.retracted_at_us);
  return row;
}

bool ObservationRows::retract(std::size_t i, std::optional<std::string> reason,
                              std::optional<std::int64_t> retracted_at_us) {
  Row& r = rows_[i];
  if (r.retraction != 0) return false;
  retractions_.push_back({std::move(reason), retracted_at_us});
  r.retraction = static_cast<std::uint32_t>(retractions_.size());
  return true;
}

domain::Date ObservationRows::observed_on(std::size_t i) const {
  const Row& r = rows_[i];
  return domain::Date{r.year, r.month, r.day, static_cast<domain::DatePrecision>(r.precision)};
}

ObservationRecord ObservationRows::at(std::size_t i) const {
  const Row& r = rows_[i];
  ObservationRecord o;
  o.observation_id = text(r.id);
  o.theme = codes_[r.theme];
  o.observed_on = observed_on(i);
  const Span list = lists_[r.groups];
  o.target_groups.reserve(list.size);
  for (std::uint32_t k = 0; k < list.size; ++k) {
    o.target_groups.push_back(codes_[list_codes_[list.at + k]]);
  }
  if ((r.flags & kHasMeeting) != 0) o.meeting_id = std::string(text(r.meeting));
  if ((r.flags & kHasSummary) != 0) o.summary = std::string(text(r.summary));
  o.recorded_at_us = r.recorded_at_us;
  o.position = r.position;
  if (r.retraction != 0) {
    const Retraction& x = retractions_[r.retraction - 1];
    o.retracted = true;
    o.retraction_reason = x.reason;
    o.retracted_at_us = x.at_us;
  }
  return o;
}

void ObservationRows::reserve(std::size_t rows) { rows_.reserve(rows); }

void ObservationRows::shrink_to_fit() {
  rows_.shrink_to_fit();
  arena_.shrink_to_fit();
  list_codes_.shrink_to_fit();
  retractions_.shrink_to_fit();
}

bool ObservationRows::operator==(const ObservationRows& other) const {
  if (size() != other.size()) return false;
  for (std::size_t i = 0; i < size(); ++i) {
    if (at(i) != other.at(i)) return false;
  }
  return true;
}

}  // namespace ikv::projections
