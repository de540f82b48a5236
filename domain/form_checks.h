// Every invalid field of a command at once. A decider rejects a command with
// the first problem it finds; a form wants them all, so that one 422 can mark
// every field. These functions list the validation rejections of a command in
// the order its decider checks them (the decider answers with the first), and
// leave out the conflicts (409) that need the aggregate's state.
//
//   JoinNetwork: missing_field (/member_id, /name, /organisation),
//     invalid_email (/email), unknown_sector (/sector), invalid_date (/joined_on)
//
// Thread-safety: pure functions; safe from any thread.
//
//   for (const Rejection& r : join_issues(cmd, taxonomy)) mark(r.field, r.message);
#pragma once

#include <vector>

#include "domain/decision.h"
#include "domain/network_commands.h"
#include "domain/taxonomy.h"

namespace ikv::domain {

std::vector<Rejection> join_issues(const JoinNetwork& c, const TaxonomyState& taxonomy);

}  // namespace ikv::domain
