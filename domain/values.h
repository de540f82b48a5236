// Value types shared by several aggregates: trilingual text, a person's
// personal data, token roles and taxonomy kinds, with their stable spellings.
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   LocalizedText name{"Etelä-Karjala", "Södra Karelen", "South Karelia"};
//   std::optional<Role> r = parse_role("coordinator");
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ikv::domain {

// A text in Finland's two official languages and English.
struct LocalizedText {
  std::string fi;
  std::string sv;
  std::string en;

  bool operator==(const LocalizedText&) const = default;
};

// A member's personal data. Never stored in clear text (see codec/), erasable.
struct PersonalData {
  std::string name;
  std::string email;  // as given (trimmed); compared case-insensitively
  std::optional<std::string> phone;

  bool operator==(const PersonalData&) const = default;
};

enum class Role { kAdmin, kCoordinator, kAnalyst, kAuditor };
// "admin", "coordinator", "analyst", "auditor".
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

enum class TaxonomyKind { kSector, kTheme, kMeetingFormat, kTrainingTopic, kTargetGroup };
inline constexpr TaxonomyKind kAllTaxonomyKinds[] = {
    TaxonomyKind::kSector, TaxonomyKind::kTheme, TaxonomyKind::kMeetingFormat,
    TaxonomyKind::kTrainingTopic, TaxonomyKind::kTargetGroup};
// "sector", "theme", "meeting_format", "training_topic", "target_group".
std::string_view to_string(TaxonomyKind kind);
std::optional<TaxonomyKind> parse_taxonomy_kind(std::string_view text);

inline std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAuditor:
      return "auditor";
  }
  return "unknown";
}

inline std::optional<Role> parse_role(std::string_view text) {
  for (Role r : {Role::kAdmin, Role::kCoordinator, Role::kAnalyst, Role::kAuditor}) {
    if (to_string(r) == text) return r;
  }
  return std::nullopt;
}

inline std::string_view to_string(TaxonomyKind kind) {
  switch (kind) {
    case TaxonomyKind::kSector:
      return "sector";
    case TaxonomyKind::kTheme:
      return "theme";
    case TaxonomyKind::kMeetingFormat:
      return "meeting_format";
    case TaxonomyKind::kTrainingTopic:
      return "training_topic";
    case TaxonomyKind::kTargetGroup:
      return "target_group";
  }
  return "unknown";
}

inline std::optional<TaxonomyKind> parse_taxonomy_kind(std::string_view text) {
  for (TaxonomyKind k : kAllTaxonomyKinds) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

}  // namespace ikv::domain
