"""Runs jwst 3.0.0's adaptive trace model (fit_and_oversample, the core of AdaptiveTraceModelStep) on a
simulated NIRSpec IFU _cal file, and writes its oversampled SCI and TRACEMODEL to an output FITS file.

The step itself cannot run on simulated files: it gets each pixel's along-slice coordinate (alpha) and the
oversampled coordinates only from the NIRSpec IFU gwcs (`nrs_ifu_wcs(model)`, built by assign_wcs from CRDS
reference files), and our simulated files carry no gwcs. So the three WCS accessors are replaced by the
simulator's exact along-slice coordinate (truth ALPHA, in native pixels; the reference uses alpha only through
ratios to its median pixel step, with 0 at the slice centre) and the WCS update is skipped. Everything else —
statistics, fits, compact-source test, oversampling, errors, DQ — is the reference code, unchanged.

usage: atm-reference.py CAL TRUTH OUT N [fit_threshold]
"""
import sys
import time
import warnings

import numpy as np
from astropy.io import fits

cal, truth, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
fit_threshold = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0

started = time.perf_counter()
from jwst.adaptive_trace_model import trace_model  # noqa: E402
from stdatamodels.jwst import datamodels  # noqa: E402

alpha = fits.getdata(truth, "ALPHA").astype(float)
wave = fits.getdata(cal, "WAVELENGTH").astype(float)


def oversampled_coords(_wcs, x_os, y_os):
    yn = np.clip(np.round(y_os).astype(int), 0, alpha.shape[0] - 1)
    xn = x_os.astype(int)
    centre = yn - alpha[yn, xn]
    return y_os - centre, wave[yn, xn]


trace_model.nrs_ifu_wcs = lambda model: None
trace_model._get_alpha_nrs_ifu = lambda wcs, xsize, ysize: alpha
trace_model._get_oversampled_coords_nrs_ifu = oversampled_coords
trace_model._update_wcs_nrs_ifu = lambda wcs, map_pixels: None

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    model = datamodels.IFUImageModel(cal)
    loaded = time.perf_counter()
    result = trace_model.fit_and_oversample(model, fit_threshold=fit_threshold, slope_limit=0.1,
                                            oversample_factor=float(n))
    done = time.perf_counter()
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(result.data.astype(np.float32), name="SCI"),
                  fits.ImageHDU(result.trace_model.astype(np.float32), name="TRACEMODEL")]).writeto(out, overwrite=True)
print(f"reference: import+load {loaded - started:.2f} s, fit_and_oversample {done - loaded:.2f} s, "
      f"total {time.perf_counter() - started:.2f} s")
