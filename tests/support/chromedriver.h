#pragma once
// Debian's Chromium headless through chromedriver's W3C WebDriver API (packages chromium and
// chromium-driver), over libcurl + nlohmann/json, no npm: chromedriver on a free loopback
// port, one browser session at 1366×768 (browser.h says what a test can ask of it).
#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "tests/support/browser.h"

namespace gocua::test {

class ChromeBrowser final : public Browser {
 public:
  // Starts chromedriver and a headless Chromium session. Fails the test, saying what to
  // install, when either is missing.
  ChromeBrowser() {
    INFO(
        "the browser tests need Debian's chromium and chromium-driver: tools/deps.sh installs "
        "them");
    REQUIRE(std::filesystem::exists("/usr/bin/chromedriver"));
    REQUIRE(std::filesystem::exists("/usr/bin/chromium"));
    port_ = FreeLoopbackPort();
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
      auto [status, out] = Http("GET", "/status", "", 2);
      json j = json::parse(out, nullptr, false);
      ready = status == 200 && !j.is_discarded() && j["value"].value("ready", false);
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
    auto [status, out] = Http("POST", "/session", caps.dump(), 120);
    INFO("chromedriver's new session: ", out.substr(0, 600));
    REQUIRE(status == 200);
    session_ = json::parse(out)["value"]["sessionId"];
    REQUIRE_FALSE(session_.empty());
  }
  ~ChromeBrowser() override {
    if (!session_.empty()) Http("DELETE", "/session/" + session_, "", 30);
    if (driver_ > 0) {
      kill(driver_, SIGTERM);
      waitpid(driver_, nullptr, 0);
    }
  }
  const char* name() const override { return "chromium"; }

 protected:
  bool Do(Cmd cmd, const json& a, json* value) override {
    auto el = [&a] { return "/element/" + a["id"].get<std::string>(); };
    auto css = [&a] { return json{{"using", "css selector"}, {"value", a["css"]}}; };
    const json none = json::object();
    switch (cmd) {
      case Cmd::kNavigate:
        return Call("POST", "/url", {{"url", a["url"]}}, value);
      case Cmd::kUrl:
        return Call("GET", "/url", nullptr, value);
      case Cmd::kSource:
        return Call("GET", "/source", nullptr, value);
      case Cmd::kFind:
        if (!Call("POST", "/element", css(), value)) return false;
        if (!value->contains(kElementKey)) return false;
        *value = (*value)[kElementKey];
        return true;
      case Cmd::kFindAll:
        return Call("POST", "/elements", css(), value);
      case Cmd::kClick:
        return Call("POST", el() + "/click", none, value);
      case Cmd::kClear:
        return Call("POST", el() + "/clear", none, value);
      case Cmd::kSendKeys:
        return Call("POST", el() + "/value", {{"text", a["text"]}}, value);
      case Cmd::kText:
        return Call("GET", el() + "/text", nullptr, value);
      case Cmd::kScript:
        return Call("POST", "/execute/sync", {{"script", a["script"]}, {"args", json::array()}},
                    value);
      case Cmd::kCookies:
        return Call("GET", "/cookie", nullptr, value);
      case Cmd::kScreenshot:
        return Call("GET", "/screenshot", nullptr, value);
      case Cmd::kAlertText:
        return Call("GET", "/alert/text", nullptr, value);
      case Cmd::kAlertAccept:
        return Call("POST", "/alert/accept", none, value);
    }
    return false;
  }

 private:
  static constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

  static size_t Collect(char* p, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(p, size * n);
    return size * n;
  }
  std::pair<long, std::string> Http(const std::string& method, const std::string& path,
                                    const std::string& body, long timeout_s) {
    std::string out;
    CURL* h = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + path;
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST") curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
    const CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK) return {0, curl_easy_strerror(rc)};
    return {status, out};
  }
  // One command of the session: its "value", or the error's.
  bool Call(const std::string& method, const std::string& path, const json& body, json* value) {
    auto [status, out] =
        Http(method, "/session/" + session_ + path, body.is_null() ? "" : body.dump(), 120);
    json j = json::parse(out, nullptr, false);
    *value = j.is_discarded() ? json(out) : j.value("value", json());
    return status == 200;
  }

  int port_ = 0;
  pid_t driver_ = -1;
  std::string session_;
};

}  // namespace gocua::test
