#include <fitsio.h>
/* fits_open_file is a function-like macro (it passes the library version); Swift needs a real function. */
static inline int cfitsio_open_file(fitsfile **f, const char *name, int mode, int *status)
{ return fits_open_file(f, name, mode, status); }
