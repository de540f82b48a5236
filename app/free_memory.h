// Giving freed memory back to the system after a one-off phase.
//
// Loading a snapshot and folding the networks' decider states grow their
// arrays by doubling: each step frees the smaller array, and the allocator
// keeps what was freed, resident, for later allocations. jemalloc (the
// server's allocator) gives such pages back only as it decays them during
// later allocator work, which an idle server does not do; glibc keeps the
// free chunks inside its heap. After such a phase (the server once its
// registry is open, the registry once its warm-up is done) they are given
// back at once, so that resident memory is what the models hold.
//
// release_free_memory(): jemalloc's purge of every arena when the process
// allocates with jemalloc (its mallctl is looked up at link time as a weak
// symbol: the tests and tools allocate with glibc), else glibc's
// malloc_trim(0). Safe from any thread; returns which one it asked.
//
//   auto registry = Registry::open(options);
//   release_free_memory();  // before answering /readyz
#pragma once

#include <string_view>

namespace ikv::app {

// "jemalloc" or "glibc": the allocator asked to give its free pages back.
std::string_view release_free_memory();

}  // namespace ikv::app
