#include "domain/meeting.h"

#include <algorithm>

#include "domain/checks.h"
#include "domain/form_checks.h"
#include "domain/text.h"

namespace ikv::domain {

bool MeetingDetails::involves(std::string_view id) const {
  return network_id == id ||
         std::find(joint_with.begin(), joint_with.end(), id) != joint_with.end();
}

int HeldMeeting::attendance() const {
  return record.attendee_count.value_or(static_cast<int>(record.attendees.size()));
}

const MeetingDetails* details(const MeetingState& state) {
  struct Get {
    const MeetingDetails* operator()(const NoMeeting&) const { return nullptr; }
    const MeetingDetails* operator()(const PlannedMeeting& m) const { return &m.details; }
    const MeetingDetails* operator()(const CancelledMeeting& m) const { return &m.details; }
    const MeetingDetails* operator()(const HeldMeeting& m) const { return &m.details; }
  };
  return std::visit(Get{}, state);
}

std::string_view status_name(const MeetingState& state) {
  struct Name {
    std::string_view operator()(const NoMeeting&) const { return "none"; }
    std::string_view operator()(const PlannedMeeting&) const { return "scheduled"; }
    std::string_view operator()(const CancelledMeeting&) const { return "cancelled"; }
    std::string_view operator()(const HeldMeeting&) const { return "held"; }
  };
  return std::visit(Name{}, state);
}

namespace {

using Events = std::vector<MeetingEvent>;

Decision<MeetingEvent> one(MeetingEvent e) { return Events{std::move(e)}; }

class Decider {
 public:
  Decider(const MeetingState& s, const DecisionContext& ctx) : s_(s), ctx_(ctx) {}

  Decision<MeetingEvent> operator()(const ScheduleMeeting& c) const {
    if (!std::holds_alternative<NoMeeting>(s_)) {
      return conflict("meeting_exists", "meeting '" + c.meeting_id + "' exists");
    }
    if (auto r = require_text(c.meeting_id, "/meeting_id")) return *r;
    if (!ctx_.has_network(c.network_id)) {
      return not_found("network_not_found", "no network '" + c.network_id + "'");
    }
    if (auto issues = schedule_issues(c, ctx_); !issues.empty()) return issues.front();
    return one(MeetingScheduled{c.meeting_id, c.network_id, c.joint_with, c.scheduled_for, c.format,
                                trimmed(c.location), trimmed(c.agenda)});
  }

  Decision<MeetingEvent> operator()(const RescheduleMeeting& c) const {
    if (auto r = must_be_open()) return *r;
    const MeetingDetails& d = std::get<PlannedMeeting>(s_).details;
    if (auto issues = reschedule_issues(c, ctx_); !issues.empty()) return issues.front();
    MeetingRescheduled e{c.scheduled_for, std::nullopt, std::nullopt};
    if (c.format && *c.format != d.format) e.format = c.format;
    if (c.location && trimmed(*c.location) != d.location) e.location = trimmed(*c.location);
    if (c.scheduled_for == d.scheduled_for && !e.format && !e.location) return Events{};
    return one(std::move(e));
  }

  Decision<MeetingEvent> operator()(const CancelMeeting& c) const {
    if (std::holds_alternative<CancelledMeeting>(s_)) return Events{};
    if (auto r = must_be_open()) return *r;
    return one(MeetingCancelled{non_blank(c.reason)});
  }

  Decision<MeetingEvent> operator()(const RecordMeetingHeld& c) const {
    if (auto r = must_be_open()) return *r;
    const MeetingDetails& d = std::get<PlannedMeeting>(s_).details;
    MeetingHeld e{c.held_on, c.attendees, c.attendee_count, c.themes, non_blank(c.notes), c.format};
    if (auto r = check_record(d, e, {}, c.attendance_unknown)) return *r;
    return one(std::move(e));
  }

  Decision<MeetingEvent> operator()(const AmendMeetingRecord& c) const {
    if (auto r = must_be_held()) return *r;
    const auto& held = std::get<HeldMeeting>(s_);
    if (auto r = require_text(c.reason, "/reason")) return *r;
    MeetingHeld e = held.record;
    if (c.held_on) e.held_on = *c.held_on;
    if (c.attendees) e.attendees = *c.attendees;
    if (c.attendee_count) e.attendee_count = c.attendee_count;
    if (c.themes) e.themes = *c.themes;
    if (c.notes) e.notes = non_blank(c.notes);
    const bool unknown = held.record.attendees.empty() && !held.record.attendee_count;
    if (auto r = check_record(held.details, e, held.record.attendees, unknown)) return *r;
    if (e == held.record) return Events{};
    return one(MeetingRecordAmended{e.held_on, std::move(e.attendees), e.attendee_count,
                                    std::move(e.themes), std::move(e.notes), trimmed(c.reason),
                                    std::move(e.format)});
  }

