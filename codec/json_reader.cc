#include "codec/json_reader.h"

#include <limits>

namespace ikv::codec {

namespace json = boost::json;

JsonReader::JsonReader(const json::object& object, std::string_view what)
    : object_(object), what_(what) {}

void JsonReader::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

Error JsonReader::error() const {
  return Error{ErrorCode::kCorruption, std::string(what_) + ": " + error_, std::nullopt};
}

const json::value* JsonReader::find(std::string_view key) {
  const json::value* v = object_.if_contains(key);
  if (v == nullptr) fail("missing field '" + std::string(key) + "'");
  return v;
}

std::string JsonReader::str(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr) return {};
  if (const json::string* s = v->if_string()) return std::string(s->data(), s->size());
  fail("field '" + std::string(key) + "' is not a string");
  return {};
}

std::optional<std::string> JsonReader::opt_str(std::string_view key) {
  const json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (const json::string* s = v->if_string()) return std::string(s->data(), s->size());
  fail("field '" + std::string(key) + "' is not a string or null");
  return std::nullopt;
}

domain::Date JsonReader::date(std::string_view key) {
  const std::string text = str(key);
  if (!ok()) return {};
  if (std::optional<domain::Date> d = domain::parse_date(text)) return *d;
  fail("field '" + std::string(key) + "' is not a date");
  return {};
}

namespace {

std::optional<int> as_int(const json::value& v) {
  if (const std::int64_t* i = v.if_int64()) {
    if (*i >= std::numeric_limits<int>::min() && *i <= std::numeric_limits<int>::max()) {
      return static_cast<int>(*i);
    }
  } else if (const std::uint64_t* u = v.if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      return static_cast<int>(*u);
    }
  }
  return std::nullopt;
}

}  // namespace

int JsonReader::integer(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr) return 0;
  if (std::optional<int> n = as_int(*v)) return *n;
  fail("field '" + std::string(key) + "' is not an integer");
  return 0;
}

std::optional<int> JsonReader::opt_integer(std::string_view key) {
  const json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (std::optional<int> n = as_int(*v)) return n;
  fail("field '" + std::string(key) + "' is not an integer or null");
  return std::nullopt;
}

std::vector<std::string> JsonReader::str_list(std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = find(key);
  if (v == nullptr) return out;
  const json::array* a = v->if_array();
  if (a == nullptr) {
    fail("field '" + std::string(key) + "' is not an array");
    return out;
  }
  out.reserve(a->size());
  for (const json::value& item : *a) {
    const json::string* s = item.if_string();
    if (s == nullptr) {
      fail("field '" + std::string(key) + "' holds a non-string");
      return {};
    }
    out.emplace_back(s->data(), s->size());
  }
  return out;
}

domain::LocalizedText JsonReader::localized(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr) return {};
  const json::object* o = v->if_object();
  if (o == nullptr) {
    fail("field '" + std::string(key) + "' is not an object");
    return {};
  }
  JsonReader inner(*o, key);
  domain::LocalizedText text{inner.str("fi"), inner.str("sv"), inner.str("en")};
  if (!inner.ok()) fail(inner.error_ + " in '" + std::string(key) + "'");
  return text;
}

domain::Role JsonReader::role(std::string_view key) {
  const std::string text = str(key);
  if (!ok()) return domain::Role::kAnalyst;
  if (std::optional<domain::Role> r = domain::parse_role(text)) return *r;
  fail("field '" + std::string(key) + "' is not a role");
  return domain::Role::kAnalyst;
}

domain::TaxonomyKind JsonReader::taxonomy_kind(std::string_view key) {
  const std::string text = str(key);
  if (!ok()) return domain::TaxonomyKind::kTheme;
  if (std::optional<domain::TaxonomyKind> k = domain::parse_taxonomy_kind(text)) return *k;
  fail("field '" + std::string(key) + "' is not a taxonomy kind");
  return domain::TaxonomyKind::kTheme;
}

const json::object* JsonReader::opt_object(std::string_view key) {
  const json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (const json::object* o = v->if_object()) return o;
  fail("field '" + std::string(key) + "' is not an object or null");
  return nullptr;
}

json::value to_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::string(*text);
}

json::value to_json(const std::optional<int>& n) {
  if (!n) return nullptr;
  return *n;
}

json::value to_json(const domain::Date& date) { return json::string(domain::to_string(date)); }

json::array to_json(const std::vector<std::string>& items) {
  json::array out;
  out.reserve(items.size());
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

json::object to_json(const domain::LocalizedText& text) {
  return json::object{{"fi", text.fi}, {"sv", text.sv}, {"en", text.en}};
}

Result<json::object> parse_object(std::string_view text, std::string_view what,
                                  json::storage_ptr storage) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec, std::move(storage));
  if (ec) {
    return Error{ErrorCode::kCorruption, std::string(what) + ": not JSON: " + ec.message(),
                 std::nullopt};
  }
  if (!v.is_object()) {
    return Error{ErrorCode::kCorruption, std::string(what) + ": not a JSON object", std::nullopt};
  }
  return std::move(v.as_object());
}

}  // namespace ikv::codec
