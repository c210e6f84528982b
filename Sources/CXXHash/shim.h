#include <xxhash.h>
#if defined(__x86_64__)
/* The library picks SSE2, AVX2 or AVX-512 at run time in these entry points. */
#include <xxh_x86dispatch.h>
#endif
