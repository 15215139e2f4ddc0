#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "platform/open_folder.h"

extern char** environ;

namespace gocua {

Status OpenFolder(const std::string& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    return Status(ErrorCode::kNotFound, "Không có thư mục " + folder + " — no such folder");
  const char* env = std::getenv("GOCUA_OPENER");
  std::string opener = env && *env ? env : "xdg-open";
  std::string arg = folder;
  char* argv[] = {opener.data(), arg.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, opener.c_str(), nullptr, nullptr, argv, environ);
  if (rc != 0) {
    return Status(ErrorCode::kIo, "Không mở được thư mục: " + opener + ": " + std::strerror(rc) +
                                      " — cannot start the file manager");
  }
  // xdg-open hands the folder to the desktop and exits; reap it without making the UI wait.
  std::thread([pid] {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }).detach();
  return Status::Ok();
}

}  // namespace gocua
