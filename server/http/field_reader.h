// FieldReader: typed reading and validation of a JSON request object. It
// collects every problem as a FieldError whose `field` is a JSON pointer
// ("/name/fi", "/agenda/2"), so one 422 answer lists them all, and it rejects
// fields nobody asked for.
//
// Thread-safety: none; one reader per request. A child reader (from
// required_object/optional_object) shares its parent's error list and must not
// outlive the JSON object it reads.
//
//   FieldReader r(obj);
//   auto name = r.required_string("name", {.max_len = 200});
//   auto phone = r.optional_string("phone");
//   auto agenda = r.optional_string_array("agenda");
//   FieldReader names = r.required_object("names");
//   auto fi = names.required_string("fi");
//   names.reject_unknown();
//   r.reject_unknown();
//   if (!r.ok()) return respond(problem_422(r.errors()));
//
// An absent required field is "is required"; JSON null is never a value
// ("must not be null"): an optional field is left out, not sent as null. Lengths count characters
// (Unicode code points), not bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "server/http/problem.h"

namespace ikv::server {

struct StringRules {
  std::size_t min_len = 1;       // characters; 0 allows the empty string
  std::size_t max_len = 10'000;  // characters
  // Extra check run on a string that passed the length rules: returns an
  // error message, or an empty string when the value is acceptable.
  std::function<std::string(std::string_view)> check{};
};

struct IntRules {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

struct ArrayRules {
  std::size_t min_items = 0;
  std::size_t max_items = 1'000;
  StringRules item{};  // applied to every element
};

class FieldReader {
 public:
  // Reads `obj`, which must outlive the reader and its children.
  explicit FieldReader(const boost::json::object& obj);

  std::optional<std::string> required_string(std::string_view key, const StringRules& rules = {});
  std::optional<std::string> optional_string(std::string_view key, const StringRules& rules = {});

  // Integers only: 3.0 and "3" are refused.
  std::optional<std::int64_t> required_int(std::string_view key, const IntRules& rules = {});
  std::optional<std::int64_t> optional_int(std::string_view key, const IntRules& rules = {});

  std::optional<bool> required_bool(std::string_view key);
  std::optional<bool> optional_bool(std::string_view key);

  std::optional<std::vector<std::string>> required_string_array(std::string_view key,
                                                                const ArrayRules& rules = {});
  std::optional<std::vector<std::string>> optional_string_array(std::string_view key,
                                                                const ArrayRules& rules = {});

  // A reader of a nested object whose errors go to this reader's list. When
  // the field is absent (or wrong), the child is empty: present() is false and
  // its reads return nothing and add no errors.
  FieldReader required_object(std::string_view key);
  FieldReader optional_object(std::string_view key);
  bool present() const { return obj_ != nullptr; }

  // True when `key` is present and null, and the key then counts as read (JSON
  // merge patches, RFC 7396: the client clears an optional field; a record's
  // "attendee_count": null: the attendance is not known); false
  // otherwise (and the key is left for a typed read, which refuses null).
  bool take_null(std::string_view key);

  // True when `key` is present and an array (a field that may be one value or
  // a list, e.g. a steward); reads nothing.
  bool is_array(std::string_view key) const;

  // Records a handler-level error on `key` of this object ("" for the object
  // itself), e.g. a date that is well-formed but impossible.
  void add_error(std::string_view key, std::string message);
  // Records an error at a JSON pointer below this object (e.g. "/agenda/1",
  // as the domain names fields), taken as written.
  void add_error_at(std::string_view pointer, std::string message);

  // Records "unknown field" for every key no read asked for.
  void reject_unknown();

  // True when no error was recorded by this reader, its parent or children.
  bool ok() const { return errors_->empty(); }
  const std::vector<FieldError>& errors() const { return *errors_; }

  // The JSON pointer of `key` in this object.
  std::string pointer(std::string_view key) const;

 private:
  FieldReader(const boost::json::object* obj, std::string prefix,
              std::shared_ptr<std::vector<FieldError>> errors);

  // The value of `key` and marks the key as read; nullptr when absent or
  // null (null is reported, and remembered in last_null_).
  const boost::json::value* take(std::string_view key);
  std::optional<std::string> string_at(const boost::json::value& v, const std::string& ptr,
                                       const StringRules& rules);
  std::optional<std::int64_t> int_at(const boost::json::value& v, std::string_view key,
                                     const IntRules& rules);
  std::optional<std::vector<std::string>> array_at(const boost::json::value& v,
                                                   std::string_view key, const ArrayRules& rules);
  FieldReader object_at(std::string_view key, bool required);

  const boost::json::object* obj_;
  std::string prefix_;
  bool last_null_ = false;
  std::shared_ptr<std::vector<FieldError>> errors_;
  std::vector<std::string> read_;
};

}  // namespace ikv::server
