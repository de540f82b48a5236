// People: the answers to a data-subject request, as pure queries over the
// RegistryView. A "person" is an e-mail address; each of their member records
// (one per network they joined) has its own member id.
//
// Finding by e-mail: personal data is sealed at rest and in memory (each
// person's fields encrypted with their own key: codec/personal_data.h,
// personal_seal.h). find_people() asks the view's EmailIndex (email_index.h:
// keyed hashes of addresses, in memory only, built on the first search by
// opening every member record once) for candidates, opens each and compares
// its address (trimmed, ASCII case folded, as the deciders compare e-mails),
// so no clear e-mail and no e-mail-derived index is ever written to disk. An
// erased member record has no e-mail left, so it is never found by its old
// address (that is the erasure working).
//
// Thread-safety: pure functions of the view; the caller holds its lock (shared).
//
//   auto found = find_people(view, "Anna@Example.FI");
//   boost::json::object page = people_json(found);   // {"items": [...]}
//   auto detail = person_json(view, found[0].member_id);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "projections/registry_view.h"

namespace ikv::projections {

// One member record of a person.
struct PersonMatch {
  std::string network;
  std::string_view member_id;  // both live until the view's next apply()
  const MemberRecord* member = nullptr;
};

// Every member record whose e-mail equals `email` (trimmed, ASCII
// case-insensitive), across networks, ordered by network id, then joined_on,
// then member id. An address that is blank matches nothing.
std::vector<PersonMatch> find_people(const RegistryView& view, std::string_view email);

// {"items": [{"member_id", "network", "joined_on", "left_on", "erased"}]}.
boost::json::object people_json(const std::vector<PersonMatch>& matches);

// The member records of the person behind `member_id`: that record, and every
// other one with the same e-mail while the e-mail is readable; ordered as
// find_people(). Empty for an unknown member id.
std::vector<PersonMatch> person_records(const RegistryView& view, std::string_view member_id);

// Everything the view holds about the person behind `member_id`, personal
// fields in clear:
//   {"member_id", "network", "name", "email", "phone", "organisation", "sector",
//    "title", "joined_on", "left_on", "leave_reason", "erased",
//    "memberships": [{"member_id", "network", "joined_on", "left_on", "erased"}],
//    "meetings_attended": [{"meeting_id", "network", "held_on", "attendee"}]}
// where "attendee" is the member id the meeting lists. Errors: kNotFound for
// an unknown member id.
Result<boost::json::object> person_json(const RegistryView& view, std::string_view member_id);

}  // namespace ikv::projections
