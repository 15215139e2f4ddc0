#pragma once
// Debian's Firefox ESR (package firefox-esr) headless, driven through Marionette, the remote
// protocol built into Firefox (Debian packages no geckodriver): length-prefixed JSON over TCP
// on loopback, `LEN:[0, id, "WebDriver:Command", {params}]` answered by
// `LEN:[1, id, error, result]`, the same commands WebDriver names. A private profile in the
// test's temp folder (its own HOME too) with a user.js that picks the Marionette port, a
// 1366×768 window, and keeps Firefox off the network: every service that would call out is
// off, and any address but loopback goes to a proxy on 127.0.0.1:9 that does not answer.
// browser.h says what a test can ask of it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "tests/support/browser.h"

namespace gocua::test {

class FirefoxBrowser final : public Browser {
 public:
  // Starts Firefox with Marionette on a free port and opens a session. Fails the test, saying
  // what to install, when Firefox is missing.
  explicit FirefoxBrowser(const std::filesystem::path& dir) : dir_(dir) {
    INFO("the Firefox browser test needs Debian's firefox-esr: tools/deps.sh installs it");
    REQUIRE(std::filesystem::exists(kFirefox));
    const std::filesystem::path profile = dir_ / "profile";
    std::filesystem::create_directories(profile);
    const int port = FreeLoopbackPort();
    WritePrefs(profile / "user.js", port);
    const std::string profile_arg = profile.string();
    const char* argv[] = {kFirefox,        "--headless", "--marionette",
                          "--no-remote",   "--profile",  profile_arg.c_str(),
                          "--window-size", "1366,768",   "about:blank",
                          nullptr};
    std::vector<std::string> env_s = {"HOME=" + dir_.string(),
                                      "MOZ_HEADLESS=1",
                                      "MOZ_CRASHREPORTER_DISABLE=1",
                                      "LANG=C.UTF-8",
                                      "XDG_CACHE_HOME=" + (dir_ / "cache").string(),
                                      "XDG_CONFIG_HOME=" + (dir_ / "config").string()};
    if (const char* path = std::getenv("PATH")) env_s.push_back(std::string("PATH=") + path);
    std::vector<char*> env;
    for (std::string& e : env_s) env.push_back(e.data());
    env.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    const std::string log = (dir_ / "firefox.log").string();
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);  // its own group: all of it ends
    posix_spawnattr_setpgroup(&attr, 0);
    REQUIRE(posix_spawn(&pid_, kFirefox, &fa, &attr, const_cast<char* const*>(argv), env.data()) ==
            0);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);

