#include "domain/taxonomy.h"

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

void TaxonomyState::put(TaxonomyKind kind, std::string code, LocalizedText labels) {
  entries_[kind].insert_or_assign(std::move(code), std::move(labels));
}

const TaxonomyState& builtin_taxonomy() {
  static const TaxonomyState kBuiltin = initial_taxonomy_state();
  return kBuiltin;
}

namespace {

Decision<TaxonomyEvent> decide_add(const AddTaxonomyEntry& c, const TaxonomyState& state) {
  if (!is_taxonomy_code(c.code)) {
    return validation_error("invalid_code", "/code",
                            "code must be lowercase snake_case, 2 to 64 characters");
  }
  if (auto r = require_localized(c.labels, "/labels")) return *r;
  const LocalizedText labels = trimmed(c.labels);
  if (const LocalizedText* existing = state.labels(c.kind, c.code)) {
    if (*existing == labels) return std::vector<TaxonomyEvent>{};
    return conflict("taxonomy_code_exists",
                    "the " + std::string(to_string(c.kind)) + " code '" + c.code + "' exists",
                    "/code");
  }
  return std::vector<TaxonomyEvent>{TaxonomyEntryAdded{c.kind, c.code, labels}};
}

}  // namespace

Decision<TaxonomyEvent> decide(const TaxonomyCommand& command, const TaxonomyState& state,
                               const DecisionContext& /*context*/) {
  return std::visit([&](const AddTaxonomyEntry& c) { return decide_add(c, state); }, command);
}

TaxonomyState evolve(TaxonomyState state, const TaxonomyEvent& event) {
  std::visit([&](const TaxonomyEntryAdded& e) { state.put(e.kind, e.code, e.labels); }, event);
  return state;
}

}  // namespace ikv::domain
