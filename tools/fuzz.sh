#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang (-fsanitize=fuzzer,address) and runs
# each for RUNS executions (default 2,500,000: 10 million over the four targets), niced.
# Not part of the main CI path; the plain replay builds of the same targets run in ctest.
#   tools/fuzz.sh [RUNS] [TARGET...]      targets: protocol_v1 protocol_v2 v2_text csv_import
# Installs Debian's clang if it is missing (apt-get; needs root). The build goes to build/fuzz,
# the growing corpus to build/fuzz/corpus/<target> (seeded from tests/fuzz/corpus/<target> and
# fuzz_make_seeds), crashes to build/fuzz/crashes/. Exits non-zero on the first crash.
# docs/security.md, "Fuzzing", says what was run and found.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-2500000}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(protocol_v1 protocol_v2 v2_text csv_import)

if ! command -v clang++ >/dev/null; then
  apt-get update && apt-get install -y clang
fi

FLAGS="-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer -g"
nice cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOCUA_FUZZ=ON -DGOCUA_BUILD_APP=OFF \
  -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_CXX_FLAGS="$FLAGS" >/dev/null
nice cmake --build build/fuzz -j2 --target fuzz_make_seeds "${TARGETS[@]/#/fuzz_}"

mkdir -p build/fuzz/crashes
build/fuzz/tests/fuzz/fuzz_make_seeds build/fuzz/seeds >/dev/null
for t in "${TARGETS[@]}"; do
  corpus=build/fuzz/corpus/$t
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/$t/* build/fuzz/seeds/$t/* "$corpus"/ 2>/dev/null || true
  echo "== fuzz_$t: $RUNS runs"
  # -max_len: bodies bigger than 8 KiB add nothing the decoders do not do at 8 KiB.
  ASAN_OPTIONS=detect_leaks=1 nice build/fuzz/tests/fuzz/fuzz_$t "$corpus" \
    -runs="$RUNS" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/crashes/$t- 2>&1 | tail -n 20
done
