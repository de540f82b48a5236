// Validation functions shared by the deciders (part of ikv_domain, not used by
// other modules). Each returns the Rejection a decider answers with, or nullopt
// when the value is acceptable.
//
// Thread-safety: pure functions; safe from any thread.
//
//   if (auto r = require_text(cmd.name, "/name")) return *r;
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "domain/decision.h"
#include "domain/taxonomy.h"
#include "domain/values.h"

namespace ikv::domain {

// validation "missing_field" when the trimmed text is empty.
std::optional<Rejection> require_text(std::string_view value, const std::string& field);
// validation "missing_field" for the first empty language, field "<prefix>/fi" etc.
std::optional<Rejection> require_localized(const LocalizedText& text, const std::string& prefix);
// validation "invalid_date" when the date does not exist in the calendar.
std::optional<Rejection> require_date(const Date& date, const std::string& field);
// validation "unknown_<kind>" (e.g. "unknown_sector") when the code is not in the taxonomy.
std::optional<Rejection> require_code(const TaxonomyState& taxonomy, TaxonomyKind kind,
                                      std::string_view code, const std::string& field);
// validation "missing_field" at "<field>/<i>" for the first blank item.
std::optional<Rejection> require_items(const std::vector<std::string>& items,
                                       const std::string& field);

// Written target groups as stored: trimmed; one that names a target group
// (TaxonomyState::target_group_of) becomes its code, each code once.
std::vector<std::string> stored_target_groups(const std::vector<std::string>& written,
                                              const TaxonomyState& taxonomy);

// Trimmed copies.
std::string trimmed(std::string_view text);
LocalizedText trimmed(const LocalizedText& text);
// Trimmed, or nullopt when absent or blank.
std::optional<std::string> non_blank(const std::optional<std::string>& text);
std::vector<std::string> trimmed(const std::vector<std::string>& items);

}  // namespace ikv::domain
