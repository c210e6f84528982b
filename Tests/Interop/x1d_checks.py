"""Checks that an x1d product is what jwst 3.0 reads it as: the right datamodel, no validation warning, every
EXTRACT1D column read back by name as it was written (and unchanged by a datamodels re-save), Combine1dStep by
file name, specutils without a format argument and jdaviz's Specviz. Prints one line per check; exits 1 on any
failure.

Usage: x1d_checks.py X1D
"""
import os
import sys
import tempfile
import warnings

import numpy as np
from astropy.io import fits

path = sys.argv[1]
failures = []


def check(condition, message):
    print(("ok: " if condition else "FAIL: ") + message)
    if not condition:
        failures.append(message)


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return np.array_equal(a.astype(float), b.astype(float), equal_nan=True)
    return np.array_equal(a, b)


def check_layout():
    from stdatamodels.jwst import datamodels
    from stdatamodels.jwst.datamodels import SpecModel

    expected = [field[0].upper() for field in SpecModel().get_dtype("spec_table").descr]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = datamodels.open(path)
        model.validate()
    check(type(model).__name__ == "MultiSpecModel", f"datamodels.open gives {type(model).__name__}")
    check(not caught, "open and validate warn nothing" + "".join(f"\n    {w.category.__name__}: {w.message}" for w in caught))
    with fits.open(path) as hdus:
        raw = [hdu for hdu in hdus if hdu.name == "EXTRACT1D"]
        check(len(raw) == len(model.spec) and len(raw) > 0, f"{len(raw)} EXTRACT1D extension(s), {len(model.spec)} spectra in the model")
        for hdu, spec in zip(raw, model.spec):
            version = hdu.header.get("EXTVER", 1)
            check(hdu.columns.names == expected, f"EXTRACT1D {version}: columns in jwst's order {hdu.columns.names}")
            table = spec.spec_table
            for name in expected:
                if name in hdu.columns.names:
                    check(same(table[name], hdu.data[name]), f"EXTRACT1D {version}: {name} reads back as written")
            check(spec.name == hdu.header.get("SLTNAME"), f"EXTRACT1D {version}: slit name {spec.name}")
            check(spec.source_type == hdu.header.get("SRCTYPE"), f"EXTRACT1D {version}: source type {spec.source_type}")
        flux_unit = model.spec[0].spec_table.columns["FLUX"].unit
        check(str(flux_unit) == "Jy", f"FLUX unit {flux_unit}")
        with tempfile.TemporaryDirectory() as folder:
            resaved = os.path.join(folder, "resaved_x1d.fits")
            model.save(resaved)
            with fits.open(resaved) as again:
                spectra = [h for h in again if h.name == "EXTRACT1D"]
                kept = len(spectra) == len(raw) and all(
                    same(a.data[name], b.data[name]) for a, b in zip(raw, spectra) for name in expected
                )
                check(kept, "re-saved by datamodels, every EXTRACT1D column is unchanged")
    return model


def check_ecosystem(model):
    from jwst.combine_1d import Combine1dStep

    combined = Combine1dStep.call(path)
    table = combined.spec[0].spec_table
    ours = model.spec[0].spec_table
    usable = (ours["DQ"] & 1) == 0
    used = table["N_INPUT"] > 0
    theirs = np.interp(ours["WAVELENGTH"][usable], table["WAVELENGTH"][used], table["FLUX"][used])
    relative = np.max(np.abs(theirs - ours["FLUX"][usable]) / np.max(np.abs(ours["FLUX"][usable])))
    # One spectrum combined with itself: on the input's own grid the flux comes back unchanged up to rounding.
    check(relative < 1e-9, f"Combine1dStep.call(path) flux matches ours (largest difference {relative:.1e} of the peak)")

    try:
        from specutils import Spectrum
    except ImportError:
        from specutils import Spectrum1D as Spectrum
    spectrum = Spectrum.read(path)
    check(str(spectrum.spectral_axis.unit) == "um", f"specutils without a format: spectral axis in {spectrum.spectral_axis.unit}")
    check(str(spectrum.flux.unit) == "Jy", f"specutils without a format: flux in {spectrum.flux.unit}")
    check(same(spectrum.flux.value.ravel()[: len(ours)], ours["FLUX"]), "specutils flux equals FLUX")

    from jdaviz import Specviz

    viz = Specviz()
    viz.load_data(path)
    check(len(viz.data_labels) > 0, f"Specviz().load_data: loaded {viz.data_labels}")


try:
    check_ecosystem(check_layout())
except Exception as error:  # a reader that raises is a failed check, reported with its message
    import traceback

    traceback.print_exc()
    failures.append(f"{type(error).__name__}: {error}")
sys.exit(1 if failures else 0)
