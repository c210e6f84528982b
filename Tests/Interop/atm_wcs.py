"""Compares the gwcs of Webbflow's `_atm.fits` with jwst 3.0's own adaptive_trace_model product made from the
same `_cal` file, and checks that jwst's cube_build accepts Webbflow's product.

  python atm_wcs.py OURS_atm.fits JWST_atm.fits CAL.fits N [--cubepar CUBEPAR.fits]

Prints one JSON object with what it measured; the Swift test decides what passes:
  model, warnings              class datamodels.open gives our product, and every warning open and validate raised
  frames / jwst_frames         the frames of each gwcs
  bounding_box / jwst_bounding_box
  coordinates_vs_jwst_px       max |coordinates->detector| difference, ours vs jwst's, over every oversampled pixel
  coordinates_vs_truth_px      the same against the mapping jwst documents: native = os / N - (N - 1) / (2 N) along
                               the slice axis (then the input's own coordinates->detector, where it has one)
  world_vs_jwst                max differences of meta.wcs(x, y) over a grid of oversampled pixels: sky in arcsec,
                               wavelength in um, and how many pixels are finite in one product and not the other
  cube / jwst_cube             cube_build by file name (band cubes): shape and finite fraction, or the error
"""
import argparse, json, warnings
import numpy as np
from stdatamodels.jwst import datamodels

ap = argparse.ArgumentParser()
ap.add_argument("ours")
ap.add_argument("jwst")
ap.add_argument("cal")
ap.add_argument("n", type=float)
ap.add_argument("--cubepar")
a = ap.parse_args()
report = {}

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ours = datamodels.open(a.ours)
    ours.validate()
report["model"] = type(ours).__name__
report["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
ref = datamodels.open(a.jwst)
cal = datamodels.open(a.cal)
report["frames"] = ours.meta.wcs.available_frames
report["jwst_frames"] = ref.meta.wcs.available_frames


def boxes(wcs):
    box = wcs.bounding_box
    if box is None:
        return None
    # NIRSpec's coordinate-based WCS keeps one box per slice.
    if hasattr(box, "bounding_boxes"):
        return {str(k): [list(map(float, i)) for i in v.intervals.values()] for k, v in box.bounding_boxes.items()}
    return [list(map(float, i)) for i in box.intervals.values()]


report["bounding_box"] = boxes(ours.meta.wcs)
report["jwst_bounding_box"] = boxes(ref.meta.wcs)

ny, nx = ours.data.shape
miri = str(ours.meta.instrument.detector).upper().startswith("MIR")
y, x = np.mgrid[:ny, :nx].astype(float)


def coordinates_to_detector(model, xs, ys):
    out = model.meta.wcs.get_transform("coordinates", "detector")(xs, ys)
    return np.array(out[:2])


def max_difference(p, q):
    both = np.isfinite(p) & np.isfinite(q)
    mismatch = int((np.isfinite(p) != np.isfinite(q)).sum())
    return float(np.abs(p[both] - q[both]).max()) if both.any() else None, mismatch


ours_det = coordinates_to_detector(ours, x, y)
ref_det = coordinates_to_detector(ref, x, y)
report["coordinates_vs_jwst_px"], report["coordinates_nan_mismatch"] = max_difference(ours_det, ref_det)

# The mapping jwst documents, applied along the slice axis (x for MIRI, y for NIRSpec).
n = a.n
native = lambda v: v / n - (n - 1) / (2 * n)
tx, ty = (native(x), y) if miri else (x, native(y))
if "coordinates" in cal.meta.wcs.available_frames:
    truth = coordinates_to_detector(cal, tx, ty)
else:
    truth = np.array([tx, ty])
report["coordinates_vs_truth_px"], report["truth_nan_mismatch"] = max_difference(ours_det, truth)

# World coordinates on a grid that samples every phase of the oversampling (steps prime to N).
gy, gx = np.mgrid[0:ny:5, 0:nx:7].astype(float)
w_ours = ours.meta.wcs(gx, gy)
w_ref = ref.meta.wcs(gx, gy)
cosdec = np.cos(np.deg2rad(np.nanmedian(w_ref[1])))
sky_ra, ra_mismatch = max_difference(w_ours[0] * cosdec * 3600, w_ref[0] * cosdec * 3600)
sky_dec, _ = max_difference(w_ours[1] * 3600, w_ref[1] * 3600)
wave, wave_mismatch = max_difference(w_ours[2], w_ref[2])
report["world_vs_jwst"] = {
    "points": int(gx.size),
    "finite": int(np.isfinite(w_ours[2]).sum()),
    "ra_arcsec": sky_ra,
    "dec_arcsec": sky_dec,
    "wavelength_um": wave,
    "nan_mismatch": ra_mismatch + wave_mismatch,
}


def cube(path):
    from jwst.cube_build import CubeBuildStep

    try:
        cubes = CubeBuildStep.call(path, override_cubepar=a.cubepar, output_type="band")
        c = cubes[0]
        return {"shape": list(c.data.shape), "finite": float(np.isfinite(c.data).mean())}
    except Exception as e:  # the failure itself is the result to report
        return {"error": f"{type(e).__name__}: {e}"}


if a.cubepar:
    report["cube"] = cube(a.ours)
    report["jwst_cube"] = cube(a.jwst)
print(json.dumps(report))
