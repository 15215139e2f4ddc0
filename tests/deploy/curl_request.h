// One HTTP(S) exchange with libcurl for the deploy tests, with what the sync client never does
// on purpose: a body sent a byte at a time, a chosen source address, headers of our choosing.
// A Curl keeps its handle, so requests in a row reuse the connection (a flood).
//
// Threading: one Curl per thread.
#pragma once

#include <curl/curl.h>
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

namespace gocua::test {

struct CurlReply {
  int status = 0;  // 0: no reply (the error is in `error`)
  std::string body, headers, error;
};

class Curl {
 public:
  Curl() : h_(curl_easy_init()) { REQUIRE(h_ != nullptr); }
  ~Curl() { curl_easy_cleanup(h_); }
  Curl(const Curl&) = delete;
  Curl& operator=(const Curl&) = delete;

  std::string ca_file;  // trust this PEM (https)
  std::string source;   // bind to this local address ("127.0.0.2"), "" = any
  // With `slow_body`: the body comes from it, a chunk per call (returns the bytes put in `buf`,
  // at most `max`; 0 ends the body). Content-Length is `body_size` all the same.
  std::function<size_t(char* buf, size_t max)> slow_body;
  size_t body_size = 0;

  CurlReply Request(const std::string& method, const std::string& url, const std::string& body = "",
                    const std::vector<std::string>& headers = {}) {
    CurlReply r;
    curl_easy_reset(h_);
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h_, CURLOPT_TIMEOUT, 120L);
    if (!ca_file.empty()) curl_easy_setopt(h_, CURLOPT_CAINFO, ca_file.c_str());
    if (!source.empty()) curl_easy_setopt(h_, CURLOPT_INTERFACE, source.c_str());
    curl_slist* list = nullptr;
    for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, list);
    if (method == "POST") {
      curl_easy_setopt(h_, CURLOPT_POST, 1L);
      if (slow_body) {
        curl_easy_setopt(h_, CURLOPT_READFUNCTION, &Curl::ReadSlow);
        curl_easy_setopt(h_, CURLOPT_READDATA, this);
        curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_size));
      } else {
        curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      }
    }
    curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &Curl::Append);
    curl_easy_setopt(h_, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(h_, CURLOPT_HEADERFUNCTION, &Curl::Append);
    curl_easy_setopt(h_, CURLOPT_HEADERDATA, &r.headers);
    const CURLcode rc = curl_easy_perform(h_);
    curl_slist_free_all(list);
    if (rc != CURLE_OK) {
      r.error = curl_easy_strerror(rc);
      return r;
    }
    long status = 0;
    curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &status);
    r.status = static_cast<int>(status);
    return r;
  }

 private:
  static size_t Append(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  static size_t ReadSlow(char* buf, size_t size, size_t n, void* self) {
    return static_cast<Curl*>(self)->slow_body(buf, size * n);
  }

  CURL* h_;
};

}  // namespace gocua::test
