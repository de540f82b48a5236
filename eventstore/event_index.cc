#include "eventstore/event_index.h"

#include <algorithm>
#include <bit>

#include "eventstore/record_codec.h"

namespace ikv::eventstore {
namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// A cursor over a group value that fails softly on truncation.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && !in_.empty(); shift += 7) {
      const auto byte = static_cast<std::uint8_t>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool u64(std::uint64_t& v) {
    if (in_.size() < 8) return false;
    v = get_be64(in_);
    in_.remove_prefix(8);
    return true;
  }
  bool bytes(std::size_t n, std::string_view& out) {
    if (in_.size() < n) return false;
    out = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool empty() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace

std::uint64_t event_id_fingerprint(std::string_view event_id) {
  const Hash h = sha256(event_id);
  return get_be64(std::string_view(reinterpret_cast<const char*>(h.data()), 8));
}

EventIndex::EventIndex(FingerprintFn fingerprint) : fingerprint_(std::move(fingerprint)) {
  if (!fingerprint_) fingerprint_ = event_id_fingerprint;
}

std::uint32_t EventIndex::Names::code(std::string_view name) const {
  auto it = codes.find(std::string(name));
  return it == codes.end() ? kNoCode : it->second;
}

void EventIndex::reserve(std::uint64_t positions) {
  positions = std::min(positions, kMaxPosition);
  fingerprints_.reserve(positions);
  categories_.reserve(positions);
  types_.reserve(positions);
  grow_table(positions);
}

std::string EventIndex::encode_group(std::span<const IndexedEvent> events) const {
  // Codes of names this group defines, continuing the known ones.
  std::unordered_map<std::string_view, std::uint32_t> fresh[2];
  std::string defined;
  std::uint64_t defined_count = 0;
  const auto code_of = [&](Kind kind, std::string_view name) {
    if (auto known = names_[kind].code(name); known != kNoCode) return known;
    auto [it, added] = fresh[kind].emplace(
        name, static_cast<std::uint32_t>(names_[kind].names.size() + fresh[kind].size()));
    if (added) {
      defined.push_back(kind == kCategory ? 'c' : 't');
      put_varint(defined, name.size());
      defined.append(name);
      ++defined_count;
    }
    return it->second;
  };
  std::string entries;
  entries.reserve(events.size() * 10);
  for (const auto& e : events) {
    put_be64(entries, fingerprint_(e.event_id));
    put_varint(entries, code_of(kCategory, e.category));
    put_varint(entries, code_of(kType, e.type));
  }
  std::string out;
  out.reserve(defined.size() + entries.size() + 10);
  put_varint(out, defined_count);
  out += defined;
  put_varint(out, events.size());
  out += entries;
  return out;
}

bool EventIndex::apply_group(std::uint64_t first, std::string_view value) {
  if (first != size() + 1) return false;
  Reader r(value);
  std::uint64_t name_count = 0;
  if (!r.varint(name_count)) return false;
  std::vector<std::string_view> defined[2];
  for (std::uint64_t i = 0; i < name_count; ++i) {
    std::string_view kind, name;
    std::uint64_t length = 0;
    if (!r.bytes(1, kind) || (kind[0] != 'c' && kind[0] != 't') || !r.varint(length) ||
        !r.bytes(length, name)) {
      return false;
    }
    defined[kind[0] == 'c' ? kCategory : kType].push_back(name);
  }
  std::uint64_t count = 0;
  // An entry takes at least 10 bytes: a count beyond that is a damaged value.
  if (!r.varint(count) || count > value.size() / 10 || count > kMaxPosition - size()) {
    return false;
  }
  const std::uint64_t known[2] = {names_[kCategory].names.size() + defined[kCategory].size(),
                                  names_[kType].names.size() + defined[kType].size()};
  if (known[kCategory] > kMaxCodes || known[kType] > kMaxCodes) return false;
  // Entries go straight into the arrays and are taken back if one is bad.
  const std::size_t before = fingerprints_.size();
  const auto undo = [&] {
    fingerprints_.resize(before);
    categories_.resize(before);
    types_.resize(before);
    return false;
  };
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t fingerprint = 0, category = 0, type = 0;
    if (!r.u64(fingerprint) || !r.varint(category) || !r.varint(type) ||
        category >= known[kCategory] || type >= known[kType]) {
      return undo();
    }
    fingerprints_.push_back(fingerprint);
    categories_.push_back(static_cast<std::uint16_t>(category));
    types_.push_back(static_cast<std::uint16_t>(type));
  }
  if (!r.empty()) return undo();
  for (int kind : {kCategory, kType}) {
    for (auto name : defined[kind]) {
      auto& n = names_[kind];
      if (!n.codes.emplace(std::string(name), static_cast<std::uint32_t>(n.names.size())).second) {
        continue;  // defined twice: the first definition holds (never written so)
      }
      n.names.emplace_back(name);
    }
  }
  if (2 * size() > slots_.size()) {
    grow_table(size());  // inserts every position
  } else {
    insert_slots(before + 1, size());
  }
  return true;
}

// Inserts positions first..last, fetching each one's home slot a few
// entries ahead (the table is far larger than the caches).
void EventIndex::insert_slots(std::uint64_t first, std::uint64_t last) {
  constexpr std::uint64_t kAhead = 16;
  const std::size_t mask = slots_.size() - 1;
  for (std::uint64_t p = first; p <= last; ++p) {
    if (p + kAhead <= last) __builtin_prefetch(&slots_[fingerprints_[p + kAhead - 1] & mask], 1);
    insert_slot(static_cast<std::uint32_t>(p));
  }
}

void EventIndex::insert_slot(std::uint32_t position) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = fingerprints_[position - 1] & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = position;
}

