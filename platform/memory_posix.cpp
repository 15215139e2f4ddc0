#include <cstdlib>  // any C library header: it defines __GLIBC__ when the library is glibc

#include "platform/memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace gocua {

bool ReturnFreeHeapToOs() {
#if defined(__GLIBC__)
  // 0: keep no slack at the top of the heap; glibc also releases whole free pages inside each
  // arena (madvise), which is where most of a freed page cache sits.
  return malloc_trim(0) == 1;
#else
  return false;  // other C libraries (musl, macOS) return large frees by themselves
#endif
}

}  // namespace gocua