    // Marionette listens once Firefox has started; it greets with its protocol level.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (fd_ < 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      fd_ = Connect(port);
    }
    INFO("Marionette did not listen on port ", port, " within 90 s; see ", log);
    REQUIRE(fd_ >= 0);
    json hello = json::parse(ReadPacket(), nullptr, false);
    INFO("Marionette's greeting: ", hello.dump());
    REQUIRE(hello.value("marionetteProtocol", 0) >= 3);
    json session;
    REQUIRE_MESSAGE(Send("WebDriver:NewSession", {{"capabilities", json::object()}}, &session),
                    session.dump());
    json ignored;
    REQUIRE_MESSAGE(Send("WebDriver:SetWindowRect", {{"width", 1366}, {"height", 768}}, &ignored),
                    ignored.dump());
  }
  ~FirefoxBrowser() override {
    if (fd_ >= 0) {
      json ignored;
      (void)Send("Marionette:Quit", {{"flags", {"eForceQuit"}}}, &ignored);
      close(fd_);
    }
    if (pid_ > 0) {
      // Up to 20 s to quit by itself, then its whole group is killed.
      int status = 0;
      for (int i = 0; i < 200 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status, WNOHANG);
    }
  }
  const char* name() const override { return "firefox"; }

 protected:
  bool Do(Cmd cmd, const json& a, json* value) override {
    auto id = [&a] { return json{{"id", a["id"]}}; };
    auto css = [&a] { return json{{"using", "css selector"}, {"value", a["css"]}}; };
    switch (cmd) {
      case Cmd::kNavigate:
        return Send("WebDriver:Navigate", {{"url", a["url"]}}, value);
      case Cmd::kUrl:
        return Send("WebDriver:GetCurrentURL", json::object(), value);
      case Cmd::kSource:
        return Send("WebDriver:GetPageSource", json::object(), value);
      case Cmd::kFind:
        if (!Send("WebDriver:FindElement", css(), value)) return false;
        if (!value->contains(kElementKey)) return false;
        *value = (*value)[kElementKey];
        return true;
      case Cmd::kFindAll:
        return Send("WebDriver:FindElements", css(), value);
      case Cmd::kClick:
        return Send("WebDriver:ElementClick", id(), value);
      case Cmd::kClear:
        return Send("WebDriver:ElementClear", id(), value);
      case Cmd::kSendKeys:
        return Send("WebDriver:ElementSendKeys", {{"id", a["id"]}, {"text", a["text"]}}, value);
      case Cmd::kText:
        return Send("WebDriver:GetElementText", id(), value);
      case Cmd::kScript:
        return Send("WebDriver:ExecuteScript", {{"script", a["script"]}, {"args", json::array()}},
                    value);
      case Cmd::kCookies:
        return Send("WebDriver:GetCookies", json::object(), value);
      case Cmd::kScreenshot:
        return Send("WebDriver:TakeScreenshot", {{"full", false}, {"hash", false}}, value);
      case Cmd::kAlertText:
        return Send("WebDriver:GetAlertText", json::object(), value);
      case Cmd::kAlertAccept:
        return Send("WebDriver:AcceptAlert", json::object(), value);
    }
    return false;
  }

 private:
  static constexpr const char* kFirefox = "/usr/bin/firefox-esr";
  static constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

  static void WritePrefs(const std::filesystem::path& path, int port) {
    std::ofstream f(path);
    auto pref = [&f](const char* name, const std::string& value) {
      f << "user_pref(\"" << name << "\", " << value << ");\n";
    };
    pref("marionette.port", std::to_string(port));
    pref("intl.accept_languages", "\"vi\"");
    // Off the network: nothing but loopback leaves without the dead proxy.
    pref("network.proxy.type", "1");
    pref("network.proxy.http", "\"127.0.0.1\"");
    pref("network.proxy.http_port", "9");
    pref("network.proxy.ssl", "\"127.0.0.1\"");
    pref("network.proxy.ssl_port", "9");
    pref("network.proxy.no_proxies_on", "\"127.0.0.1,localhost\"");
    pref("network.proxy.allow_hijacking_localhost", "false");
    pref("network.dns.disablePrefetch", "true");
    pref("network.prefetch-next", "false");
    pref("network.http.speculative-parallel-limit", "0");
    pref("network.captive-portal-service.enabled", "false");
    pref("network.connectivity-service.enabled", "false");
    pref("network.trr.mode", "5");
    pref("captivedetect.canonicalURL", "\"\"");
    pref("app.update.disabledForTesting", "true");
    pref("app.normandy.enabled", "false");
    pref("app.normandy.api_url", "\"\"");
    pref("app.shield.optoutstudies.enabled", "false");
    pref("browser.shell.checkDefaultBrowser", "false");
    pref("browser.startup.homepage_override.mstone", "\"ignore\"");
    pref("browser.startup.page", "0");
    pref("browser.aboutwelcome.enabled", "false");
    pref("browser.newtabpage.enabled", "false");
    pref("browser.newtabpage.activity-stream.feeds.system.topstories", "false");
    pref("browser.newtabpage.activity-stream.feeds.snippets", "false");
    pref("browser.topsites.contile.enabled", "false");
    pref("browser.safebrowsing.malware.enabled", "false");
    pref("browser.safebrowsing.phishing.enabled", "false");
    pref("browser.safebrowsing.downloads.enabled", "false");
    pref("browser.safebrowsing.blockedURIs.enabled", "false");
    pref("browser.safebrowsing.provider.mozilla.updateURL", "\"\"");
    pref("browser.search.update", "false");
    pref("browser.region.network.url", "\"\"");
    pref("browser.region.update.enabled", "false");
    pref("browser.ping-centre.telemetry", "false");
    pref("browser.discovery.enabled", "false");
    pref("datareporting.healthreport.uploadEnabled", "false");
    pref("datareporting.policy.dataSubmissionEnabled", "false");
    pref("datareporting.policy.dataSubmissionPolicyBypassNotification", "true");
    pref("toolkit.telemetry.enabled", "false");
    pref("toolkit.telemetry.server", "\"\"");
    pref("toolkit.telemetry.reportingpolicy.firstRun", "false");
    pref("extensions.update.enabled", "false");
    pref("extensions.getAddons.cache.enabled", "false");
    pref("extensions.blocklist.enabled", "false");
    pref("extensions.systemAddon.update.enabled", "false");
    pref("services.settings.server", "\"data:,#remote-settings-dummy/v1\"");
    pref("security.OCSP.enabled", "0");
    pref("security.remote_settings.crlite_filters.enabled", "false");
    pref("security.remote_settings.intermediates.enabled", "false");
    pref("media.gmp-manager.url", "\"\"");
    pref("media.gmp-gmpopenh264.enabled", "false");
    pref("identity.fxaccounts.enabled", "false");
    pref("geo.provider.network.url", "\"\"");
    pref("dom.push.enabled", "false");
    pref("dom.push.connection.enabled", "false");
    pref("signon.rememberSignons", "false");
  }

  static int Connect(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      timeval tv{120, 0};  // no command takes this long: a hung Firefox fails the test
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      return fd;
    }
    close(fd);
    return -1;
  }
  // One packet: "LEN:" then LEN bytes of JSON. "" when the connection ends.
  std::string ReadPacket() {
    std::string len;
    char c;
    while (read(fd_, &c, 1) == 1 && c != ':') len += c;
    if (len.empty()) return {};
    std::string body(std::stoul(len), '\0');
    size_t got = 0;
    while (got < body.size()) {
      const ssize_t n = read(fd_, body.data() + got, body.size() - got);
      if (n <= 0) return {};
      got += static_cast<size_t>(n);
    }
    return body;
  }
  // Sends `command` and waits for its answer: true with its result (a lone "value" unwrapped),
  // or false with the error object.
  bool Send(const std::string& command, const json& params, json* value) {
    const int64_t id = ++last_id_;
    const std::string body = json::array({0, id, command, params}).dump();
    const std::string packet = std::to_string(body.size()) + ":" + body;
    for (size_t sent = 0; sent < packet.size();) {
      const ssize_t n = write(fd_, packet.data() + sent, packet.size() - sent);
      if (n <= 0) {
        *value = "Marionette: the connection broke";
        return false;
      }
      sent += static_cast<size_t>(n);
    }
    for (;;) {  // answers to older commands (none expected) are passed over
      json reply = json::parse(ReadPacket(), nullptr, false);
      if (reply.is_discarded() || !reply.is_array() || reply.size() != 4) {
        *value = "Marionette: no answer to " + command;
        return false;
      }
      if (reply[1] != id) continue;
      if (!reply[2].is_null()) {
        *value = reply[2];
        return false;
      }
      json& result = reply[3];
      if (result.is_object() && result.size() == 1 && result.contains("value"))
        *value = std::move(result["value"]);
      else
        *value = std::move(result);
      return true;
    }
  }

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int fd_ = -1;
  int64_t last_id_ = 0;
};

}  // namespace gocua::test
