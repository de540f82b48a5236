// Drafting a snapshot without holding the registry's lock: the read models are
// serialised by a forked child process, which sees the parent's memory exactly
// as it was at fork() (the kernel copies a page only when the parent writes it
// afterwards), while the parent goes on applying commits at once.
//
//   parent (snapshot thread)                      child
//   ------------------------                      -----
//   shared lock: no event half-applied
//   fork() ------------------------------------->  memory frozen at this instant
//   unlock: commits go on                          draft_sections() unit by unit,
//   read the pipe until EOF  <------ frames -----  each section written as made
//     each section, in parts, to the sink
//     (an encoder writing the file as it comes)
//   waitpid: exit status 0                         _exit(0)
//   seal the pieces, complete and commit the file (snapshot_codec.h, snapshot_files.h)
//
// Pipe grammar (in memory only, never stored; it holds personal data in clear
// text, which the parent seals before anything reaches a disk):
//
//   draft   := u64 position | u64 section count | section* | u64 piece count | piece*
//              | "IKVD" (end mark)
//   section := str name | u64 format | u64 position | str body
//   piece   := str subject | str plaintext
//   str     := u64 length | bytes                  (u64: 8 bytes, little-endian)
//
// The child touches nothing but the models and the allocator (jemalloc and
// glibc both lock their arenas around fork()): no store, vault, logger or
// lock of the parent, whose other threads do not exist in it. It resets
// SIGINT/SIGTERM to their defaults, dies with its parent (PR_SET_PDEATHSIG)
// and leaves with _exit(), running no destructor or atexit handler. A child
// that fails, is killed or writes a truncated draft yields an error; nothing
// half-read is ever used.
//
// Where fork() cannot be used (the sanitizer builds, whose runtimes are not
// safe in a child forked from a threaded process, or fork() failing), the
// caller drafts in-process under its lock instead: fork_available() says
// which.
//
// Thread-safety: begin() requires that the models are not modified while it
// runs (the caller holds its lock); finish() needs no lock.
//
//   std::optional<ForkedDraft> child;
//   { std::shared_lock l(mu); child = ForkedDraft::begin(models, position); }
//   auto pieces = child->finish(encoder);  // Result<PersonalPieces>
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "app/snapshot_codec.h"
#include "common/result.h"
#include "projections/read_models.h"

namespace ikv::app {

// True when this build may draft snapshots in a forked child.
bool fork_available();

class ForkedDraft {
 public:
  // Forks a child that drafts `models` as of `position`. Errors: kIOError when
  // the pipe or the fork cannot be made (the caller drafts in-process).
  static Result<ForkedDraft> begin(const projections::ReadModels& models, std::uint64_t position);

  ForkedDraft(ForkedDraft&& other) noexcept;
  ForkedDraft& operator=(ForkedDraft&&) = delete;
  ForkedDraft(const ForkedDraft&) = delete;
  ForkedDraft& operator=(const ForkedDraft&) = delete;
  // Kills and reaps a child whose draft was never finished.
  ~ForkedDraft();

  // Reads the child's draft, handing each section to `sink` in parts as it
  // comes (at most a megabyte of a body is held here at once), and reaps
  // the child; returns the personal pieces. Errors: kIOError when the child
  // failed, was killed or its draft is incomplete; the sink's. Call once.
  Result<projections::PersonalPieces> finish(DraftSink& sink);
  // The same, the whole draft collected in memory.
  Result<SnapshotDraft> finish();

 private:
  ForkedDraft(pid_t pid, int fd, std::uint64_t position)
      : pid_(pid), fd_(fd), position_(position) {}
  pid_t pid_ = -1;
  int fd_ = -1;
  std::uint64_t position_ = 0;
};

}  // namespace ikv::app