// Keeps the table at most half full for `min_entries` entries.
void EventIndex::grow_table(std::size_t min_entries) {
  const std::size_t wanted = std::bit_ceil(std::max<std::size_t>(2 * min_entries, 1024));
  if (wanted <= slots_.size()) return;
  slots_.assign(wanted, 0);
  insert_slots(1, size());
}

std::vector<std::uint64_t> EventIndex::candidates(std::string_view event_id) const {
  std::vector<std::uint64_t> out;
  if (slots_.empty()) return out;
  const std::uint64_t f = fingerprint_(event_id);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = f & mask; slots_[i] != 0; i = (i + 1) & mask) {
    if (fingerprints_[slots_[i] - 1] == f) out.push_back(slots_[i]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint64_t> EventIndex::select(std::uint64_t after, std::uint64_t up_to,
                                              std::string_view category, std::string_view type,
                                              std::size_t limit) const {
  std::vector<std::uint64_t> out;
  const std::uint32_t cat = category.empty() ? kNoCode : names_[kCategory].code(category);
  const std::uint32_t typ = type.empty() ? kNoCode : names_[kType].code(type);
  if ((!category.empty() && cat == kNoCode) || (!type.empty() && typ == kNoCode)) return out;
  up_to = std::min(up_to, size());
  for (std::uint64_t p = after + 1; p <= up_to && out.size() < limit; ++p) {
    if ((category.empty() || categories_[p - 1] == cat) && (type.empty() || types_[p - 1] == typ)) {
      out.push_back(p);
    }
  }
  return out;
}

bool EventIndex::same_entries(const EventIndex& other) const {
  return fingerprints_ == other.fingerprints_ && categories_ == other.categories_ &&
         types_ == other.types_ && names_[kCategory].names == other.names_[kCategory].names &&
         names_[kType].names == other.names_[kType].names;
}

std::size_t EventIndex::memory_bytes() const {
  std::size_t bytes = fingerprints_.capacity() * sizeof(std::uint64_t) +
                      (categories_.capacity() + types_.capacity()) * sizeof(std::uint16_t) +
                      slots_.capacity() * sizeof(std::uint32_t);
  for (const auto& n : names_) {
    for (const auto& s : n.names) bytes += 2 * (s.capacity() + sizeof(std::string)) + 32;
  }
  return bytes;
}

}  // namespace ikv::eventstore
