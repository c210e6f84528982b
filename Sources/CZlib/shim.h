#include <zlib.h>
/* inflateInit2 is a macro Swift cannot import; window bits 15 + 32 accept gzip and zlib headers. */
static inline int czlib_inflate_init_gzip(z_streamp stream) { return inflateInit2(stream, 15 + 32); }
