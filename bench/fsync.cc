// ikv-bench-fsync: the disk's sync latency, the floor under any durable
// write: --rounds times write(--size bytes, appended) + fdatasync on a file in
// --dir, one thread. Prints p50/p99/mean in microseconds as RESULT lines.
//
//   ikv-bench-fsync --dir DIR [--rounds 1000] [--size 4096]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ikv-bench-fsync: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  int rounds = 1000;
  std::size_t size = 4096;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--rounds" && i + 1 < argc)
      rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--size" && i + 1 < argc)
      size = static_cast<std::size_t>(std::atol(argv[++i]));
    else
      die("usage: ikv-bench-fsync --dir DIR [--rounds N] [--size BYTES]");
  }
  if (dir.empty()) die("--dir is required");
  const std::string path = dir + "/ikv-bench-fsync.bin";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) die("cannot open " + path);
  std::string block(size, 'x');
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(rounds));
  for (int r = 0; r < rounds; ++r) {
    block[static_cast<std::size_t>(r) % size] = static_cast<char>('a' + r % 26);
    auto a = std::chrono::steady_clock::now();
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) die("write");
    if (::fdatasync(fd) != 0) die("fdatasync");
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - a).count());
  }
  ::close(fd);
  ::unlink(path.c_str());
  double sum = 0;
  for (double v : us) sum += v;
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    return us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))];
  };
  std::printf("write(%zu) + fdatasync, %d rounds: p50 %.0f us, p99 %.0f us, mean %.0f us\n", size,
              rounds, at(0.5), at(0.99), sum / static_cast<double>(us.size()));
  std::printf("RESULT fsync_p50_us %.1f\nRESULT fsync_p99_us %.1f\nRESULT fsync_mean_us %.1f\n",
              at(0.5), at(0.99), sum / static_cast<double>(us.size()));
  return 0;
}
