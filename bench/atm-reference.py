"""Runs jwst 3.0.0's adaptive trace model (fit_and_oversample, the core of AdaptiveTraceModelStep) on a
simulated NIRSpec IFU or MIRI MRS _cal file, and writes its oversampled SCI and TRACEMODEL to an output FITS file.

The step itself cannot run on simulated files: it gets each pixel's along-slice coordinate (alpha), the region
map (MIRI) and the oversampled coordinates only from the gwcs (built by assign_wcs from CRDS reference files),
and our simulated files carry no gwcs. So the WCS accessors are replaced by the simulator's exact along-slice
coordinate (truth ALPHA, in native pixels, increasing with the pixel index along the slice; the reference uses
alpha only through ratios to its median pixel step, with 0 at the slice centre), the MIRI region map is the
file's REGIONS, and the WCS update is skipped. Everything else — statistics, fits, compact-source test,
oversampling, errors, DQ — is the reference code, unchanged.

usage: atm-reference.py CAL TRUTH OUT N [fit_threshold]
"""
import sys
import time
import types
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
miri = fits.getheader(cal)["INSTRUME"].strip() == "MIRI"


def alpha_along(slice_pos, other, along_y):
    """Alpha at fractional positions along the slice (rows for NIRSpec, columns for MIRI), linear in the
    position inside the nearest native pixel, and the wavelength of that pixel."""
    n_along = alpha.shape[0] if along_y else alpha.shape[1]
    nearest = np.clip(np.round(slice_pos).astype(int), 0, n_along - 1)
    fixed = np.clip(np.asarray(other).astype(int), 0, (alpha.shape[1] if along_y else alpha.shape[0]) - 1)
    index = (nearest, fixed) if along_y else (fixed, nearest)
    centre = nearest - alpha[index]
    return slice_pos - centre, wave[index]


if miri:
    regions = fits.getdata(cal, "REGIONS").astype(np.int32)

    class SimulatedAlphaBeta:
        """detector -> alpha_beta: alpha (beta and lambda unused), and the slice map as its label mapper."""

        label_mapper = types.SimpleNamespace(mapper=regions)

        def __call__(self, x, y):
            a, _ = alpha_along(np.asarray(x, dtype=float), y, along_y=False)
            return a, np.full_like(a, np.nan), np.full_like(a, np.nan)

    class SimulatedMIRIWCS:
        """The two uses the reference makes of the MIRI gwcs: the alpha_beta transform and the wavelengths."""

        def get_transform(self, _from, _to):
            return SimulatedAlphaBeta()

        def __call__(self, x, y):
            _, w = alpha_along(np.asarray(x, dtype=float), y, along_y=False)
            return np.full_like(w, np.nan), np.full_like(w, np.nan), w

    trace_model._get_alpha_mir_mrs = lambda wcs, xsize, ysize: alpha
    trace_model._update_wcs = lambda wcs, map_pixels: None
else:
    trace_model.nrs_ifu_wcs = lambda model: None
    trace_model._get_alpha_nrs_ifu = lambda wcs, xsize, ysize: alpha
    trace_model._get_oversampled_coords_nrs_ifu = lambda _wcs, x_os, y_os: alpha_along(y_os, x_os, along_y=True)
    trace_model._update_wcs_nrs_ifu = lambda wcs, map_pixels: None

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    model = datamodels.IFUImageModel(cal)
    if miri:
        model.meta._instance["wcs"] = SimulatedMIRIWCS()
    loaded = time.perf_counter()
    result = trace_model.fit_and_oversample(model, fit_threshold=fit_threshold, slope_limit=0.1,
                                            oversample_factor=float(n))
    done = time.perf_counter()
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(result.data.astype(np.float32), name="SCI"),
                  fits.ImageHDU(result.trace_model.astype(np.float32), name="TRACEMODEL")]).writeto(out, overwrite=True)
print(f"reference: import+load {loaded - started:.2f} s, fit_and_oversample {done - loaded:.2f} s, "
      f"total {time.perf_counter() - started:.2f} s")
