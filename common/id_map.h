// IdMap<V>: a hash map from ids (event-given strings: member, meeting and
// observation ids) to small values, laid out flat for read models that hold
// hundreds of thousands of them.
//
// Layout: every id ever added sits once in one character arena and gets a
// number, in first-seen order, for good; values sit in a vector by that
// number with a presence flag; an open-addressing table of numbers (linear
// probing, at most half full) finds an id. An entry costs its id's
// characters, 8 bytes of span, 4 to 8 of table and its value, where a node
// of std::unordered_map<std::string, V> cost a string (with its own
// allocation past 15 characters), two pointers and a node allocation.
//
// erase() clears the presence flag only: the id keeps its number and its
// characters (an erased entry costs its id and an empty value slot), so that
// adding it again finds its old place. Iteration (for_each, sorted) visits
// present entries; operator== compares as maps (the same ids present with
// equal values), whatever order either side added them in.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   IdMap<Member> members;
//   members.try_emplace("m-1", Member{...});
//   if (Member* m = members.find("m-1")) m->left_day = day;
//   for (const auto& [id, m] : members.sorted()) save(id, *m);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ikv {

template <class V>
class IdMap {
 public:
  // The value of `id`, if present.
  V* find(std::string_view id) {
    const std::uint32_t n = number(id);
    return n != kNone && present_[n] ? &values_[n] : nullptr;
  }
  const V* find(std::string_view id) const {
    const std::uint32_t n = number(id);
    return n != kNone && present_[n] ? &values_[n] : nullptr;
  }
  bool contains(std::string_view id) const { return find(id) != nullptr; }
  // The value of `id`; throws std::out_of_range when absent.
  const V& at(std::string_view id) const {
    const V* v = find(id);
    if (v == nullptr) throw std::out_of_range("IdMap::at: no such id");
    return *v;
  }

  // Adds `value` under `id` unless present; returns the entry and whether it was added.
  std::pair<V*, bool> try_emplace(std::string_view id, V value) {
    const std::uint32_t n = add(id);
    if (present_[n]) return {&values_[n], false};
    values_[n] = std::move(value);
    present_[n] = true;
    ++size_;
    return {&values_[n], true};
  }
  // Sets `id`'s value, adding it when absent.
  V& insert_or_assign(std::string_view id, V value) {
    auto [v, added] = try_emplace(id, V{});
    *v = std::move(value);
    return *v;
  }
  // Removes `id`; false when it was not present.
  bool erase(std::string_view id) {
    const std::uint32_t n = number(id);
    if (n == kNone || !present_[n]) return false;
    present_[n] = false;
    values_[n] = V{};
    --size_;
    return true;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Numbers: every id ever added (present or erased) keeps one, given in
  // first-seen order; kNone for an id never added.
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t number_of(std::string_view id) const { return number(id); }
  // The number of the entry `value`, a value this map gave (find,
  // try_emplace, for_each): no look-up.
  std::uint32_t number_of_entry(const V& value) const {
    return static_cast<std::uint32_t>(&value - values_.data());
  }
  // The id of number `n`. REQUIRES: n < the count of ids ever added.
  std::string_view id_at(std::uint32_t n) const { return text(n); }
  // The id of the entry `value`, a value this map gave (a record need not
  // repeat its own key). Valid until the next add.
  std::string_view id_of(const V& value) const { return text(number_of_entry(value)); }

  // Room for `n` entries and `id_bytes` characters of ids in all.
  void reserve(std::size_t n, std::size_t id_bytes = 0) {
    arena_.reserve(id_bytes);
    spans_.reserve(n);
    values_.reserve(n);
    present_.reserve(n);
    while ((n + 1) * 2 > slots_.size()) grow();
  }

  // Gives back what growth left unused (after a load).
  void shrink_to_fit() {
    arena_.shrink_to_fit();
    spans_.shrink_to_fit();
    values_.shrink_to_fit();
    present_.shrink_to_fit();
  }

  // f(id, value) for each present entry, in first-seen order of the ids.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t n = 0; n < values_.size(); ++n) {
      if (present_[n]) f(text(n), values_[n]);
    }
  }
  // The present entries by id (saving, dumps: equal maps give equal bytes).
  std::map<std::string_view, const V*> sorted() const {
    std::map<std::string_view, const V*> out;
    for_each([&](std::string_view id, const V& v) { out.emplace(id, &v); });
    return out;
  }

  bool operator==(const IdMap& other) const {
    if (size_ != other.size_) return false;
    bool equal = true;
    for_each([&](std::string_view id, const V& v) {
      const V* theirs = other.find(id);
      equal = equal && theirs != nullptr && *theirs == v;
    });
    return equal;
  }

 private:
  struct Span {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
  };

  std::string_view text(std::size_t n) const {
    return std::string_view(arena_).substr(spans_[n].at, spans_[n].size);
  }
  static std::size_t hash(std::string_view id) { return std::hash<std::string_view>{}(id); }

  std::uint32_t number(std::string_view id) const {
    if (slots_.empty()) return kNone;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = hash(id) & mask;; at = (at + 1) & mask) {
      if (slots_[at] == 0) return kNone;
      if (text(slots_[at] - 1) == id) return slots_[at] - 1;
    }
  }

  // The number of `id`, given one when new.
  std::uint32_t add(std::string_view id) {
    if (const std::uint32_t n = number(id); n != kNone) return n;
    if (arena_.size() + id.size() > kNone || spans_.size() + 2 >= kNone) {
      throw std::length_error("an id map outgrew 32-bit offsets");
    }
    if ((spans_.size() + 1) * 2 > slots_.size()) grow();
    const auto n = static_cast<std::uint32_t>(spans_.size());
    spans_.push_back(
        {static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(id.size())});
    arena_.append(id);
    values_.emplace_back();
    present_.push_back(false);
    place(n);
    return n;
  }

  void place(std::uint32_t n) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = hash(text(n)) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = n + 1;
  }

  void grow() {
    slots_.assign(slots_.empty() ? 16 : slots_.size() * 2, 0);
    for (std::uint32_t n = 0; n < spans_.size(); ++n) place(n);
  }

  std::string arena_;
  std::vector<Span> spans_;           // by number
  std::vector<V> values_;             // by number
  std::vector<bool> present_;         // by number
  std::vector<std::uint32_t> slots_;  // 1 + number, 0: empty
  std::size_t size_ = 0;
};

}  // namespace ikv
