// InternedLists: lists of strings (a meeting's networks: organiser, then
// joint), or of other small values (BasicInternedLists<T>: interned codes),
// kept once each and named by a number, for read models where hundreds of
// thousands of entries share a few hundred distinct lists.
//
// Numbers are given in first-seen order and never change; the same list
// interned twice gets the same number. Two InternedLists that saw the same
// lists in another order number them differently: compare entries by the
// lists their numbers name (at()), never by number.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   InternedLists lists;
//   const std::uint32_t n = lists.intern({"oulu", "vaasa"});
//   for (const std::string& network : lists.at(n)) file(network);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ikv::projections {

template <class T>
class BasicInternedLists {
 public:
  using List = std::vector<T>;

  std::uint32_t intern(const List& list) {
    const auto [it, added] = numbers_.try_emplace(list, static_cast<std::uint32_t>(lists_.size()));
    if (added) lists_.push_back(&it->first);
    return it->second;
  }
  // The number of `list`, if it was interned.
  std::optional<std::uint32_t> find(const List& list) const {
    const auto it = numbers_.find(list);
    if (it == numbers_.end()) return std::nullopt;
    return it->second;
  }
  // The list numbered `n`. REQUIRES: n was given by intern().
  const List& at(std::uint32_t n) const { return *lists_[n]; }
  std::size_t size() const { return lists_.size(); }

  BasicInternedLists() = default;
  BasicInternedLists(const BasicInternedLists& other) : numbers_(other.numbers_) { renumber(); }
  BasicInternedLists& operator=(const BasicInternedLists& other) {
    if (this != &other) {
      numbers_ = other.numbers_;
      renumber();
    }
    return *this;
  }
  BasicInternedLists(BasicInternedLists&&) noexcept = default;
  BasicInternedLists& operator=(BasicInternedLists&&) noexcept = default;
  ~BasicInternedLists() = default;

 private:
  // Points lists_ at this object's own keys (after a copy).
  void renumber() {
    lists_.assign(numbers_.size(), nullptr);
    for (const auto& [list, n] : numbers_) lists_[n] = &list;
  }

  std::map<List, std::uint32_t> numbers_;
  std::vector<const List*> lists_;  // by number, into numbers_' keys
};

using InternedLists = BasicInternedLists<std::string>;

}  // namespace ikv::projections
