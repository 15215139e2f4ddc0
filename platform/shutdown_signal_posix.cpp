#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "platform/shutdown_signal.h"

namespace gocua {
namespace {

// The pipe's write end, for the signal handler. -1 when no ShutdownSignal exists.
volatile std::sig_atomic_t g_pipe_write = -1;

constexpr char kSignalByte = 's';
constexpr char kQuitByte = 'q';

extern "C" void OnShutdownSignal(int) {
  const int saved_errno = errno;
  const int fd = g_pipe_write;
  if (fd >= 0) {
    // A full pipe means a signal is pending already; dropping this byte loses nothing.
    [[maybe_unused]] ssize_t n = write(fd, &kSignalByte, 1);
  }
  errno = saved_errno;
}

}  // namespace

struct ShutdownSignal::Impl {
  int read_fd = -1, write_fd = -1;
  struct sigaction old_term {
  }, old_int{}, old_pipe{};
  std::thread watcher;
};

ShutdownSignal::ShutdownSignal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<ShutdownSignal>> ShutdownSignal::Install(std::function<void()> on_signal) {
  auto impl = std::make_unique<Impl>();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return Status(ErrorCode::kIo,
                  std::string("could not make a pipe for signals: ") + std::strerror(errno));
  impl->read_fd = fds[0];
  impl->write_fd = fds[1];
  fcntl(impl->write_fd, F_SETFL, O_NONBLOCK);
  g_pipe_write = impl->write_fd;

  struct sigaction sa {};
  sa.sa_handler = OnShutdownSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &sa, &impl->old_term);
  sigaction(SIGINT, &sa, &impl->old_int);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &impl->old_pipe);

  impl->watcher = std::thread([fd = impl->read_fd, on_signal = std::move(on_signal)] {
    for (;;) {
      char c = 0;
      const ssize_t n = read(fd, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || c == kQuitByte) return;
      on_signal();
    }
  });
  return std::unique_ptr<ShutdownSignal>(new ShutdownSignal(std::move(impl)));
}

ShutdownSignal::~ShutdownSignal() {
  sigaction(SIGTERM, &impl_->old_term, nullptr);
  sigaction(SIGINT, &impl_->old_int, nullptr);
  sigaction(SIGPIPE, &impl_->old_pipe, nullptr);
  g_pipe_write = -1;
  // The write end is non-blocking; retry until the quit byte is in the pipe.
  while (write(impl_->write_fd, &kQuitByte, 1) != 1 && (errno == EINTR || errno == EAGAIN))
    std::this_thread::yield();
  impl_->watcher.join();
  close(impl_->read_fd);
  close(impl_->write_fd);
}

}  // namespace gocua
