#include <malloc.h>

#include "platform/memory.h"

namespace gocua {

bool ReturnFreeHeapToOs() {
  _heapmin();  // returns 0 on success, which does not say whether anything was released
  return false;
}

}  // namespace gocua
