// IndexedIterator<C, V>: an input iterator over element numbers 0..size() of
// a container that builds each element on demand (V C::operator[](size_t)
// const returns a value, not a reference): the flat read models that keep
// records encoded or as rows (ObservationRows, PackedList).
//
// Thread-safety: as the container it reads.
//
//   using const_iterator = IndexedIterator<Rows, Record>;
//   const_iterator begin() const { return {this, 0}; }
//   const_iterator end() const { return {this, size()}; }
#pragma once

#include <cstddef>
#include <iterator>

namespace ikv::projections {

template <class C, class V>
class IndexedIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = V;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = V;

  IndexedIterator() = default;
  IndexedIterator(const C* container, std::size_t at) : container_(container), at_(at) {}
  V operator*() const { return (*container_)[at_]; }
  IndexedIterator& operator++() {
    ++at_;
    return *this;
  }
  IndexedIterator operator++(int) {
    IndexedIterator before = *this;
    ++at_;
    return before;
  }
  bool operator==(const IndexedIterator& other) const { return at_ == other.at_; }

 private:
  const C* container_ = nullptr;
  std::size_t at_ = 0;
};

}  // namespace ikv::projections
