"""ASDF-in-FITS checks the Swift tests run with the jwst environment (CRDS offline).

Subcommands (each prints what it found and exits non-zero on a failed check):
  same-tree ORIGINAL WRITTEN   the ASDF trees of two FITS files load with asdf, every block-stored array is
                               equal, and the gwcs at meta.wcs (when there is one) gives the same values
  open-model PATH CLASS        stdatamodels opens PATH as CLASS and validate() passes with no warning
  resave IN OUT                datamodels.open(IN).save(OUT), as a user re-saving a product would
  step-by-name PATH            a jwst step called on the file name gets past reading the file
"""
import sys
import warnings

import numpy as np


def asdf_tree(path):
    """The ASDF file of a FITS file's ASDF extension, its FITS array references resolved as stdatamodels does."""
    from astropy.io import fits
    from stdatamodels import fits_support

    return fits_support.from_fits_asdf(fits.open(path))


def same_tree(original, written):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = asdf_tree(original)
        b = asdf_tree(written)
    blocks_a = [np.asarray(a._blocks.blocks[i].data) for i in range(len(a._blocks.blocks))]
    blocks_b = [np.asarray(b._blocks.blocks[i].data) for i in range(len(b._blocks.blocks))]
    assert len(blocks_a) == len(blocks_b), f"{len(blocks_a)} blocks became {len(blocks_b)}"
    for i, (x, y) in enumerate(zip(blocks_a, blocks_b)):
        assert x.tobytes() == y.tobytes(), f"block {i} differs"
    same_gwcs(a.tree.get("meta", {}).get("wcs"), b.tree.get("meta", {}).get("wcs"), "meta.wcs")
    slits_a, slits_b = a.tree.get("slits", []), b.tree.get("slits", [])
    assert len(slits_a) == len(slits_b), f"{len(slits_a)} slits became {len(slits_b)}"
    for i, (x, y) in enumerate(zip(slits_a, slits_b)):
        same_gwcs(x.get("meta", {}).get("wcs"), y.get("meta", {}).get("wcs"), f"slit {i} gwcs")
    print(f"{len(blocks_b)} blocks identical; filename {b.tree.get('meta', {}).get('filename')}")


def same_gwcs(wcs_a, wcs_b, label):
    """Both absent, or both gwcs objects with the same frames giving the same values on a grid of pixels."""
    assert (wcs_a is None) == (wcs_b is None), f"{label} lost or gained"
    if wcs_a is None:
        return
    assert type(wcs_b).__name__ == "WCS", f"{label} reads back as {type(wcs_b).__name__}"
    assert wcs_a.available_frames == wcs_b.available_frames, (wcs_a.available_frames, wcs_b.available_frames)
    x, y = np.meshgrid(np.arange(0, 300, 7.5), np.arange(0, 30, 1.5))
    ra, rb = wcs_a(x, y), wcs_b(x, y)
    for u, v in zip(np.atleast_1d(ra) if not isinstance(ra, tuple) else ra, rb):
        assert np.array_equal(np.asarray(u), np.asarray(v), equal_nan=True), f"{label} evaluates differently"
    print(f"{label} frames {wcs_b.available_frames} evaluate identically")


def open_model(path, expected):
    from stdatamodels.jwst import datamodels

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with datamodels.open(path) as model:
            name = type(model).__name__
            model.validate()
            filename = model.meta.filename
    relevant = [str(w.message) for w in caught if "ValidationWarning" in type(w.message).__name__
                or "validat" in str(w.message).lower()]
    print(f"class {name}; meta.filename {filename}; validation warnings {relevant}")
    assert name == expected, f"opened as {name}, expected {expected}"
    assert not relevant, relevant


def resave(source, target):
    from stdatamodels.jwst import datamodels

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with datamodels.open(source) as model:
            model.save(target)
    print(f"saved {target}")


def step_by_name(path):
    from jwst.pixel_replace import PixelReplaceStep

    result = PixelReplaceStep.call(path, skip=False, save_results=False)
    print(f"pixel_replace ran on the file name: {type(result).__name__}, status "
          f"{result.meta.cal_step.pixel_replace}")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"same-tree": same_tree, "open-model": open_model, "resave": resave, "step-by-name": step_by_name}[command](*arguments)
