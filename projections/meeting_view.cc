#include "projections/meeting_view.h"

#include <algorithm>

#include "projections/snapshot_io.h"

namespace ikv::projections {

std::string_view to_string(MeetingStatus status) {
  switch (status) {
    case MeetingStatus::kScheduled:
      return "scheduled";
    case MeetingStatus::kHeld:
      return "held";
    case MeetingStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<MeetingStatus> parse_meeting_status(std::string_view text) {
  for (MeetingStatus s :
       {MeetingStatus::kScheduled, MeetingStatus::kHeld, MeetingStatus::kCancelled}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::vector<std::string> MeetingRecord::networks() const {
  std::vector<std::string> out{network_id};
  out.insert(out.end(), joint_with.begin(), joint_with.end());
  return out;
}

bool MeetingRecord::involves(std::string_view id) const {
  return network_id == id ||
         std::find(joint_with.begin(), joint_with.end(), id) != joint_with.end();
}

std::optional<int> MeetingRecord::attendance() const {
  if (status != MeetingStatus::kHeld) return std::nullopt;
  if (!attendee_count && attendees.empty()) return std::nullopt;  // not known
  return attendee_count.value_or(static_cast<int>(attendees.size()));
}

namespace {

// Every event of the stream, whether or not it changes the details.
void written(MeetingRecord& m, const eventstore::RecordedEvent& meta) {
  m.last_recorded_at_us = meta.recorded_at_us;
}

}  // namespace

MeetingRecord schedule_meeting(const eventstore::RecordedEvent& meta,
                               const domain::MeetingScheduled& e) {
  MeetingRecord m;
  m.meeting_id = e.meeting_id;
  m.network_id = e.network_id;
  m.joint_with = e.joint_with;
  m.scheduled_for = e.scheduled_for;
  m.format = e.format;
  m.location = e.location;
  m.agenda = e.agenda;
  m.first_recorded_at_us = meta.recorded_at_us;
  written(m, meta);
  return m;
}

void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingScheduled& /*again*/) {
  written(m, meta);
}

void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingRescheduled& e) {
  written(m, meta);
  if (m.status != MeetingStatus::kScheduled) return;
  m.scheduled_for = e.scheduled_for;
  if (e.format) m.format = e.format;
  if (e.location) m.location = *e.location;
}

void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingCancelled& e) {
  written(m, meta);
  if (m.status != MeetingStatus::kScheduled) return;
  m.status = MeetingStatus::kCancelled;
  m.cancel_reason = e.reason;
}

void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingHeld& e) {
  written(m, meta);
  if (m.status != MeetingStatus::kScheduled) return;
  m.status = MeetingStatus::kHeld;
  m.held_on = e.held_on;
  m.attendees = e.attendees;
  m.attendee_count = e.attendee_count;
  m.themes = e.themes;
  m.notes = e.notes;
  if (e.format) m.format = e.format;
}

}  // namespace ikv::projections

namespace ikv::projections {

void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingRecordAmended& e) {
  written(m, meta);
  if (m.status != MeetingStatus::kHeld) return;
  m.held_on = e.held_on;
  m.attendees = e.attendees;
  m.attendee_count = e.attendee_count;
  m.themes = e.themes;
  m.notes = e.notes;
  if (e.format) m.format = e.format;
}

std::string encode_meeting(const MeetingRecord& m) {
  SnapshotWriter w;
  w.string(m.meeting_id);
  w.string(m.network_id);
  w.strings(m.joint_with);
  w.date(m.scheduled_for);
  w.optional_string(m.format);
  w.string(m.location);
  w.strings(m.agenda);
  w.varint(static_cast<std::uint64_t>(m.status));
  w.optional_date(m.held_on);
  w.strings(m.attendees);
  w.optional_svarint(m.attendee_count ? std::optional<std::int64_t>(*m.attendee_count)
                                      : std::nullopt);
  w.strings(m.themes);
  w.optional_string(m.notes);
  w.optional_string(m.cancel_reason);
  w.svarint(m.first_recorded_at_us);
  w.svarint(m.last_recorded_at_us);
  std::string out = w.take();
  out.shrink_to_fit();
  return out;
}

std::optional<MeetingRecord> decode_meeting(std::string_view bytes) {
  SnapshotReader r(bytes);
  MeetingRecord m;
  m.meeting_id = r.string();
  m.network_id = r.string();
  m.joint_with = r.strings();
  m.scheduled_for = r.date();
  m.format = r.optional_string();
  m.location = r.string();
  m.agenda = r.strings();
  const std::uint64_t status = r.varint();
  if (status > static_cast<std::uint64_t>(MeetingStatus::kCancelled)) r.fail();
  m.status = static_cast<MeetingStatus>(status);
  m.held_on = r.optional_date();
  m.attendees = r.strings();
  if (auto n = r.optional_svarint()) m.attendee_count = static_cast<int>(*n);
  m.themes = r.strings();
  m.notes = r.optional_string();
  m.cancel_reason = r.optional_string();
  m.first_recorded_at_us = r.svarint();
  m.last_recorded_at_us = r.svarint();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return m;
}

std::optional<MeetingFiling> peek_meeting(std::string_view bytes) {
  SnapshotReader r(bytes);
  const auto skip_optional = [&r] {
    if (r.boolean()) r.slice();
  };
  const auto skip_strings = [&r] {
    for (std::size_t i = 0, n = r.count(); i < n && r.ok(); ++i) r.slice();
  };
  MeetingFiling f;
  f.meeting_id = r.slice();
  f.networks.push_back(r.slice());
  for (std::size_t i = 0, n = r.count(); i < n && r.ok(); ++i) f.networks.push_back(r.slice());
  const domain::Date scheduled_for = r.date();
  skip_optional();  // format
  r.slice();        // location
  skip_strings();   // agenda
  const std::uint64_t status = r.varint();
  if (status > static_cast<std::uint64_t>(MeetingStatus::kCancelled)) r.fail();
  f.status = static_cast<MeetingStatus>(status);
  const std::optional<domain::Date> held_on = r.optional_date();
  f.date = held_on ? *held_on : scheduled_for;
  skip_strings();  // attendees
  r.optional_svarint();
  skip_strings();   // themes
  skip_optional();  // notes
  skip_optional();  // cancel_reason
  r.svarint();
  r.svarint();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return f;
}

}  // namespace ikv::projections
