#pragma once
// The console's tests' tools: the real gocua-hub on loopback with an administrator account
// (made through `gocua-hub admin add`, the password on stdin), and plain HTTP requests to it
// through libcurl (no redirects followed, cookies given by hand), for the security tests.
#include <curl/curl.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/support/hub_process.h"

namespace gocua::console_test {

inline constexpr const char* kAdmin = "tinh.admin";
inline constexpr const char* kPassword = "mat-khau-rat-dai-2025";

struct Reply {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;
  std::string Header(const std::string& name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return {};
  }
  std::vector<std::string> All(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : headers)
      if (n == name) out.push_back(v);
    return out;
  }
};

inline size_t CollectBody(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

inline size_t CollectHeader(char* p, size_t size, size_t n, void* out) {
  std::string line(p, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon), value = line.substr(colon + 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    static_cast<Reply*>(out)->headers.emplace_back(name, value);
  }
  return size * n;
}

// The certificate to trust for https:// requests ("" = the system's).
inline std::string& CaFile() {
  static std::string path;
  return path;
}

// One request; `body` non-empty (or `post`) makes it a form POST.
inline Reply Request(const std::string& url, const std::string& method = "GET",
                     const std::string& body = "",
                     const std::vector<std::string>& extra_headers = {}) {
  Reply r;
  CURL* h = curl_easy_init();
  REQUIRE(h != nullptr);
  curl_slist* list = nullptr;
  for (const std::string& x : extra_headers) list = curl_slist_append(list, x.c_str());
  if (method == "POST") {
    list = curl_slist_append(list, "Content-Type: application/x-www-form-urlencoded");
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  } else if (method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
  if (!CaFile().empty()) curl_easy_setopt(h, CURLOPT_CAINFO, CaFile().c_str());
  const CURLcode rc = curl_easy_perform(h);
  INFO(url, ": ", curl_easy_strerror(rc));
  REQUIRE(rc == CURLE_OK);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  return r;
}

// The value of cookie `name` set by `r` ("" if none).
inline std::string SetCookie(const Reply& r, const std::string& name) {
  for (const std::string& v : r.All("set-cookie"))
    if (v.rfind(name + "=", 0) == 0)
      return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
  return {};
}

// The value of the first `<input ... name="NAME" value="...">` in `html`.
inline std::string InputValue(const std::string& html, const std::string& name) {
  const size_t at = html.find("name=\"" + name + "\" value=\"");
  if (at == std::string::npos) return {};
  const size_t start = at + name.size() + 15;
  return html.substr(start, html.find('"', start) - start);
}

// The console of a real hub, whichever store it runs on: accounts made through
// `gocua-hub admin add` and requests signed in through the form.
class ConsoleClient {
 public:
  explicit ConsoleClient(test::HubProcess& hub) : hub_(hub) {}
  test::HubProcess& hub() { return hub_; }
  std::string url(const std::string& path) const { return hub_.url() + path; }

  // `gocua-hub admin add NAME` with `password` on stdin.
  test::ProcessResult AddAdmin(const std::string& name, const std::string& password) {
    const std::filesystem::path in = std::filesystem::path(hub_.data()).parent_path() / "pw.txt";
    std::filesystem::create_directories(in.parent_path());
    std::ofstream(in) << password << "\n";
    std::vector<std::string> args = {test::HubBinary().string(), "admin", "add", name};
    for (const std::string& a : hub_.StoreArgs()) args.push_back(a);
    test::ProcessResult r = test::RunProcess(args, in.parent_path(), in.string());
    std::filesystem::remove(in);
    return r;
  }

  // Signs in through the form (a fresh sign-in cookie first, as a browser would); the reply.
  Reply SignInReply(const std::string& name, const std::string& password,
                    const std::string& session_cookie = "") {
    Reply page = Request(url("/console/signin"));
    const std::string pre = SetCookie(page, "gocua_signin");
    std::string cookies = "Cookie: gocua_signin=" + pre;
    if (!session_cookie.empty()) cookies += "; gocua_session=" + session_cookie;
    return Request(url("/console/signin"), "POST",
                   "csrf=" + pre + "&name=" + name + "&password=" + password, {cookies});
  }
  // A signed-in session's cookie value.
  std::string SignIn(const std::string& name = kAdmin, const std::string& password = kPassword) {
    Reply r = SignInReply(name, password);
    REQUIRE(r.status == 303);
    const std::string id = SetCookie(r, "gocua_session");
    REQUIRE(id.size() == 64);
    return id;
  }
  Reply Get(const std::string& path, const std::string& session) {
    return Request(url(path), "GET", "", {"Cookie: gocua_session=" + session});
  }
  Reply Post(const std::string& path, const std::string& session, const std::string& body) {
    return Request(url(path), "POST", body, {"Cookie: gocua_session=" + session});
  }
  // The CSRF token of the session's pages.
  std::string Csrf(const std::string& session) {
    Reply r = Get("/console/communes", session);
    REQUIRE(r.status == 200);
    const std::string token = InputValue(r.body, "csrf");
    REQUIRE(token.size() == 64);
    return token;
  }

 private:
  test::HubProcess& hub_;
};

// The real hub with one administrator account, serving.
class ConsoleHub : public ConsoleClient {
 public:
  // `store`: a PostgreSQL database (HubProcess::UseStore), "" = the hub's data folder.
  explicit ConsoleHub(const std::vector<std::string>& serve_extra = {},
                      const std::string& store = "")
      : ConsoleClient(hub_) {
    if (!store.empty()) hub_.UseStore(store);
    AddAdmin(kAdmin, kPassword);
    hub_.Start(serve_extra);
  }

 private:
  test::HubProcess hub_;
};

}  // namespace gocua::console_test
