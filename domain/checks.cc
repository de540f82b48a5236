#include "domain/checks.h"

#include <algorithm>

#include "domain/text.h"

namespace ikv::domain {

std::optional<Rejection> require_text(std::string_view value, const std::string& field) {
  if (is_blank(value))
    return validation_error("missing_field", field, field + " must not be empty");
  return std::nullopt;
}

std::optional<Rejection> require_localized(const LocalizedText& text, const std::string& prefix) {
  if (auto r = require_text(text.fi, prefix + "/fi")) return r;
  if (auto r = require_text(text.sv, prefix + "/sv")) return r;
  return require_text(text.en, prefix + "/en");
}

std::optional<Rejection> require_date(const Date& date, const std::string& field) {
  if (!is_valid(date)) {
    return validation_error("invalid_date", field,
                            field + " must be a real date (YYYY-MM-DD or YYYY-MM)");
  }
  return std::nullopt;
}

std::optional<Rejection> require_code(const TaxonomyState& taxonomy, TaxonomyKind kind,
                                      std::string_view code, const std::string& field) {
  if (taxonomy.contains(kind, code)) return std::nullopt;
  const std::string kind_name(to_string(kind));
  return validation_error("unknown_" + kind_name, field,
                          "'" + std::string(code) + "' is not a " + kind_name + " code");
}

std::optional<Rejection> require_items(const std::vector<std::string>& items,
                                       const std::string& field) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (auto r = require_text(items[i], field + "/" + std::to_string(i))) return r;
  }
  return std::nullopt;
}

std::string trimmed(std::string_view text) { return std::string(trim(text)); }

LocalizedText trimmed(const LocalizedText& text) {
  return {trimmed(text.fi), trimmed(text.sv), trimmed(text.en)};
}

std::optional<std::string> non_blank(const std::optional<std::string>& text) {
  if (!text || is_blank(*text)) return std::nullopt;
  return trimmed(*text);
}

std::vector<std::string> trimmed(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const std::string& item : items) out.push_back(trimmed(item));
  return out;
}

std::vector<std::string> stored_target_groups(const std::vector<std::string>& written,
                                              const TaxonomyState& taxonomy) {
  std::vector<std::string> out;
  for (const std::string& text : written) {
    if (const std::string* code = taxonomy.target_group_of(text)) {
      if (std::find(out.begin(), out.end(), *code) == out.end()) out.push_back(*code);
    } else {
      out.push_back(trimmed(text));
    }
  }
  return out;
}

}  // namespace ikv::domain
