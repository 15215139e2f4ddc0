// The plain (non-fuzzer) build of a fuzz target: runs LLVMFuzzerTestOneInput once on every file
// named on the command line, or in a folder named there, and fails if there were none. ctest
// runs each target over its committed corpus (tests/fuzz/corpus/<target>/) so the targets
// build and pass in every build; tools/fuzz.sh builds the real fuzzers with clang.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int RunFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> in_dir;
      for (const auto& e : std::filesystem::directory_iterator(arg))
        if (e.is_regular_file()) in_dir.push_back(e.path());
      for (const auto& p : in_dir) files += RunFile(p);
    } else {
      files += RunFile(arg);
    }
  }
  std::printf("replayed %d inputs\n", files);
  return files > 0 ? 0 : 1;
}