 private:
  // The rejection for a meeting that is not planned (absent, cancelled, held).
  std::optional<Rejection> must_be_open() const {
    struct Check {
      std::optional<Rejection> operator()(const NoMeeting&) const {
        return not_found("meeting_not_found", "the meeting does not exist");
      }
      std::optional<Rejection> operator()(const PlannedMeeting&) const { return std::nullopt; }
      std::optional<Rejection> operator()(const CancelledMeeting&) const {
        return conflict("meeting_cancelled", "the meeting has been cancelled");
      }
      std::optional<Rejection> operator()(const HeldMeeting&) const {
        return conflict("meeting_already_held", "the meeting has been recorded as held");
      }
    };
    return std::visit(Check{}, s_);
  }

  // The rejection for a meeting that is not held (absent, planned, cancelled).
  std::optional<Rejection> must_be_held() const {
    struct Check {
      std::optional<Rejection> operator()(const NoMeeting&) const {
        return not_found("meeting_not_found", "the meeting does not exist");
      }
      std::optional<Rejection> operator()(const PlannedMeeting&) const {
        return conflict("meeting_not_held", "the meeting has not been recorded as held");
      }
      std::optional<Rejection> operator()(const CancelledMeeting&) const {
        return conflict("meeting_cancelled", "the meeting has been cancelled");
      }
      std::optional<Rejection> operator()(const HeldMeeting&) const { return std::nullopt; }
    };
    return std::visit(Check{}, s_);
  }

  // The first rule of a held meeting's record that `e` breaks (see record_issues).
  std::optional<Rejection> check_record(const MeetingDetails& d, const MeetingHeld& e,
                                        const std::vector<std::string>& recorded,
                                        bool attendance_unknown) const {
    auto issues = record_issues(d, e, recorded, attendance_unknown, ctx_);
    if (issues.empty()) return std::nullopt;
    return std::move(issues.front());
  }

  const MeetingState& s_;
  const DecisionContext& ctx_;
};

struct Evolver {
  MeetingState operator()(NoMeeting, const MeetingScheduled& e) const {
    return PlannedMeeting{MeetingDetails{e.meeting_id, e.network_id, e.joint_with, e.scheduled_for,
                                         e.format, e.location, e.agenda}};
  }
  MeetingState operator()(PlannedMeeting m, const MeetingRescheduled& e) const {
    m.details.scheduled_for = e.scheduled_for;
    if (e.format) m.details.format = e.format;
    if (e.location) m.details.location = *e.location;
    return m;
  }
  MeetingState operator()(PlannedMeeting m, const MeetingCancelled& e) const {
    return CancelledMeeting{std::move(m.details), e.reason};
  }
  MeetingState operator()(PlannedMeeting m, const MeetingHeld& e) const {
    return HeldMeeting{std::move(m.details), e};
  }
  MeetingState operator()(HeldMeeting m, const MeetingRecordAmended& e) const {
    m.record = MeetingHeld{e.held_on, e.attendees, e.attendee_count, e.themes, e.notes, e.format};
    return m;
  }
  // Other pairings of each event with a state do not occur in a decided
  // stream; the state stays. One fallback per event type keeps the visit
  // exhaustive over events.
  template <class S>
  MeetingState operator()(S s, const MeetingScheduled& /*e*/) const {
    return s;
  }
  template <class S>
  MeetingState operator()(S s, const MeetingRescheduled& /*e*/) const {
    return s;
  }
  template <class S>
  MeetingState operator()(S s, const MeetingCancelled& /*e*/) const {
    return s;
  }
  template <class S>
  MeetingState operator()(S s, const MeetingHeld& /*e*/) const {
    return s;
  }
  template <class S>
  MeetingState operator()(S s, const MeetingRecordAmended& /*e*/) const {
    return s;
  }
};

}  // namespace

Decision<MeetingEvent> decide(const MeetingCommand& command, const MeetingState& state,
                              const DecisionContext& context) {
  return std::visit(Decider(state, context), command);
}

MeetingState evolve(MeetingState state, const MeetingEvent& event) {
  return std::visit([](auto s, const auto& e) { return Evolver{}(std::move(s), e); },
                    std::move(state), event);
}

}  // namespace ikv::domain
