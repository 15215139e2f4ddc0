// nginx in front of real gocua-hub processes, for the deploy tests: the configuration under
// test (tools/deploy/nginx/gocua-hub.conf.in rendered by render.sh, exactly as docs/deploy.md
// tells an administrator to) inside a minimal main file of the test's own, so that nginx runs
// unprivileged-style with its prefix, pid, logs and temp folders in a temp folder, on a free
// loopback port, in the foreground (daemon off) as the test's child. A self-signed certificate
// for 127.0.0.1 is made with the openssl command. Linux only, like the hub.
//
// Threading: for the test's main thread.
#pragma once

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"

namespace gocua::test {

// A TCP port on 127.0.0.1 that was free a moment ago.
inline int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// Whether something accepts connections on 127.0.0.1:`port`.
inline bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

class NginxProcess {
 public:
  // `hub_ports`: the upstream hubs on 127.0.0.1. `render_extra`: more render.sh options
  // (e.g. {"--rate", "1000r/s"}).
  explicit NginxProcess(const std::vector<int>& hub_ports,
                        const std::vector<std::string>& render_extra = {})
      : dir_(MakeTempDir("gocua-nginx-test")) {
    // Run as root (a container), nginx's workers become `nobody`: they must reach the folder.
    chmod(dir_.c_str(), 0711);
    cert_ = (dir_ / "province.crt").string();
    key_ = (dir_ / "province.key").string();
    const std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
        " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key_ + "' -out '" + cert_ + "' >/dev/null 2>&1";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "the openssl command failed: " << cmd);
    port_ = FreePort();
    std::vector<std::string> render = {
        "/bin/bash", GOCUA_SOURCE_DIR "/tools/deploy/nginx/render.sh",
        "--listen",  "127.0.0.1:" + std::to_string(port_),
        "--cert",    cert_,
        "--key",     key_};
    for (int p : hub_ports)
      render.insert(render.end(), {"--hub", "127.0.0.1:" + std::to_string(p)});
    render.insert(render.end(), render_extra.begin(), render_extra.end());
    const ProcessResult r = RunProcess(render, dir_);
    INFO("render.sh: ", r.err);
    REQUIRE(r.exit_code == 0);
    site_ = r.out;
    WriteText(dir_ / "gocua-hub.conf", site_);
    const std::string d = dir_.string();
    WriteText(dir_ / "nginx.conf",
              "daemon off;\nworker_processes 1;\npid " + d + "/nginx.pid;\nerror_log " + d +
                  "/error.log info;\nevents { worker_connections 1024; }\nhttp {\n  access_log " +
                  d + "/access.log;\n  client_body_temp_path " + d + "/body;\n  proxy_temp_path " +
                  d + "/proxy;\n  fastcgi_temp_path " + d + "/fastcgi;\n  uwsgi_temp_path " + d +
                  "/uwsgi;\n  scgi_temp_path " + d + "/scgi;\n  include " + d +
                  "/gocua-hub.conf;\n}\n");
  }
  ~NginxProcess() {
    if (pid_ > 0) Stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  // Replaces `from` with `to` in the rendered site file before Start() (to break a directive
  // on purpose and watch a test fail).
  void Edit(const std::string& from, const std::string& to) {
    const size_t at = site_.find(from);
    REQUIRE(at != std::string::npos);
    site_.replace(at, from.size(), to);
    WriteText(dir_ / "gocua-hub.conf", site_);
  }

  void Start() {
    REQUIRE(pid_ < 0);
    const std::string conf = (dir_ / "nginx.conf").string(), prefix = dir_.string() + "/";
    const std::string out = (dir_ / "nginx.out").string();
    std::vector<std::string> args = {NginxBinary(), "-p", prefix, "-c", conf};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    REQUIRE(rc == 0);
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!Accepts(port_) && std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL("nginx exited: ", ReadFile(out), ReadFile(dir_ / "error.log"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    INFO(ReadFile(out), ReadFile(dir_ / "error.log"));
    REQUIRE(Accepts(port_));
  }

  // SIGQUIT (graceful), SIGKILL after 10 s.
  void Stop() {
    kill(pid_, SIGQUIT);
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 500 && (done = waitpid(pid_, &status, WNOHANG)) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (done == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  const std::string& cert() const { return cert_; }
  std::string ErrorLog() const { return ReadFile(dir_ / "error.log"); }
  std::string AccessLog() const { return ReadFile(dir_ / "access.log"); }

  static std::string NginxBinary() {
    for (const char* p : {"/usr/sbin/nginx", "/usr/bin/nginx"})
      if (std::filesystem::exists(p)) return p;
    FAIL("nginx is not installed (tools/deps.sh installs it)");
    return "";
  }

 private:
  static void WriteText(const std::filesystem::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << text;
    REQUIRE(f.good());
  }

  std::filesystem::path dir_;
  std::string cert_, key_, site_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace gocua::test
