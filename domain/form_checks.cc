#include "domain/form_checks.h"

#include <algorithm>
#include <set>

#include "domain/checks.h"
#include "domain/network_events.h"
#include "domain/text.h"

namespace ikv::domain {

namespace {

// Collects the rejections of the checks it is given, in order.
class Issues {
 public:
  void add(std::optional<Rejection> r) {
    if (r) out_.push_back(std::move(*r));
  }
  void add(std::string code, std::string field, std::string message) {
    out_.push_back(validation_error(std::move(code), std::move(field), std::move(message)));
  }
  std::vector<Rejection> take() { return std::move(out_); }

 private:
  std::vector<Rejection> out_;
};

std::string at(const std::string& field, std::size_t i) { return field + "/" + std::to_string(i); }

bool is_member_of_a_network(const MeetingDetails& d, std::string_view member_id,
                            const DecisionContext& ctx) {
  if (ctx.has_current_member(d.network_id, member_id)) return true;
  return std::any_of(d.joint_with.begin(), d.joint_with.end(),
                     [&](const std::string& n) { return ctx.has_current_member(n, member_id); });
}

}  // namespace

std::vector<Rejection> join_issues(const JoinNetwork& c, const TaxonomyState& taxonomy) {
  Issues out;
  out.add(require_text(c.member_id, "/member_id"));
  out.add(require_text(c.personal.name, "/name"));
  if (!looks_like_email(c.personal.email)) {
    out.add("invalid_email", "/email", "email must be an e-mail address");
  }
  out.add(require_text(c.organisation, "/organisation"));
  out.add(require_code(taxonomy, TaxonomyKind::kSector, c.sector, "/sector"));
  out.add(require_date(c.joined_on, "/joined_on"));
  return out.take();
}

std::vector<Rejection> details_issues(const ChangeMemberDetails& c, const TaxonomyState& taxonomy) {
  Issues out;
  if (c.name) out.add(require_text(*c.name, "/name"));
  if (c.email && !looks_like_email(*c.email)) {
    out.add("invalid_email", "/email", "email must be an e-mail address");
  }
  if (c.organisation) out.add(require_text(*c.organisation, "/organisation"));
  if (c.sector) out.add(require_code(taxonomy, TaxonomyKind::kSector, *c.sector, "/sector"));
  return out.take();
}

std::vector<Rejection> observation_issues(const RecordObservation& c, std::string_view network_id,
                                          const DecisionContext& ctx) {
  Issues out;
  out.add(require_text(c.observation_id, "/observation_id"));
  out.add(require_code(ctx.taxonomy_or_builtin(), TaxonomyKind::kTheme, c.theme, "/theme"));
  out.add(require_date(c.observed_on, "/observed_on"));
  out.add(require_items(c.target_groups, "/target_groups"));
  const std::optional<std::string> meeting_id = non_blank(c.meeting_id);
  if (meeting_id && !ctx.meeting_involves_network(*meeting_id, network_id)) {
    out.add("unknown_meeting", "/meeting_id",
            "no meeting '" + *meeting_id + "' involving this network");
  }
  return out.take();
}

std::vector<Rejection> wish_issues(const RecordWish& c, const TaxonomyState& taxonomy) {
  Issues out;
  out.add(require_text(c.wish_id, "/wish_id"));
  const std::optional<WishKind> kind = parse_wish_kind(c.kind);
  if (!kind) {
    out.add("unknown_wish_kind", "/kind",
            "kind must be joint_meeting, meeting_format, training or other");
  }
  out.add(require_text(c.text, "/text"));
  out.add(require_date(c.recorded_on, "/recorded_on"));
  const std::optional<std::string> format = non_blank(c.format);
  if (kind == WishKind::kMeetingFormat && !format) {
    out.add("format_missing", "/format", "a meeting_format wish names the format it wishes for");
  } else if (kind && kind != WishKind::kMeetingFormat && c.format) {
    out.add("format_not_allowed", "/format", "only a meeting_format wish names a format");
  } else if (format) {
    out.add(require_code(taxonomy, TaxonomyKind::kMeetingFormat, *format, "/format"));
  }
  return out.take();
}

std::vector<Rejection> national_observation_issues(const RecordObservation& c,
                                                   const TaxonomyState& taxonomy) {
  Issues out;
  out.add(require_text(c.observation_id, "/observation_id"));
  out.add(require_code(taxonomy, TaxonomyKind::kTheme, c.theme, "/theme"));
  out.add(require_date(c.observed_on, "/observed_on"));
  out.add(require_items(c.target_groups, "/target_groups"));
  if (c.meeting_id) {
    out.add("meeting_not_allowed", "/meeting_id", "a national finding belongs to no meeting");
  }
  return out.take();
}

std::vector<Rejection> schedule_issues(const ScheduleMeeting& c, const DecisionContext& ctx) {
  Issues out;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < c.joint_with.size(); ++i) {
    const std::string& id = c.joint_with[i];
    if (id == c.network_id) {
      out.add("joint_with_organiser", at("/joint_with", i),
              "the organiser cannot also be a joint network");
    } else if (!seen.insert(id).second) {
      out.add("duplicate_joint_network", at("/joint_with", i), "'" + id + "' is listed twice");
    } else if (!ctx.has_network(id)) {
      out.add("unknown_network", at("/joint_with", i), "no network '" + id + "'");
    }
  }
  out.add(require_date(c.scheduled_for, "/scheduled_for"));
  if (c.format) {
    out.add(require_code(ctx.taxonomy_or_builtin(), TaxonomyKind::kMeetingFormat, *c.format,
                         "/format"));
  }
  out.add(require_text(c.location, "/location"));
  out.add(require_items(c.agenda, "/agenda"));
  return out.take();
}

