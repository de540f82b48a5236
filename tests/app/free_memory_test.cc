// release_free_memory(): the freed pages of the process's heap go back to the
// system (the tests allocate with glibc; the server's jemalloc path is seen
// in bench/README.md's start-up figures).
#include "app/free_memory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace ikv::app {
namespace {

// Resident bytes of this process (/proc/self/statm, second field, in pages).
std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0;
  std::size_t resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// Built with a sanitizer that brings its own allocator (GCC says so by a
// macro, clang by __has_feature).
constexpr bool kOwnAllocator =
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

TEST(FreeMemory, GivesTheHeapsFreedPagesBack) {
  if (kOwnAllocator) {
    GTEST_SKIP() << "the sanitizer's allocator keeps freed memory in quarantine";
  }
  // 64 MiB in blocks under glibc's mmap threshold (so inside its heap),
  // touched, then freed below a block that stays: the freed pages cannot be
  // trimmed off the heap's top and stay resident until given back.
  constexpr std::size_t kBlock = 64 * 1024;
  constexpr std::size_t kBlocks = 1024;
  std::vector<std::unique_ptr<char[]>> blocks;
  blocks.reserve(kBlocks);
  for (std::size_t i = 0; i < kBlocks; ++i) {
    blocks.emplace_back(new char[kBlock]);
    std::memset(blocks.back().get(), 1, kBlock);
  }
  auto pin = std::make_unique<char[]>(kBlock);
  std::memset(pin.get(), 1, kBlock);
  blocks.clear();
  const std::size_t before = resident_bytes();
  EXPECT_EQ(release_free_memory(), "glibc");
  const std::size_t after = resident_bytes();
  EXPECT_LT(after + (32u << 20), before) << "before " << before << ", after " << after;
}

}  // namespace
}  // namespace ikv::app
