// Text rules shared by the deciders: trimming, e-mail normalisation and the
// shapes of identifiers (network ids, taxonomy codes). ASCII-only case folding;
// other bytes (UTF-8) pass through unchanged.
//
// Thread-safety: pure functions; safe from any thread.
//
//   normalize_email("  Anna@Example.FI ")  // "anna@example.fi"
//   is_network_id("south-karelia")         // true
//   is_taxonomy_code("forced_labour")      // true
#pragma once

#include <string>
#include <string_view>

namespace ikv::domain {

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \r, \f, \v).
std::string_view trim(std::string_view text);
// `text` with ASCII letters lowered.
std::string to_lower_ascii(std::string_view text);
// Trimmed and lowered: the form in which e-mails are compared.
std::string normalize_email(std::string_view email);
// A plausible address: one '@', a non-empty local part, a domain with a dot
// that neither starts nor ends it, no whitespace or control characters, at
// most 254 bytes. Checked on the trimmed text.
bool looks_like_email(std::string_view email);
// A network id: 2..64 characters of [a-z0-9-], not starting or ending with '-'.
bool is_network_id(std::string_view id);
// A taxonomy code: lowercase snake_case, 2..64 characters of [a-z0-9_],
// starting with a letter, not ending with '_'.
bool is_taxonomy_code(std::string_view code);
// The form in which target groups are matched: trimmed, with ASCII letters and
// the Latin-1 capitals (U+00C0..U+00DE but U+00D7, e.g. Ä, Ö, Å) lowered.
std::string fold_term(std::string_view text);
// True when the trimmed text is empty.
bool is_blank(std::string_view text);

}  // namespace ikv::domain
