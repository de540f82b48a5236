#include "server/http/field_reader.h"

#include <algorithm>

namespace ikv::server {
namespace json = boost::json;

namespace {

std::size_t count_chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// RFC 6901 escaping of one reference token.
std::string escape_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

constexpr const char* kRequired = "is required";

}  // namespace

FieldReader::FieldReader(const json::object& obj)
    : FieldReader(&obj, "", std::make_shared<std::vector<FieldError>>()) {}

FieldReader::FieldReader(const json::object* obj, std::string prefix,
                         std::shared_ptr<std::vector<FieldError>> errors)
    : obj_(obj), prefix_(std::move(prefix)), errors_(std::move(errors)) {}

std::string FieldReader::pointer(std::string_view key) const {
  if (key.empty()) return prefix_;
  return prefix_ + "/" + escape_token(key);
}

void FieldReader::add_error(std::string_view key, std::string message) {
  errors_->push_back({pointer(key), std::move(message)});
}

void FieldReader::add_error_at(std::string_view pointer, std::string message) {
  errors_->push_back({prefix_ + std::string(pointer), std::move(message)});
}

const json::value* FieldReader::take(std::string_view key) {
  if (obj_ == nullptr) return nullptr;
  read_.emplace_back(key);
  const json::value* v = obj_->if_contains(key);
  last_null_ = v != nullptr && v->is_null();
  if (last_null_) {
    add_error(key, "must not be null (leave the field out instead)");
    return nullptr;
  }
  return v;
}

std::optional<std::string> FieldReader::string_at(const json::value& v, const std::string& ptr,
                                                  const StringRules& rules) {
  if (!v.is_string()) {
    errors_->push_back({ptr, "must be a string"});
    return std::nullopt;
  }
  std::string_view s = v.get_string();
  const std::size_t n = count_chars(s);
  if (n < rules.min_len) {
    errors_->push_back(
        {ptr, rules.min_len == 1
                  ? std::string("must not be empty")
                  : "must be at least " + std::to_string(rules.min_len) + " characters"});
    return std::nullopt;
  }
  if (n > rules.max_len) {
    errors_->push_back({ptr, "must be at most " + std::to_string(rules.max_len) + " characters"});
    return std::nullopt;
  }
  if (rules.check) {
    std::string message = rules.check(s);
    if (!message.empty()) {
      errors_->push_back({ptr, std::move(message)});
      return std::nullopt;
    }
  }
  return std::string(s);
}

std::optional<std::string> FieldReader::required_string(std::string_view key,
                                                        const StringRules& rules) {
  const json::value* v = take(key);
  if (v == nullptr) {
    if (present() && !last_null_) add_error(key, kRequired);
    return std::nullopt;
  }
  return string_at(*v, pointer(key), rules);
}

std::optional<std::string> FieldReader::optional_string(std::string_view key,
                                                        const StringRules& rules) {
  const json::value* v = take(key);
  if (v == nullptr) return std::nullopt;
  return string_at(*v, pointer(key), rules);
}

std::optional<std::int64_t> FieldReader::int_at(const json::value& v, std::string_view key,
                                                const IntRules& rules) {
  std::optional<std::int64_t> n;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    add_error(key, "must be at most " + std::to_string(rules.max));
    return std::nullopt;
  }
  if (!n) {
    add_error(key, "must be an integer");
    return std::nullopt;
  }
  if (*n < rules.min) {
    add_error(key, "must be at least " + std::to_string(rules.min));
    return std::nullopt;
  }
  if (*n > rules.max) {
    add_error(key, "must be at most " + std::to_string(rules.max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::int64_t> FieldReader::required_int(std::string_view key, const IntRules& rules) {
  const json::value* v = take(key);
  if (v == nullptr) {
    if (present() && !last_null_) add_error(key, kRequired);
    return std::nullopt;
  }
  return int_at(*v, key, rules);
}

std::optional<std::int64_t> FieldReader::optional_int(std::string_view key, const IntRules& rules) {
  const json::value* v = take(key);
  if (v == nullptr) return std::nullopt;
  return int_at(*v, key, rules);
}

std::optional<bool> FieldReader::required_bool(std::string_view key) {
  const json::value* v = take(key);
  if (v == nullptr) {
    if (present() && !last_null_) add_error(key, kRequired);
    return std::nullopt;
  }
  if (!v->is_bool()) {
    add_error(key, "must be a boolean");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<bool> FieldReader::optional_bool(std::string_view key) {
  const json::value* v = take(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    add_error(key, "must be a boolean");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<std::vector<std::string>> FieldReader::array_at(const json::value& v,
                                                              std::string_view key,
                                                              const ArrayRules& rules) {
  if (!v.is_array()) {
    add_error(key, "must be an array of strings");
    return std::nullopt;
  }
  const json::array& arr = v.get_array();
  if (arr.size() < rules.min_items) {
    add_error(key, "must have at least " + std::to_string(rules.min_items) + " items");
    return std::nullopt;
  }
  if (arr.size() > rules.max_items) {
    add_error(key, "must have at most " + std::to_string(rules.max_items) + " items");
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(arr.size());
  bool all_ok = true;
  const std::string base = pointer(key);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    auto s = string_at(arr[i], base + "/" + std::to_string(i), rules.item);
    if (s) {
      out.push_back(std::move(*s));
    } else {
      all_ok = false;
    }
  }
  if (!all_ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> FieldReader::required_string_array(
    std::string_view key, const ArrayRules& rules) {
  const json::value* v = take(key);
  if (v == nullptr) {
    if (present() && !last_null_) add_error(key, kRequired);
    return std::nullopt;
  }
  return array_at(*v, key, rules);
}

std::optional<std::vector<std::string>> FieldReader::optional_string_array(
    std::string_view key, const ArrayRules& rules) {
  const json::value* v = take(key);
  if (v == nullptr) return std::nullopt;
  return array_at(*v, key, rules);
}

FieldReader FieldReader::object_at(std::string_view key, bool required) {
  const json::value* v = take(key);
  if (v == nullptr) {
    if (required && present() && !last_null_) add_error(key, kRequired);
    return FieldReader(nullptr, pointer(key), errors_);
  }
  if (!v->is_object()) {
    add_error(key, "must be an object");
    return FieldReader(nullptr, pointer(key), errors_);
  }
  return FieldReader(&v->get_object(), pointer(key), errors_);
}

bool FieldReader::take_null(std::string_view key) {
  if (obj_ == nullptr) return false;
  const json::value* v = obj_->if_contains(key);
  if (v == nullptr || !v->is_null()) return false;
  read_.emplace_back(key);
  return true;
}

bool FieldReader::is_array(std::string_view key) const {
  if (obj_ == nullptr) return false;
  const json::value* v = obj_->if_contains(key);
  return v != nullptr && v->is_array();
}

FieldReader FieldReader::required_object(std::string_view key) { return object_at(key, true); }

FieldReader FieldReader::optional_object(std::string_view key) { return object_at(key, false); }

void FieldReader::reject_unknown() {
  if (obj_ == nullptr) return;
  for (const auto& kv : *obj_) {
    const std::string_view k = kv.key();
    if (std::find(read_.begin(), read_.end(), k) == read_.end()) {
      add_error(k, "unknown field");
    }
  }
}

}  // namespace ikv::server
