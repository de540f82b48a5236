#include "app/free_memory.h"

#include <malloc.h>

#include <cstddef>

// jemalloc's control interface, when the process is linked with it.
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

namespace ikv::app {

std::string_view release_free_memory() {
  if (&mallctl != nullptr) {
    // MALLCTL_ARENAS_ALL (4096): every arena's dirty and muzzy pages.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
    return "jemalloc";
  }
  malloc_trim(0);
  return "glibc";
}

}  // namespace ikv::app
