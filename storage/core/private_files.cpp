#include "storage/core/private_files.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "platform/utf8_path.h"

#ifndef _WIN32
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace gocua {

#ifndef _WIN32
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return {ErrorCode::kIo, "Không đặt được quyền riêng tư cho " + path +
                              "; kiểm tra quyền của thư mục — cannot " + what + " " + path + ": " +
                              std::strerror(errno)};
}

}  // namespace

Status MakePrivateDir(const std::string& dir) {
  namespace fs = std::filesystem;
  // Folders made here are 0700 from the start (no window where another user could list them).
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = fs::path(dir); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it)
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) return Errno("mkdir", it->string());
  if (::chmod(dir.c_str(), 0700) != 0) return Errno("chmod", dir);
  return Status::Ok();
}

Status MakePrivateFile(const std::string& path) {
  if (::chmod(path.c_str(), 0600) != 0 && errno != ENOENT) return Errno("chmod", path);
  return Status::Ok();
}

Status CreatePrivateFile(const std::string& path) {
  // O_EXCL: a file that exists is never opened here, only chmod-ed. Closing any descriptor of
  // a file drops every POSIX lock this process holds on it, SQLite's too: a second connection
  // opened in a process (the hub's console beside its API) would leave the first one unlocked,
  // and another process (gocua-hub enroll-code) could then checkpoint and reset the WAL under
  // it — the first connection went on reading an old snapshot.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) return MakePrivateFile(path);
  if (fd < 0) return Errno("open", path);
  const int rc = ::fchmod(fd, 0600);
  ::close(fd);
  if (rc != 0) return Errno("chmod", path);
  return Status::Ok();
}

void UsePrivateUmask() { ::umask(077); }

void IgnoreFileSizeSignal() { ::signal(SIGXFSZ, SIG_IGN); }

#else

Status MakePrivateDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(PathFromUtf8(dir), ec);
  if (ec) return {ErrorCode::kIo, "cannot create " + dir + ": " + ec.message()};
  return Status::Ok();
}
Status MakePrivateFile(const std::string&) { return Status::Ok(); }
Status CreatePrivateFile(const std::string&) { return Status::Ok(); }
void UsePrivateUmask() {}
void IgnoreFileSizeSignal() {}

#endif

}  // namespace gocua
