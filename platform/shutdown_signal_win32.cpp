#include <windows.h>

#include <mutex>

#include "platform/shutdown_signal.h"

namespace gocua {
namespace {

// The installed callback, for the console handler. Null when no ShutdownSignal exists; the
// mutex lets the destructor wait for a call in progress.
std::mutex g_mutex;
std::function<void()>* g_on_signal = nullptr;

BOOL WINAPI OnConsoleEvent(DWORD) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_on_signal) return FALSE;  // the next handler (the default one ends the process)
  (*g_on_signal)();
  return TRUE;
}

}  // namespace

struct ShutdownSignal::Impl {
  std::function<void()> on_signal;
};

ShutdownSignal::ShutdownSignal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<ShutdownSignal>> ShutdownSignal::Install(std::function<void()> on_signal) {
  auto impl = std::make_unique<Impl>();
  impl->on_signal = std::move(on_signal);
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_on_signal = &impl->on_signal;
  }
  if (!SetConsoleCtrlHandler(OnConsoleEvent, TRUE)) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_on_signal = nullptr;
    return Status(ErrorCode::kIo, "could not install the console control handler (error " +
                                      std::to_string(GetLastError()) + ")");
  }
  return std::unique_ptr<ShutdownSignal>(new ShutdownSignal(std::move(impl)));
}

ShutdownSignal::~ShutdownSignal() {
  SetConsoleCtrlHandler(OnConsoleEvent, FALSE);
  std::lock_guard<std::mutex> lock(g_mutex);
  g_on_signal = nullptr;
}

}  // namespace gocua
