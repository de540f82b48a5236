// A small well-formedness check for the XML fragments the report writes
// (inline SVG): one root element, properly nested and closed tags, quoted
// attributes, only XML's predefined entities and numeric character
// references, no raw '<' in text. No DTDs, CDATA or processing instructions.
//
// Thread-safety: pure functions; safe from any thread.
//
//   EXPECT_EQ(check_xml(svg), "");          // "" when well-formed, else why not
//   for (const std::string& svg : svgs_of(page)) ...
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ikv::tests {

// "" when `xml` is one well-formed element (surrounding whitespace allowed),
// else a description of the first problem with its offset.
std::string check_xml(std::string_view xml);

// Every "<svg ...>...</svg>" in `page`, in order (SVGs are not nested).
std::vector<std::string> svgs_of(std::string_view page);

// How many times `needle` occurs in `text` (not overlapping).
std::size_t count_of(std::string_view text, std::string_view needle);

}  // namespace ikv::tests
