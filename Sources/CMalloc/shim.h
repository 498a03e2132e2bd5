// CMalloc: glibc's allocator controls as seen from Swift. Only SQLiteBulk imports this module (rule 2, Sources/README.md).
#ifndef GUICHET_CMALLOC_SHIM_H
#define GUICHET_CMALLOC_SHIM_H

#include <malloc.h>

// Swift's Glibc module does not export <malloc.h>'s malloc_trim. glibc's manual page, malloc_trim(3): "the
// malloc_trim() function attempts to release free memory from the heap (by calling sbrk(2) or madvise(2) with
// suitable arguments)"; since glibc 2.8 it "releases memory in all arenas and in all chunks with whole free pages".
// Returns 1 if memory was released to the system, 0 otherwise.
static inline int guichet_malloc_trim(void) {
#ifdef __GLIBC__
    return malloc_trim(0);
#else
    return 0;
#endif
}

#endif
