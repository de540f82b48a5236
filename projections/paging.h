// Paging of the read models' lists: a `limit` and an opaque `cursor`.
// Every list is ordered by a unique sort key (a string whose byte order is the
// list's order, e.g. "2024-04-17\0<meeting id>"); a cursor is the base64url
// text (no padding) of "ikv1:<list>:<key of the last item served>", and the
// next page starts strictly after that key. Items are never removed from the
// views, so walking the pages serves every item once, with no duplicates or
// gaps, even while new items arrive between pages.
//
// Thread-safety: pure functions and plain values; safe from any thread.
//
//   auto page = validate_page({.limit = 50, .cursor = c}, "meetings");
//   if (!page) return page.error();                 // kInvalidArgument -> 422
//   std::vector<Keyed<Meeting>> rows = ...;         // filtered, any order
//   boost::json::object answer = render_page(std::move(rows), *page, "meetings", render);
//
// Lists kept in an ordered index page by seeking instead: start_after() finds
// the first key of the page in O(log n), render_ordered_page() walks on from
// there, so a page costs O(log n + page) when no filter drops rows.
//   auto it = start_after(index, *page, from_key);
//   answer = render_ordered_page(it, index.end(), *page, "members", key_of, accept, render);
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "common/result.h"
#include "common/string_hash.h"

namespace ikv::projections {

inline constexpr std::size_t kDefaultPageLimit = 100;
inline constexpr std::size_t kMaxPageLimit = 1000;

// What a client asks for.
struct PageRequest {
  std::size_t limit = kDefaultPageLimit;  // 1..kMaxPageLimit
  std::optional<std::string> cursor;      // the previous page's next_cursor, if any
};

// A validated request: the limit and the sort key after which the page starts.
struct Page {
  std::size_t limit = kDefaultPageLimit;
  std::optional<std::string> after;
};

// Checks the limit and decodes the cursor of the list named `list`.
// Errors (kInvalidArgument, message "<parameter>: <reason>"):
//   "limit: ..." when the limit is outside 1..kMaxPageLimit;
//   "cursor: ..." when the cursor is not base64url or not a cursor of `list`.
Result<Page> validate_page(const PageRequest& request, std::string_view list);

// The error of a bad query parameter: kInvalidArgument, "<parameter>: <reason>".
Error invalid_parameter(std::string_view parameter, std::string_view reason);

// The cursor that resumes `list` after the item with sort key `key`.
std::string encode_cursor(std::string_view list, std::string_view key);

// A sort key from parts, joined with '\0' (parts must not contain '\0').
std::string sort_key(std::initializer_list<std::string_view> parts);

// Base64url without padding (RFC 4648 section 5); decode refuses padding,
// other alphabets and impossible lengths.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// The sort key "<first day, YYYY-MM-DD>\0<log position, 20 digits>" of a
// list ordered by a date and then by recording (observations, wishes), kept
// as two numbers instead of its text: an index of hundreds of thousands of
// entries then holds no string per entry and compares integers. Ordered
// exactly as its text (dates of four-digit years, zero-padded positions), and
// compared with text (a cursor's key, a date bound) through DayPositionLess,
// so start_after() and end_through() work on an index of them unchanged.
struct DayPosition {
  std::int32_t day = 0;        // domain::days_from_civil of the first day
  std::uint64_t position = 0;  // global log position

  // The key's text, as cursors carry it.
  std::string text() const;
  auto operator<=>(const DayPosition&) const = default;
};

// The head "<YYYY-MM-DD>\0" of a sort key whose first part is the day
// `day` (domain::days_from_civil), written into `out` (kDayHeadSize bytes)
// without building a string.
inline constexpr std::size_t kDayHeadSize = 11;
void write_day_head(std::int32_t day, char* out);

// Orders DayPosition keys among themselves and against sort-key text.
struct DayPositionLess {
  using is_transparent = void;
  bool operator()(const DayPosition& a, const DayPosition& b) const { return a < b; }
  bool operator()(const DayPosition& a, std::string_view b) const;
  bool operator()(std::string_view a, const DayPosition& b) const;
};

// One row of a list before paging: its sort key and the item.
template <class Item>
struct Keyed {
  std::string key;
  const Item* item = nullptr;
};

// Sorts `rows` by key, keeps those after page.after, renders at most
// page.limit of them with `render(const Item&) -> boost::json::value`, and
// answers {"items": [...], "next_cursor": "..." | null}. next_cursor is set
// only when more rows follow the last one served.
// REQUIRES: keys are unique.
template <class Item, class Render>
boost::json::object render_page(std::vector<Keyed<Item>> rows, const Page& page,
                                std::string_view list, Render&& render) {
  std::sort(rows.begin(), rows.end(),
            [](const Keyed<Item>& a, const Keyed<Item>& b) { return a.key < b.key; });
  auto it = rows.begin();
  if (page.after) {
    it = std::upper_bound(rows.begin(), rows.end(), *page.after,
                          [](const std::string& k, const Keyed<Item>& r) { return k < r.key; });
  }
  boost::json::array items;
  const Keyed<Item>* last = nullptr;
  for (; it != rows.end() && items.size() < page.limit; ++it) {
    items.push_back(render(*it->item));
    last = &*it;
  }
  boost::json::object out;
  out["items"] = std::move(items);
  if (it != rows.end() && last != nullptr) {
    out["next_cursor"] = encode_cursor(list, last->key);
  } else {
    out["next_cursor"] = nullptr;
  }
  return out;
}

// The first element of the ordered container `index` (keyed by sort key, a
// std::set or std::map with transparent comparison) that is after page.after
// and not before `lowest` (a key prefix, e.g. a "from" date; empty: none).
template <class Index>
auto start_after(const Index& index, const Page& page, std::string_view lowest = {}) {
  if (page.after && page.after->compare(lowest) >= 0) return index.upper_bound(*page.after);
  return index.lower_bound(lowest);
}

// The end of the rows of `index` whose key is not after the key prefix
// `highest` (e.g. a "to" date, inclusive); index.end() when empty.
template <class Index>
auto end_through(const Index& index, std::string_view highest) {
  if (highest.empty()) return index.end();
  std::string bound(highest);
  bound.push_back('\x01');  // above every "<highest>\0..." key
  return index.lower_bound(bound);
}

// Serves a page from [it, end), rows already in key order and after
// page.after: keeps those `accept(row)` takes, renders at most page.limit of
// them with `render(row) -> boost::json::value`, and answers like
// render_page(). `key_of(row)` gives a row's sort key.
template <class Iter, class KeyOf, class Accept, class Render>
boost::json::object render_ordered_page(Iter it, Iter end, const Page& page, std::string_view list,
                                        KeyOf&& key_of, Accept&& accept, Render&& render) {
  boost::json::array items;
  items.reserve(std::min<std::size_t>(page.limit, 64));
  std::optional<std::string> last;
  for (; it != end; ++it) {
    if (!accept(*it)) continue;
    if (items.size() == page.limit) break;
    items.push_back(render(*it));
    last.emplace(key_of(*it));
  }
  boost::json::object out;
  out["items"] = std::move(items);
  if (it != end && last) {
    out["next_cursor"] = encode_cursor(list, *last);
  } else {
    out["next_cursor"] = nullptr;
  }
  return out;
}

}  // namespace ikv::projections
