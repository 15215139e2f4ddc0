#include <pthread.h>
#include <signal.h>

#include <thread>

#include "platform/termination.h"

namespace gocua {

void HandleTerminationRequests(std::function<void()> on_request) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, fn = std::move(on_request)] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) == 0) fn();
    }
  }).detach();
}

}  // namespace gocua
