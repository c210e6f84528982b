#include <cblas.h>
#include <lapacke.h>

/* OpenBLAS's own fork handler, exported by every pthread build but absent from cblas.h: it stops the worker
   threads, and the next call that wants threads starts them again. See BLASWorkers in Numerics. */
int blas_thread_shutdown_(void);
