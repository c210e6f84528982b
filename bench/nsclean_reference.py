"""Runs the reference NSClean (jwst 3.0.0 `clean_flicker_noise`, fit_method='fft') on a rate file.

usage: nsclean_reference.py INPUT OUTPUT RUNS
Times `do_correction` alone (reading and writing excluded, which favours the reference), prints the median
wall and CPU (process) times of RUNS runs as `reference_seconds=<wall> reference_cpu=<cpu>`, and the median
wall time of the same runs with the file's reading (`datamodels.open`) and the cleaned model's writing
(`save`, like ours to the output's folder) as `reference_io_seconds=<wall>`, the like-for-like figure to set
against ours, which always includes both. Writes the cleaned SCI of the last run to OUTPUT.
No CRDS access is needed for a rate file with mask_science_regions, apply_flat_field and autoparam off
(reference notes B.8).
"""
import os
import statistics
import sys
import time
import warnings

os.environ["STPIPE_DISABLE_CRDS_STEPPARS"] = "true"
warnings.filterwarnings("ignore")

import numpy as np
from astropy.io import fits
from stdatamodels.jwst import datamodels
from jwst.clean_flicker_noise.clean_flicker_noise import do_correction


def main():
    source, target, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    times, cpus, with_io = [], [], []
    saved = os.path.join(os.path.dirname(os.path.abspath(target)), "reference_cleaned.fits")
    for _ in range(runs):
        opened = time.perf_counter()
        model = datamodels.open(source)
        start, cpu = time.perf_counter(), time.process_time()
        result = do_correction(model, fit_method="fft", background_method="median", n_sigma=2.0)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        cleaned = result[0]
        cleaned.save(saved, overwrite=True)
        with_io.append(time.perf_counter() - opened)
        os.remove(saved)
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.asarray(cleaned.data, dtype=np.float32), name="SCI")]).writeto(target, overwrite=True)
    print(f"reference_seconds={statistics.median(times):.3f} reference_cpu={statistics.median(cpus):.3f} "
          f"reference_io_seconds={statistics.median(with_io):.3f}")


if __name__ == "__main__":
    main()
