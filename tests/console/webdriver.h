#pragma once
// A small W3C WebDriver client over libcurl + nlohmann/json, driving Debian's Chromium
// headless through chromedriver (packages chromium and chromium-driver): start chromedriver on
// a free loopback port, one browser session at 1366×768, navigate, find by CSS, type, click,
// read text, accept a confirm(), read cookies, take PNG screenshots. No npm.
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/console/console_http.h"

namespace gocua::console_test {

using nlohmann::json;
inline constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

inline int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  close(fd);
  return ntohs(a.sin_port);
}

inline std::string Base64Decode(const std::string& in) {
  std::string out;
  int val = 0, bits = -8;
  for (unsigned char c : in) {
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '+')
      d = 62;
    else if (c == '/')
      d = 63;
    else
      continue;
    val = (val << 6) + d;
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

class Browser {
 public:
  // Starts chromedriver and a headless Chromium session. Fails the test, saying what to
  // install, when either is missing.
  Browser() {
    INFO(
        "the browser tests need Debian's chromium and chromium-driver: tools/deps.sh installs "
        "them");
    REQUIRE(std::filesystem::exists("/usr/bin/chromedriver"));
    REQUIRE(std::filesystem::exists("/usr/bin/chromium"));
    port_ = FreePort();
    const std::string port_arg = "--port=" + std::to_string(port_);
    const char* argv[] = {"/usr/bin/chromedriver", port_arg.c_str(), "--silent", nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    REQUIRE(posix_spawn(&driver_, argv[0], &fa, nullptr, const_cast<char* const*>(argv), environ) ==
            0);
    posix_spawn_file_actions_destroy(&fa);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    bool ready = false;
    while (!ready && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ready = TryStatus();
    }
    REQUIRE(ready);
    json caps = {
        {"capabilities",
         {{"alwaysMatch",
           {{"browserName", "chrome"},
            {"goog:chromeOptions",
             {{"binary", "/usr/bin/chromium"},
              {"args",
               {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1366,768", "--lang=vi", "--hide-scrollbars"}}}}}}}}};
    json r = Call("POST", "/session", caps);
    session_ = r["value"]["sessionId"];
    REQUIRE_FALSE(session_.empty());
  }
  ~Browser() {
    if (!session_.empty()) RawCall("DELETE", "/session/" + session_, "");
    if (driver_ > 0) {
      kill(driver_, SIGTERM);
      waitpid(driver_, nullptr, 0);
    }
  }

  void Go(const std::string& url) { S("POST", "/url", {{"url", url}}); }
  std::string Url() { return S("GET", "/url")["value"].get<std::string>(); }
  std::string Source() { return S("GET", "/source")["value"]; }
  std::string Find(const std::string& css) {
    json r = S("POST", "/element", {{"using", "css selector"}, {"value", css}});
    INFO("element ", css, ": ", r.dump().substr(0, 300));
    REQUIRE(r["value"].contains(kElementKey));
    return r["value"][kElementKey];
  }
  size_t Count(const std::string& css) {
    return S("POST", "/elements", {{"using", "css selector"}, {"value", css}})["value"].size();
  }
  // Clicks, and when the click leaves the page (a link, a form), waits until the next page
  // has loaded: WebDriver's click may return before a form's navigation starts.
  void Click(const std::string& css) {
    Mark();
    S("POST", "/element/" + Find(css) + "/click", json::object());
    WaitForNewPage();
  }
  // Clicks something that opens a confirm(), accepts it, and waits for the next page.
  void ClickAndConfirm(const std::string& css) {
    Mark();
    S("POST", "/element/" + Find(css) + "/click", json::object());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (RawCall("GET", "/session/" + session_ + "/alert/text", "").first != 200 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    S("POST", "/alert/accept", json::object());
    WaitForNewPage();
  }
  json Script(const std::string& js) {
    return S("POST", "/execute/sync", {{"script", js}, {"args", json::array()}})["value"];
  }
  void Type(const std::string& css, const std::string& text) {
    const std::string el = Find(css);
    S("POST", "/element/" + el + "/clear", json::object());
    S("POST", "/element/" + el + "/value", {{"text", text}});
  }
  std::string Text(const std::string& css) {
    return S("GET", "/element/" + Find(css) + "/text")["value"];
  }
  std::string Cookie(const std::string& name) {
    const json all = S("GET", "/cookie");
    for (const json& c : all["value"])
      if (c.value("name", "") == name) return c.value("value", "");
    return {};
  }
  // A PNG of the window, saved to `path`; returns its bytes.
  std::string Screenshot(const std::filesystem::path& path) {
    const std::string png = Base64Decode(S("GET", "/screenshot")["value"]);
    REQUIRE(png.size() > 1000);
    REQUIRE(png.compare(1, 3, "PNG") == 0);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << png;
    return png;
  }

 private:
  // Marks the page now shown, so that WaitForNewPage can tell the next one from it.
  void Mark() { Script("window.__gocua_old_page = true; return true;"); }
  void WaitForNewPage() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      auto [status, out] =
          RawCall("POST", "/session/" + session_ + "/execute/sync",
                  json{{"script",
                        "return window.__gocua_old_page === undefined && document.readyState === "
                        "'complete';"},
                       {"args", json::array()}}
                      .dump());
      json j = json::parse(out, nullptr, false);
      if (status == 200 && !j.is_discarded() && j["value"] == true) return;
      INFO("the page did not change after a click within 30 s");
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  bool TryStatus() {
    std::string out;
    CURL* h = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/status";
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 2L);
    const bool ok = curl_easy_perform(h) == CURLE_OK;
    curl_easy_cleanup(h);
    if (!ok) return false;
    json j = json::parse(out, nullptr, false);
    return !j.is_discarded() && j["value"].value("ready", false);
  }
  std::pair<long, std::string> RawCall(const std::string& method, const std::string& path,
                                       const std::string& body) {
    std::string out;
    CURL* h = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + path;
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST") curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    const CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK) return {0, curl_easy_strerror(rc)};
    return {status, out};
  }
  json Call(const std::string& method, const std::string& path, const json& body = nullptr) {
    auto [status, out] = RawCall(method, path, body.is_null() ? "" : body.dump());
    INFO("WebDriver ", method, " ", path, " → ", status, ": ", out.substr(0, 600));
    REQUIRE(status == 200);
    json j = json::parse(out, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }
  json S(const std::string& method, const std::string& path, const json& body = nullptr) {
    return Call(method, "/session/" + session_ + path, body);
  }

  int port_ = 0;
  pid_t driver_ = -1;
  std::string session_;
};

}  // namespace gocua::console_test
