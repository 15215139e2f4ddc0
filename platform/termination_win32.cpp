#include <windows.h>

#include "platform/termination.h"

namespace gocua {
namespace {

std::function<void()>* g_on_request = nullptr;

BOOL WINAPI OnConsoleEvent(DWORD) {
  if (g_on_request) (*g_on_request)();
  return TRUE;
}

}  // namespace

void HandleTerminationRequests(std::function<void()> on_request) {
  g_on_request = new std::function<void()>(std::move(on_request));  // lives as long as the process
  SetConsoleCtrlHandler(OnConsoleEvent, TRUE);
}

}  // namespace gocua
