#include "projections/audit_index.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <variant>

#include <boost/json.hpp>

#include "domain/streams.h"

namespace ikv::projections {

namespace {

const std::vector<std::uint32_t> kNone;

// The id part of "network-<id>", or "" for another stream.
std::string_view network_of_stream(std::string_view stream) {
  const std::string_view category = eventstore::stream_category(stream);
  if (category != domain::kNetworkCategory || stream.size() <= category.size() + 1) return {};
  return stream.substr(category.size() + 1);
}

bool contains(const std::vector<std::uint32_t>& sorted, std::uint32_t position) {
  return std::binary_search(sorted.begin(), sorted.end(), position);
}

}  // namespace

void AuditIndex::apply(const eventstore::RecordedEvent& meta, const domain::Event& event) {
  if (meta.position == 0) return;
  if (!positions_.empty() && meta.position <= positions_.back()) return;
  if (meta.position > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("the audit index holds positions up to 2^32 - 1");
  }
  const auto position = static_cast<std::uint32_t>(meta.position);
  positions_.push_back(position);
  times_.push_back(meta.recorded_at_us);
  by_actor_[meta.metadata.actor].push_back(position);
  by_type_[meta.type].push_back(position);

  if (const auto* s = std::get_if<domain::MeetingScheduled>(&event);
      s != nullptr && !meeting_networks_.contains(meta.stream)) {
    std::vector<std::string> networks{s->network_id};
    for (const std::string& joint : s->joint_with) {
      if (std::find(networks.begin(), networks.end(), joint) == networks.end()) {
        networks.push_back(joint);
      }
    }
    meeting_networks_.try_emplace(meta.stream, network_lists_.intern(networks));
  }
  if (const std::string_view network = network_of_stream(meta.stream); !network.empty()) {
    auto it = by_network_.find(network);
    if (it == by_network_.end()) it = by_network_.try_emplace(std::string(network)).first;
    it->second.push_back(position);
  } else if (const std::uint32_t* list = meeting_networks_.find(meta.stream)) {
    for (const std::string& network_id : network_lists_.at(*list)) {
      auto it = by_network_.find(network_id);
      if (it == by_network_.end()) it = by_network_.try_emplace(network_id).first;
      it->second.push_back(position);
    }
  }
}

const std::vector<std::uint32_t>* AuditIndex::find(const Index& index, std::string_view key) {
  const auto it = index.find(key);
  return it == index.end() ? &kNone : &it->second;
}

bool AuditIndex::operator==(const AuditIndex& other) const {
  if (positions_ != other.positions_ || times_ != other.times_ || by_actor_ != other.by_actor_ ||
      by_type_ != other.by_type_ || by_network_ != other.by_network_ ||
      meeting_networks_.size() != other.meeting_networks_.size()) {
    return false;
  }
  bool equal = true;
  meeting_networks_.for_each([&](std::string_view stream, std::uint32_t list) {
    const std::uint32_t* theirs = other.meeting_networks_.find(stream);
    equal =
        equal && theirs != nullptr && other.network_lists_.at(*theirs) == network_lists_.at(list);
  });
  return equal;
}

const std::vector<std::uint32_t>& AuditIndex::about_network(std::string_view network_id) const {
  return *find(by_network_, network_id);
}

AuditSelection AuditIndex::select(const AuditFilter& filter, std::uint64_t after,
                                  std::size_t limit) const {
  AuditSelection out;
  // The recorded-time range as a range of positions [low, high].
  std::uint64_t low = after + 1;
  std::uint64_t high = UINT64_MAX;
  if (filter.from_us) {
    const auto it = std::lower_bound(times_.begin(), times_.end(), *filter.from_us);
    if (it == times_.end()) return out;
    low = std::max<std::uint64_t>(low, positions_[static_cast<std::size_t>(it - times_.begin())]);
  }
  if (filter.to_us) {
    const auto it = std::upper_bound(times_.begin(), times_.end(), *filter.to_us);
    if (it == times_.begin()) return out;
    high = positions_[static_cast<std::size_t>(it - times_.begin()) - 1];
  }
  if (low > high) return out;

  // Walk the shortest list; check the others by binary search.
  std::vector<const Positions*> lists;
  if (filter.actor) lists.push_back(find(by_actor_, *filter.actor));
  if (filter.type) lists.push_back(find(by_type_, *filter.type));
  if (filter.network) lists.push_back(find(by_network_, *filter.network));
  const Positions* walk = &positions_;
  for (const auto* l : lists) {
    if (l->size() < walk->size()) walk = l;
  }
  for (auto it = std::lower_bound(walk->begin(), walk->end(), low);
       it != walk->end() && *it <= high; ++it) {
    bool match = true;
    for (const auto* l : lists) {
      if (l != walk && !contains(*l, *it)) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    if (out.positions.size() == limit) {
      out.more = true;
      break;
    }
    out.positions.push_back(*it);
  }
  return out;
}

namespace {

using Positions = std::vector<std::uint32_t>;
using Index = std::map<std::string, Positions, std::less<>>;

// Ascending positions as SnapshotWriter::ascending writes them (the same
// bytes), held in 32 bits.
void write_positions(const Positions& positions, SnapshotWriter& w) {
  w.varint(positions.size());
  std::uint32_t previous = 0;
  for (const std::uint32_t p : positions) {
    w.varint(p - previous);
    previous = p;
  }
}

Positions read_positions(SnapshotReader& r) {
  Positions out(r.count());
  std::uint64_t previous = 0;
  for (auto& p : out) {
    previous += r.varint();
    if (previous > std::numeric_limits<std::uint32_t>::max()) r.fail();
    p = static_cast<std::uint32_t>(previous);
  }
  return out;
}

void write_index(const Index& index, SnapshotWriter& w) {
  w.varint(index.size());
  for (const auto& [key, positions] : index) {
    w.string(key);
    write_positions(positions, w);
  }
}

Index read_index(SnapshotReader& r) {
  Index index;
  for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
    std::string key = r.string();
    index.emplace_hint(index.end(), std::move(key), read_positions(r));
  }
  return index;
}

boost::json::object positions_json(const Index& index) {
  boost::json::object out;
  for (const auto& [key, positions] : index) {
    out[key] = boost::json::value_from(positions);
  }
  return out;
}

}  // namespace

void AuditIndex::save(SnapshotWriter& out, PersonalPieces& /*pieces*/) const {
  write_positions(positions_, out);
  out.varint(times_.size());
  std::int64_t previous = 0;
  for (const std::int64_t t : times_) {
    out.svarint(t - previous);
    previous = t;
  }
  write_index(by_actor_, out);
  write_index(by_type_, out);
  write_index(by_network_, out);
  out.varint(meeting_networks_.size());
  meeting_networks_.for_each([&](std::string_view stream, std::uint32_t list) {
    out.string(stream);
    out.strings(network_lists_.at(list));
  });
}

bool AuditIndex::load(SnapshotReader& in, const OpenedPieces& /*opened*/) {
  positions_ = read_positions(in);
  times_.resize(in.count());
  std::int64_t previous = 0;
  for (auto& t : times_) {
    previous += in.svarint();
    t = previous;
  }
  if (times_.size() != positions_.size()) in.fail();
  by_actor_ = read_index(in);
  by_type_ = read_index(in);
  by_network_ = read_index(in);
  const std::size_t count = in.count();  // bounded by the bytes left
  meeting_networks_.reserve(count);
  for (std::size_t i = 0; i < count && in.ok(); ++i) {
    const std::string_view stream = in.slice();
    const std::uint32_t list = network_lists_.intern(in.strings());
    if (!meeting_networks_.try_emplace(stream, list).second) in.fail();
  }
  meeting_networks_.shrink_to_fit();
  return in.ok();
}

boost::json::value AuditIndex::dump() const {
  boost::json::array times;
  for (const std::int64_t t : times_) times.emplace_back(t);
  boost::json::object meetings;
  for (const auto& [stream, list] : meeting_networks_.sorted()) {
    meetings[stream] = boost::json::value_from(network_lists_.at(*list));
  }
  return boost::json::object{{"positions", boost::json::value_from(positions_)},
                             {"times", std::move(times)},
                             {"by_actor", positions_json(by_actor_)},
                             {"by_type", positions_json(by_type_)},
                             {"by_network", positions_json(by_network_)},
                             {"meeting_networks", std::move(meetings)}};
}

}  // namespace ikv::projections
