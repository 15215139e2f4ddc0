// libcurl from the prefix: static, and its TLS backend is OpenSSL (not Schannel).
#include <curl/curl.h>

#include <cstdio>
#include <cstring>

int main() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::printf("FAIL global_init\n");
    return 1;
  }
  const char* v = curl_version();
  curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  bool openssl = std::strstr(v, "OpenSSL") != nullptr && std::strstr(v, "Schannel") == nullptr;
  bool ssl = (info->features & CURL_VERSION_SSL) != 0;
  bool https = false;
  for (const char* const* p = info->protocols; *p; ++p) https = https || std::strcmp(*p, "https") == 0;
  CURL* h = curl_easy_init();
  curl_easy_cleanup(h);
  curl_global_cleanup();
  if (!openssl || !ssl || !https || !h) {
    std::printf("FAIL %s (ssl %d, https %d)\n", v, ssl, https);
    return 1;
  }
  std::printf("ok %s\n", v);
  return 0;
}
