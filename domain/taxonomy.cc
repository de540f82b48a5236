#include "domain/taxonomy.h"

#include <algorithm>

#include "domain/checks.h"
#include "domain/context.h"
#include "domain/text.h"

namespace ikv::domain {

bool TaxonomyState::contains(TaxonomyKind kind, std::string_view code) const {
  return labels(kind, code) != nullptr;
}

const LocalizedText* TaxonomyState::labels(TaxonomyKind kind, std::string_view code) const {
  const auto k = entries_.find(kind);
  if (k == entries_.end()) return nullptr;
  const auto e = k->second.find(code);
  return e == k->second.end() ? nullptr : &e->second;
}

const TaxonomyState::Entries& TaxonomyState::entries(TaxonomyKind kind) const {
  static const Entries kEmpty;
  const auto k = entries_.find(kind);
  return k == entries_.end() ? kEmpty : k->second;
}

const std::string* TaxonomyState::family(std::string_view theme) const {
  const auto it = families_.find(theme);
  return it == families_.end() ? nullptr : &it->second;
}

std::string_view TaxonomyState::family_or_self(std::string_view theme) const {
  const std::string* f = family(theme);
  return f != nullptr ? std::string_view(*f) : theme;
}

const std::vector<std::string>& TaxonomyState::aliases(std::string_view target_group) const {
  static const std::vector<std::string> kNone;
  const auto it = aliases_.find(target_group);
  return it == aliases_.end() ? kNone : it->second;
}

const std::string* TaxonomyState::target_group_of(std::string_view text) const {
  const auto it = terms_.find(fold_term(text));
  return it == terms_.end() ? nullptr : &it->second;
}

void TaxonomyState::put(TaxonomyKind kind, std::string code, LocalizedText labels,
                        std::optional<std::string> family, std::vector<std::string> aliases) {
  if (kind == TaxonomyKind::kTheme) {
    if (family) {
      families_.insert_or_assign(code, std::move(*family));
    } else {
      families_.erase(code);
    }
  }
  if (kind == TaxonomyKind::kTargetGroup) {
    for (const std::string* term : {&code, &labels.fi, &labels.sv, &labels.en}) {
      terms_.try_emplace(fold_term(*term), code);
    }
    for (const std::string& alias : aliases) terms_.try_emplace(fold_term(alias), code);
    if (aliases.empty()) {
      aliases_.erase(code);
    } else {
      aliases_.insert_or_assign(code, std::move(aliases));
    }
  }
  entries_[kind].insert_or_assign(std::move(code), std::move(labels));
}

const TaxonomyState& builtin_taxonomy() {
  static const TaxonomyState kBuiltin = initial_taxonomy_state();
  return kBuiltin;
}

namespace {

// The family, when given, names a theme in no family.
std::optional<Rejection> check_family(const AddTaxonomyEntry& c, const TaxonomyState& state) {
  if (!c.family) return std::nullopt;
  if (c.kind != TaxonomyKind::kTheme) {
    return validation_error("family_not_allowed", "/family", "only a theme has a family");
  }
  if (!state.contains(TaxonomyKind::kTheme, *c.family)) {
    return validation_error("unknown_family", "/family",
                            "no theme '" + *c.family + "' to be the family");
  }
  if (state.family(*c.family) != nullptr) {
    return validation_error("family_of_family", "/family",
                            "theme '" + *c.family + "' belongs to the family '" +
                                *state.family(*c.family) +
                                "'; name that family (families are one level deep)");
  }
  return std::nullopt;
}

// The aliases, trimmed, each term once (none repeating the code or a label).
std::vector<std::string> clean_aliases(const AddTaxonomyEntry& c, const LocalizedText& labels) {
  std::vector<std::string> seen{fold_term(c.code), fold_term(labels.fi), fold_term(labels.sv),
                                fold_term(labels.en)};
  std::vector<std::string> out;
  for (const std::string& alias : c.aliases) {
    std::string term = fold_term(alias);
    if (std::find(seen.begin(), seen.end(), term) != seen.end()) continue;
    seen.push_back(std::move(term));
    out.emplace_back(trim(alias));
  }
  return out;
}

// A term of the new target group that names another group already.
std::optional<Rejection> check_terms(const AddTaxonomyEntry& c, const TaxonomyEntryAdded& e,
                                     const TaxonomyState& state) {
  const auto taken = [&](const std::string& term,
                         const std::string& field) -> std::optional<Rejection> {
    const std::string* other = state.target_group_of(term);
    if (other == nullptr || *other == e.code) return std::nullopt;
    return conflict(
        "target_group_term_taken",
        "'" + std::string(trim(term)) + "' already names the target group '" + *other + "'", field);
  };
  if (auto r = taken(e.code, "/code")) return r;
  if (auto r = taken(e.labels.fi, "/labels/fi")) return r;
  if (auto r = taken(e.labels.sv, "/labels/sv")) return r;
  if (auto r = taken(e.labels.en, "/labels/en")) return r;
  for (std::size_t i = 0; i < c.aliases.size(); ++i) {
    if (auto r = taken(c.aliases[i], "/aliases/" + std::to_string(i))) return r;
  }
  return std::nullopt;
}

Decision<TaxonomyEvent> decide_add(const AddTaxonomyEntry& c, const TaxonomyState& state) {
  if (!is_taxonomy_code(c.code)) {
    return validation_error("invalid_code", "/code",
                            "code must be lowercase snake_case, 2 to 64 characters");
  }
  if (auto r = require_localized(c.labels, "/labels")) return *r;
  if (auto r = check_family(c, state)) return *r;
  if (!c.aliases.empty() && c.kind != TaxonomyKind::kTargetGroup) {
    return validation_error("aliases_not_allowed", "/aliases", "only a target group has aliases");
  }
  if (auto r = require_items(c.aliases, "/aliases")) return *r;
  TaxonomyEntryAdded e{c.kind, c.code, trimmed(c.labels), c.family, {}};
  e.aliases = clean_aliases(c, e.labels);
  if (const LocalizedText* existing = state.labels(c.kind, c.code)) {
    const std::string* family = c.kind == TaxonomyKind::kTheme ? state.family(c.code) : nullptr;
    const bool same_family = family != nullptr ? e.family == *family : !e.family.has_value();
    if (*existing == e.labels && same_family && state.aliases(c.code) == e.aliases) {
      return std::vector<TaxonomyEvent>{};
    }
    return conflict("taxonomy_code_exists",
                    "the " + std::string(to_string(c.kind)) + " code '" + c.code + "' exists",
                    "/code");
  }
  if (c.kind == TaxonomyKind::kTargetGroup) {
    if (auto r = check_terms(c, e, state)) return *r;
  }
  return std::vector<TaxonomyEvent>{std::move(e)};
}

}  // namespace

Decision<TaxonomyEvent> decide(const TaxonomyCommand& command, const TaxonomyState& state,
                               const DecisionContext& /*context*/) {
  return std::visit([&](const AddTaxonomyEntry& c) { return decide_add(c, state); }, command);
}

TaxonomyState evolve(TaxonomyState state, const TaxonomyEvent& event) {
  std::visit(
      [&](const TaxonomyEntryAdded& e) {
        state.put(e.kind, e.code, e.labels, e.family, e.aliases);
      },
      event);
  return state;
}

}  // namespace ikv::domain
