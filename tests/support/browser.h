#pragma once
// What the console's browser tests ask of a real browser, whichever drives it: Chromium through
// chromedriver's W3C WebDriver API (chromedriver.h) or Firefox through its built-in Marionette
// (marionette.h). A driver implements one primitive, Do, for a handful of commands; everything
// a test does (navigate, type, click and wait for the next page, accept a confirm(), read text
// and cookies, take a 1366×768 PNG) is written once here over it, so the same scenario runs in
// both browsers. Linux only, header-only, for the test's main thread (doctest's REQUIRE).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace gocua::test {

// A loopback TCP port that was free a moment ago.
inline int FreeLoopbackPort() {
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
  using json = nlohmann::json;
  virtual ~Browser() = default;
  // "chromium" or "firefox".
  virtual const char* name() const = 0;

  void Go(const std::string& url) { Must(Cmd::kNavigate, {{"url", url}}); }
  std::string Url() { return Must(Cmd::kUrl).get<std::string>(); }
  std::string Source() { return Must(Cmd::kSource).get<std::string>(); }
  // The element `css` selects (its driver id); fails the test if none.
  std::string Find(const std::string& css) {
    json id;
    const bool found = Do(Cmd::kFind, {{"css", css}}, &id);
    INFO(name(), ": no element ", css, ": ", id.dump().substr(0, 300));
    REQUIRE(found);
    return id.get<std::string>();
  }
  size_t Count(const std::string& css) { return Must(Cmd::kFindAll, {{"css", css}}).size(); }
  // Clicks, and when the click leaves the page (a link, a form), waits until the next page
  // has loaded: a click may return before a form's navigation starts.
  void Click(const std::string& css) {
    Mark();
    Must(Cmd::kClick, {{"id", Find(css)}});
    WaitForNewPage();
  }
  // Clicks something that opens a confirm(), accepts it, and waits for the next page.
  void ClickAndConfirm(const std::string& css) {
    Mark();
    const std::string el = Find(css);
    json ignored;
    // A driver may answer the click only once the dialog is gone, or report the open dialog.
    (void)Do(Cmd::kClick, {{"id", el}}, &ignored);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    json text;
    while (!Do(Cmd::kAlertText, json::object(), &text) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    Must(Cmd::kAlertAccept);
    WaitForNewPage();
  }
  json Script(const std::string& js) { return Must(Cmd::kScript, {{"script", js}}); }
  void Type(const std::string& css, const std::string& text) {
    const std::string el = Find(css);
    Must(Cmd::kClear, {{"id", el}});
    Must(Cmd::kSendKeys, {{"id", el}, {"text", text}});
  }
  std::string Text(const std::string& css) {
    return Must(Cmd::kText, {{"id", Find(css)}}).get<std::string>();
  }
  std::string Cookie(const std::string& cookie) {
    for (const json& c : Must(Cmd::kCookies))
      if (c.value("name", "") == cookie) return c.value("value", "");
    return {};
  }
  // A PNG of the window, saved to `path`; returns its bytes.
  std::string Screenshot(const std::filesystem::path& path) {
    const std::string png = Base64Decode(Must(Cmd::kScreenshot).get<std::string>());
    REQUIRE(png.size() > 1000);
    REQUIRE(png.compare(1, 3, "PNG") == 0);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << png;
    return png;
  }

 protected:
  // The commands a driver maps to its protocol. Arguments: kNavigate {url}; kFind, kFindAll
  // {css}; kClick, kClear, kText {id}; kSendKeys {id, text}; kScript {script}. Values: kUrl,
  // kSource, kText, kScreenshot (base64), kAlertText: a string; kFind: the element's id;
  // kFindAll: an array; kScript: what the script returned; kCookies: an array of {name, value}.
  enum class Cmd {
    kNavigate,
    kUrl,
    kSource,
    kFind,
    kFindAll,
    kClick,
    kClear,
    kSendKeys,
    kText,
    kScript,
    kCookies,
    kScreenshot,
    kAlertText,
    kAlertAccept
  };
  // Runs `cmd`: true with its value in *value, or false with the browser's error there.
  virtual bool Do(Cmd cmd, const json& args, json* value) = 0;

  json Must(Cmd cmd, const json& args = json::object()) {
    json value;
    const bool ok = Do(cmd, args, &value);
    INFO(name(), " command ", static_cast<int>(cmd), " ", args.dump().substr(0, 200), " → ",
         value.dump().substr(0, 600));
    REQUIRE(ok);
    return value;
  }

 private:
  // Marks the page now shown, so that WaitForNewPage can tell the next one from it.
  void Mark() { Script("window.__gocua_old_page = true; return true;"); }
  void WaitForNewPage() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      json v;
      // While the next page loads a script may fail: that is "not yet".
      if (Do(Cmd::kScript,
             {{"script",
               "return window.__gocua_old_page === undefined && document.readyState === "
               "'complete';"}},
             &v) &&
          v == true)
        return;
      INFO(name(), ": the page did not change after a click within 30 s");
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
};

}  // namespace gocua::test
