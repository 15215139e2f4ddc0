#pragma once
// Giving freed memory back to the operating system. The C heap keeps what a program frees for
// its next allocations; after a burst (a dashboard, a big page of rows) that can be tens of
// megabytes nobody uses until the next burst. Implemented in memory_posix.cpp (glibc's
// malloc_trim; nothing elsewhere) and memory_win32.cpp (the CRT's _heapmin).
//
// Threading: any thread; it walks every heap arena, a millisecond or so. Call it when the app
// has gone quiet, not per frame.
namespace gocua {

// Hands the heap's free pages back to the OS. True when the OS got any back (when the C
// library says so; where it cannot tell, false).
bool ReturnFreeHeapToOs();

}  // namespace gocua
