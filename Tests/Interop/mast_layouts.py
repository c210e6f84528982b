"""Checks that simulated MAST layouts open in jwst's datamodels as the real files do.

Usage: mast_layouts.py multislit CAL SLTNAME...
  stdatamodels opens CAL as a MultiSlitModel whose validate() raises no warning; its slits are SLTNAME... in
  order, each slit's data, dq, err, wavelength and var_* arrays have the slit's shape, and the slit keywords
  (source_id, source_type, slitlet_id) and the nod subtraction status read back. Prints one line per slit; exits
  non-zero on a failed check.
Usage: mast_layouts.py single CAL CLASS [SLTNAME]
  stdatamodels opens CAL as CLASS (SlitModel, ImageModel) whose validate() raises no warning; data, dq, err,
  wavelength and var_* have one shape, the dispersion axis reads back, and for a SlitModel the slit is SLTNAME.
"""
import sys
import warnings

from stdatamodels.jwst import datamodels


def multislit(path, names):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with datamodels.open(path) as model:
            kind = type(model).__name__
            model.validate()
            assert kind == "MultiSlitModel", f"opened as {kind}"
            found = [slit.name for slit in model.slits]
            assert found == names, f"slits {found}, expected {names}"
            for slit in model.slits:
                shape = slit.data.shape
                for array in ("dq", "err", "wavelength", "var_poisson", "var_rnoise", "var_flat"):
                    assert getattr(slit, array).shape == shape, f"{slit.name} {array} {getattr(slit, array).shape} != {shape}"
                assert slit.source_id > 0 and slit.source_type in ("POINT", "EXTENDED"), slit.name
                print(f"slit {slit.name} {shape} source {slit.source_id} {slit.source_type} unit {slit.meta.bunit_data}")
            print(f"subarray {model.meta.subarray.name}; bkg_subtract {model.meta.cal_step.bkg_subtract}")
    relevant = [str(w.message) for w in caught if "validat" in str(w.message).lower()]
    assert not relevant, f"validation warnings: {relevant}"
    print(f"class {kind}; {len(names)} slits")


def single(path, expected, names):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with datamodels.open(path) as model:
            kind = type(model).__name__
            model.validate()
            assert kind == expected, f"opened as {kind}, expected {expected}"
            shape = model.data.shape
            for array in ("dq", "err", "wavelength", "var_poisson", "var_rnoise", "var_flat"):
                assert getattr(model, array).shape == shape, f"{array} {getattr(model, array).shape} != {shape}"
            dispaxis = model.meta.wcsinfo.dispersion_direction
            assert dispaxis in (1, 2), f"dispersion_direction {dispaxis}"
            if names:
                assert model.name == names[0], f"slit {model.name}, expected {names[0]}"
            print(f"data {shape}; dispersion axis {dispaxis}; exp_type {model.meta.exposure.type}")
    relevant = [str(w.message) for w in caught if "validat" in str(w.message).lower()]
    assert not relevant, f"validation warnings: {relevant}"
    print(f"class {kind}")


if __name__ == "__main__":
    if sys.argv[1] == "multislit":
        multislit(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "single":
        single(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(f"unknown check {sys.argv[1]}")
