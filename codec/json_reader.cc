#include "codec/json_reader.h"

#include <cstdio>
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
  if (std::optional<domain::Date> d = domain::parse_effective_date(text)) return *d;
  fail("field '" + std::string(key) + "' is not a date");
  return {};
}

std::optional<domain::Date> JsonReader::opt_date(std::string_view key) {
  const json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return date(key);
}

void JsonReader::str_or_list(std::string_view key, std::string& one,
                             std::vector<std::string>& many) {
  const json::value* v = object_.if_contains(key);
  if (v != nullptr && v->is_array()) {
    many = str_list(key);
    if (many.empty()) fail("field '" + std::string(key) + "' is an empty list");
    return;
  }
  one = str(key);
}

namespace {
std::optional<std::int64_t> parse_canonical_instant(std::string_view t);
}  // namespace

std::int64_t JsonReader::instant(std::string_view key) {
  const std::string text = str(key);
  if (!ok()) return 0;
  if (auto at = parse_canonical_instant(text)) return *at;
  fail("field '" + std::string(key) + "' is not an instant");
  return 0;
}

std::optional<std::int64_t> JsonReader::opt_instant(std::string_view key) {
  const json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return instant(key);
}

namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

// Reads exactly "YYYY-MM-DDTHH:MM:SS.ffffffZ" (what instant_json writes).
std::optional<std::int64_t> parse_canonical_instant(std::string_view t) {
  if (t.size() != 27 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.' ||
      t[26] != 'Z') {
    return std::nullopt;
  }
  const std::optional<domain::Date> day = domain::parse_date(t.substr(0, 10));
  if (!day) return std::nullopt;
  const auto number = [&t](std::size_t at, std::size_t digits) -> std::optional<std::int64_t> {
    std::int64_t n = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      n = n * 10 + (t[i] - '0');
    }
    return n;
  };
  const auto h = number(11, 2);
  const auto m = number(14, 2);
  const auto s = number(17, 2);
  const auto f = number(20, 6);
  if (!h || !m || !s || !f || *h > 23 || *m > 59 || *s > 59) return std::nullopt;
  return domain::days_from_civil(*day) * kMicrosPerDay + ((*h * 60 + *m) * 60 + *s) * 1'000'000 +
         *f;
}

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

std::vector<std::string> JsonReader::opt_str_list(std::string_view key) {
  const json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  return str_list(key);
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

json::value instant_json(const std::optional<std::int64_t>& unix_us) {
  if (!unix_us) return nullptr;
  std::int64_t days = *unix_us / kMicrosPerDay;
  std::int64_t rest = *unix_us % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  const std::int64_t secs = rest / 1'000'000;
  char time[32];
  std::snprintf(time, sizeof time, "T%02lld:%02lld:%02lld.%06lldZ",
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60), static_cast<long long>(rest % 1'000'000));
  return json::string(domain::to_string(domain::civil_from_days(days)) + time);
}

json::value to_json(const domain::Date& date) { return json::string(domain::to_string(date)); }

json::value to_json(const std::optional<domain::Date>& date) {
  if (!date) return nullptr;
  return to_json(*date);
}

json::value to_json(const std::string& one, const std::vector<std::string>& many) {
  if (many.empty()) return json::string(one);
  return to_json(many);
}

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
