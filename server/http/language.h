// The language of an answer's words: `Accept-Language: fi|sv|en` chooses
// Finnish, Swedish or English (weights honoured; anything else is English).
// Problem answers are translated in one place, as they leave the router: the
// title by status, and the detail and each field message when the catalogue
// (language.cc) knows the English text, word for word or as a pattern whose
// values (ids, numbers, JSON pointers) are carried over unchanged, e.g. "no
// network 'x'" -> "verkostoa 'x' ei ole". Unknown texts stay in English.
//
// Thread-safety: pure functions on values; safe from any thread.
//
//   const std::string_view lang = answer_language(req[http::field::accept_language]);
//   localize_problem(res, lang);  // a problem+json answer in Finnish when lang == "fi"
#pragma once

#include <string_view>

#include "server/http/http_types.h"

namespace ikv::server {

// "fi", "sv" or "en": the supported language the header prefers (highest q;
// "fi-FI" counts as "fi"); "en" when none is supported or the header is absent.
std::string_view answer_language(std::string_view accept_language);

// Translates the title, detail and field messages of an application/problem+json
// answer into `lang` and sets `Content-Language`. Any other answer, or "en", is
// left as it is.
void localize_problem(Response& res, std::string_view lang);

}  // namespace ikv::server
