"""IFU cube checks the fusion tests run with the jwst environment (CRDS offline).

Usage: s3d_checks.py PATH [--model-only]

Prints one JSON object describing what each package made of PATH:
  model       stdatamodels' class for it, validate() warnings, and whether SCI/ERR/DQ/WMAP as the model reads
              them equal the raw FITS arrays (NaN equal to NaN), with their sums for the caller to compare
  spectral    the spectral axis the model's WCS-TABLE and SCI header give (first, last value, count, unit)
  specutils   Spectrum(1D).read(PATH) with no format argument: the format it identified, its spectral axis
  cubeviz     jdaviz Cubeviz().load_data(PATH) headless: ok, or the error
With --model-only the specutils and Cubeviz checks are left out (for input cubes). Exits 0; the caller judges.
"""
import json
import sys
import traceback
import warnings

import numpy as np


def raw_arrays(path):
    from astropy.io import fits

    with fits.open(path) as hdul:
        return {name: np.array(hdul[name].data) for name in ("SCI", "ERR", "DQ", "WMAP") if name in hdul}


def same(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def model_checks(path):
    from stdatamodels.jwst import datamodels

    result = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = datamodels.open(path)
        result["class"] = type(model).__name__
        model.validate()
    result["warnings"] = [str(w.message) for w in caught if "validat" in str(w.message).lower() or issubclass(w.category, UserWarning)]
    raw = raw_arrays(path)
    attributes = {"SCI": "data", "ERR": "err", "DQ": "dq", "WMAP": "weightmap"}
    result["equal"] = {name: same(getattr(model, attributes[name]), raw[name]) for name in raw}
    result["sums"] = {name: float(np.nansum(np.asarray(raw[name], dtype=np.float64))) for name in raw}
    result["dtypes"] = {name: np.asarray(getattr(model, attributes[name])).dtype.name for name in raw}
    wcsinfo = model.meta.wcsinfo
    table = model.wavetable["wavelength"] if model.wavetable is not None and len(model.wavetable) else None
    if wcsinfo.ctype3 == "WAVE":
        n = model.data.shape[0]
        values = wcsinfo.crval3 + (np.arange(n) + 1 - wcsinfo.crpix3) * wcsinfo.cdelt3
    else:
        values = np.asarray(table).ravel()
    result["spectral"] = {"ctype3": wcsinfo.ctype3, "cunit3": wcsinfo.cunit3, "first": float(values[0]),
                          "last": float(values[-1]), "count": int(len(values))}
    if table is not None:
        result["wavetable_shape"] = list(np.asarray(table).shape)
        result["wavetable_first"] = float(np.asarray(table).ravel()[0])
    result["filename"] = model.meta.filename
    model.close()
    return result


def specutils_checks(path):
    try:
        from specutils import Spectrum
    except ImportError:
        from specutils import Spectrum1D as Spectrum
    from astropy.io import registry

    formats = registry.identify_format("read", Spectrum, path, None, [], {})
    spectrum = Spectrum.read(path)
    axis = spectrum.spectral_axis
    return {"formats": formats, "first": float(axis[0].value), "last": float(axis[-1].value),
            "count": int(len(axis)), "unit": str(axis.unit), "flux_shape": list(spectrum.flux.shape),
            "flux_unit": str(spectrum.flux.unit), "has_uncertainty": spectrum.uncertainty is not None}


def cubeviz_checks(path):
    from jdaviz import Cubeviz

    viz = Cubeviz()
    viz.load_data(path)
    return {"data": [d.label for d in viz.app.data_collection]}


def attempt(name, check, path, report):
    try:
        report[name] = check(path)
    except Exception as error:  # the caller wants to know why, not a traceback abort
        report[name] = {"error": f"{type(error).__name__}: {error}",
                        "where": traceback.format_exc(limit=-3).splitlines()[-3:]}


def main():
    path = sys.argv[1]
    report = {}
    attempt("model", model_checks, path, report)
    if "--model-only" not in sys.argv:
        attempt("specutils", specutils_checks, path, report)
        attempt("cubeviz", cubeviz_checks, path, report)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
