#include "projections/day_id_list.h"

#include "domain/date.h"
#include "projections/paging.h"

namespace ikv::projections {

namespace {

// Compares the text of key `k` with `text`, without building it.
int compare_key_text(const DayIdKey& k, std::string_view text) {
  char head[kDayHeadSize];
  write_day_head(k.day, head);
  const std::string_view h(head, sizeof head);
  // A shorter text that is a prefix of the head compares below it (c > 0).
  if (const int c = h.compare(text.substr(0, h.size())); c != 0) return c;
  return k.id.compare(text.substr(h.size()));
}

}  // namespace

std::string DayIdKey::text() const {
  return sort_key({domain::to_string(domain::civil_from_days(day)), id});
}

bool DayIdKeyLess::operator()(const DayIdKey& a, std::string_view b) const {
  return compare_key_text(a, b) < 0;
}

bool DayIdKeyLess::operator()(std::string_view a, const DayIdKey& b) const {
  return compare_key_text(b, a) > 0;
}

}  // namespace ikv::projections
