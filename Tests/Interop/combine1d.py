"""jwst's Combine1dStep as a Webbflow external step: combine1d.py OUTDIR X1D... writes OUTDIR/<stem>_c1d.fits.

Each input is a multi-spectrum (x1d) model; all of them go into one container, so the spectra of every dither
and every input are combined into one spectrum, named after the first input.
"""
import os
import sys

from jwst.combine_1d import Combine1dStep
from jwst.datamodels import ModelContainer
from stdatamodels.jwst import datamodels

outdir, inputs = sys.argv[1], sys.argv[2:]
container = ModelContainer([datamodels.open(path) for path in inputs])
result = Combine1dStep.call(container)
stem = os.path.basename(inputs[0]).rsplit("_", 1)[0]
result.save(os.path.join(outdir, f"{stem}_c1d.fits"))
print(f"combined {len(inputs)} file(s) into {stem}_c1d.fits: {result.meta.cal_step.combine_1d}")
