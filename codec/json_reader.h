// JsonReader: checked, exception-free field access on an untrusted JSON object,
// and the matching writers. A reader remembers the first problem and returns
// defaults after it, so a decoder reads every field and checks ok() once.
// Part of ikv_codec's implementation.
//
// Thread-safety: a reader is used by one thread; writers are pure functions.
//
//   JsonReader r(object, "MemberLeft");
//   e.member_id = r.str("member_id");
//   e.left_on = r.date("left_on");
//   if (!r.ok()) return r.error();   // kCorruption naming the field
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/date.h"
#include "domain/values.h"

namespace ikv::codec {

class JsonReader {
 public:
  // `what` names the object in error messages (e.g. the event type).
  // REQUIRES: the text `what` views outlives the reader.
  JsonReader(const boost::json::object& object, std::string_view what);

  // Required string.
  std::string str(std::string_view key);
  // Absent or null: nullopt; otherwise a string.
  std::optional<std::string> opt_str(std::string_view key);
  // Required "YYYY-MM-DD" of a real date, or "YYYY-MM" of a real month.
  domain::Date date(std::string_view key);
  // Absent or null: nullopt; otherwise a date as date().
  std::optional<domain::Date> opt_date(std::string_view key);
  // Required string (one name: `one` is set) or non-empty array of strings
  // (`many` is set), as a steward is written.
  void str_or_list(std::string_view key, std::string& one, std::vector<std::string>& many);
  // Required integer within int's range.
  int integer(std::string_view key);
  // Absent or null: nullopt; otherwise an integer within int's range.
  std::optional<int> opt_integer(std::string_view key);
  // Required instant written as instant_json() writes it (UTC microseconds).
  std::int64_t instant(std::string_view key);
  // Absent or null: nullopt; otherwise an instant as instant().
  std::optional<std::int64_t> opt_instant(std::string_view key);
  // Required array of strings.
  std::vector<std::string> str_list(std::string_view key);
  // Absent or null: empty; otherwise an array of strings.
  std::vector<std::string> opt_str_list(std::string_view key);
  // Required object {"fi", "sv", "en"} of strings.
  domain::LocalizedText localized(std::string_view key);
  domain::Role role(std::string_view key);
  domain::TaxonomyKind taxonomy_kind(std::string_view key);
  // Absent or null: nullptr; otherwise the object (or a failure if not one).
  const boost::json::object* opt_object(std::string_view key);

  // Records a problem (the first one wins).
  void fail(std::string message);
  bool ok() const { return error_.empty(); }
  // kCorruption with the first problem. REQUIRES: !ok().
  Error error() const;

 private:
  const boost::json::value* find(std::string_view key);  // fails when absent
  const boost::json::object& object_;
  std::string_view what_;
  std::string error_;
};

// Writers: null for an absent optional.
boost::json::value to_json(const std::optional<std::string>& text);
boost::json::value to_json(const std::optional<int>& n);
boost::json::value to_json(const domain::Date& date);
boost::json::value to_json(const std::optional<domain::Date>& date);
// One name as a string, or the list `many` when it is not empty.
boost::json::value to_json(const std::string& one, const std::vector<std::string>& many);
boost::json::array to_json(const std::vector<std::string>& items);
boost::json::object to_json(const domain::LocalizedText& text);
// An instant (UTC microseconds, years 0001..9999) as RFC 3339 text, the form of
// every recorded time in the API: "YYYY-MM-DDTHH:MM:SS.ffffffZ"; null for nullopt.
boost::json::value instant_json(const std::optional<std::int64_t>& unix_us);

// Parses `text` as a JSON object. kCorruption when it is not JSON or not an object.
// With `storage`, the object's memory comes from it (e.g. a monotonic_resource
// on the caller's stack, so a short-lived object costs no heap allocation);
// the resource must outlive the object.
Result<boost::json::object> parse_object(std::string_view text, std::string_view what,
                                         boost::json::storage_ptr storage = {});

}  // namespace ikv::codec
