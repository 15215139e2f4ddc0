// utf8proc from the prefix (static, UTF8PROC_STATIC): NFC composes a decomposed Vietnamese word.
#include <utf8proc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main() {
  // "Việt" decomposed: e + combining circumflex (U+0302) + combining dot below (U+0323).
  const char* decomposed = "Vie\xcc\x82\xcc\xa3t";
  const char* composed = "Vi\xe1\xbb\x87t";  // U+1EC7
  utf8proc_uint8_t* out = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(decomposed));
  bool ok = out && std::strcmp(reinterpret_cast<char*>(out), composed) == 0;
  std::free(out);
  if (!ok) {
    std::printf("FAIL NFC\n");
    return 1;
  }
  std::printf("ok utf8proc %s, NFC\n", utf8proc_version());
  return 0;
}