std::vector<Rejection> reschedule_issues(const RescheduleMeeting& c, const DecisionContext& ctx) {
  Issues out;
  out.add(require_date(c.scheduled_for, "/scheduled_for"));
  if (c.format) {
    out.add(require_code(ctx.taxonomy_or_builtin(), TaxonomyKind::kMeetingFormat, *c.format,
                         "/format"));
  }
  if (c.location) out.add(require_text(*c.location, "/location"));
  return out.take();
}

std::vector<Rejection> record_issues(const MeetingDetails& d, const MeetingHeld& e,
                                     const std::vector<std::string>& recorded,
                                     bool attendance_unknown, const DecisionContext& ctx) {
  Issues out;
  if (e.format) {
    out.add(require_code(ctx.taxonomy_or_builtin(), TaxonomyKind::kMeetingFormat, *e.format,
                         "/format"));
  } else if (!d.format) {
    out.add("format_missing", "/format",
            "the meeting has no format: give the format it was held in");
  }
  out.add(require_date(e.held_on, "/held_on"));
  if (e.attendees.empty() && !e.attendee_count && !attendance_unknown) {
    out.add("attendance_missing", "/attendees", "give attendees, attendee_count or both");
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < e.attendees.size(); ++i) {
    const std::string& id = e.attendees[i];
    if (!seen.insert(id).second) {
      out.add("duplicate_attendee", at("/attendees", i), "'" + id + "' is listed twice");
    } else if (std::find(recorded.begin(), recorded.end(), id) == recorded.end() &&
               !is_member_of_a_network(d, id, ctx)) {
      out.add("unknown_attendee", at("/attendees", i),
              "'" + id + "' is not a current member of the meeting's networks");
    }
  }
  if (e.attendee_count && *e.attendee_count < static_cast<int>(e.attendees.size())) {
    out.add("attendee_count_too_small", "/attendee_count",
            "attendee_count is less than the number of attendees");
  }
  for (std::size_t i = 0; i < e.themes.size(); ++i) {
    out.add(require_code(ctx.taxonomy_or_builtin(), TaxonomyKind::kTheme, e.themes[i],
                         at("/themes", i)));
  }
  return out.take();
}

std::vector<Rejection> join_request_issues(const RequestToJoin& c, const TaxonomyState& taxonomy) {
  std::vector<Rejection> out;
  const auto add = [&out](std::optional<Rejection> r) {
    if (r) out.push_back(std::move(*r));
  };
  add(require_text(c.request_id, "/request_id"));
  add(require_text(c.personal.name, "/name"));
  if (!looks_like_email(c.personal.email)) {
    out.push_back(validation_error("invalid_email", "/email", "email must be an e-mail address"));
  }
  add(require_text(c.organisation, "/organisation"));
  add(require_code(taxonomy, TaxonomyKind::kSector, c.sector, "/sector"));
  return out;
}

}  // namespace ikv::domain
