#!/usr/bin/env bash
# Fails when a C++ source or header of the repository is not formatted as
# .clang-format says (clang-format-14), naming the files. Fix with:
#   git ls-files '*.cc' '*.h' | grep -v '^tests/fixtures' | xargs clang-format-14 -i
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bad=()
while IFS= read -r f; do
  clang-format-14 --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.cc' '*.h' | grep -v '^tests/fixtures/')
if ((${#bad[@]})); then
  printf 'not formatted (clang-format-14 -i): %s\n' "${bad[@]}"
  exit 1
fi
echo "check_format: every source follows .clang-format"
