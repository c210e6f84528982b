"""Checks that simulated files open in jwst's datamodels as the real MAST files do, all in one process.

Usage: mast_layouts.py MANIFEST.json
  MANIFEST is a list of cases, one per file:
    {"path": ..., "class": "MultiSlitModel",          stdatamodels.open gives this class, and validate() warns nothing
     "arrays": ["dq", "err", ...],                     these arrays are present with the shape of `data`
     "absent": ["regions"],                            these arrays are not in the file
     "slits": ["S200A1", ...],                         a MultiSlitModel's slits, in order (arrays are checked per slit)
     "meta": {"meta.wcsinfo.v2_ref": 378.56, ...},     attributes (of the model, or of each slit for "slit.*"): the value,
                                                       compared to 1e-9 relative for numbers, or null for "present"
     "meta_absent": ["meta.instrument.fixed_slit"],    attributes that must not be set
     "refusal": "..."}                                 instead: opening must fail with this message (a layout
                                                       stdatamodels no longer reads)
  Prints one line per file and then "N files open as their model class"; exits non-zero after listing every failure.
"""
import json
import math
import sys
import warnings

from stdatamodels.jwst import datamodels


def attribute(node, path):
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def same(found, expected):
    if isinstance(expected, float) or isinstance(found, float):
        return isinstance(found, (int, float)) and math.isclose(found, expected, rel_tol=1e-9, abs_tol=1e-12)
    return found == expected


def check_arrays(owner, label, case, problems):
    if not case.get("arrays") and not case.get("absent"):
        return
    shape = owner.data.shape
    for name in case.get("arrays", []):
        # hasattr first: reading an attribute the file lacks makes a default array of it.
        if not owner.hasattr(name):
            problems.append(f"{label}: no {name}")
            continue
        array = getattr(owner, name)
        if array.dtype.names is not None:  # a table (INT_TIMES): present is all its layout asks
            continue
        if name != "con" and array.shape != shape:
            problems.append(f"{label}: {name} {array.shape} != data {shape}")
        elif name == "con" and array.shape[-2:] != shape[-2:]:
            problems.append(f"{label}: con {array.shape} does not cover data {shape}")
    for name in case.get("absent", []):
        if owner.hasattr(name):
            problems.append(f"{label}: has {name}, which the layout lacks")


def check_meta(model, label, case, problems):
    found = {}
    for path, expected in case.get("meta", {}).items():
        owners = model.slits if path.startswith("slit.") else [model]
        key = path[len("slit."):] if path.startswith("slit.") else path
        for index, owner in enumerate(owners):
            value = attribute(owner, key)
            where = f"{label} {path}" + (f"[{index}]" if path.startswith("slit.") else "")
            if value is None:
                problems.append(f"{where} is not set")
            elif expected is not None and not same(value, expected):
                problems.append(f"{where} = {value!r}, expected {expected!r}")
            found[path] = value
    for path in case.get("meta_absent", []):
        if attribute(model, path) is not None:
            problems.append(f"{label} {path} = {attribute(model, path)!r}, expected nothing")
    return found


def check(case, problems):
    label = case["path"].rsplit("/", 1)[-1]
    if case.get("refusal"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                datamodels.open(case["path"]).close()
        except Exception as error:
            if case["refusal"] not in str(error):
                problems.append(f"{label}: refused with {error!r}, expected {case['refusal']!r}")
            print(f"{label}: refused as expected ({type(error).__name__}: {error})")
            return
        problems.append(f"{label}: opened, but stdatamodels refuses this layout")
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with datamodels.open(case["path"]) as model:
            kind = type(model).__name__
            model.validate()
            if kind != case["class"]:
                problems.append(f"{label}: opened as {kind}, expected {case['class']}")
                return
            if "slits" in case:
                names = [slit.name for slit in model.slits]
                if names != case["slits"]:
                    problems.append(f"{label}: slits {names}, expected {case['slits']}")
                for slit in model.slits:
                    check_arrays(slit, f"{label} slit {slit.name}", case, problems)
            else:
                check_arrays(model, label, case, problems)
            found = check_meta(model, label, case, problems)
            owner = model.slits[0] if "slits" in case else model
            shape = owner.data.shape if owner.hasattr("data") else "(no data array)"
    warned = [f"{type(w.message).__name__}: {w.message}" for w in caught
              if "ValidationWarning" in type(w.message).__name__ or "validat" in str(w.message).lower()]
    problems.extend(f"{label}: {w}" for w in warned)
    print(f"{label}: {kind} {shape} " + " ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in found.items()))


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    problems = []
    for case in cases:
        try:
            check(case, problems)
        except Exception as error:  # a file that does not open at all is one more problem to list
            problems.append(f"{case['path'].rsplit('/', 1)[-1]}: {type(error).__name__}: {error}")
    for problem in problems:
        print(f"FAILED {problem}")
    if problems:
        sys.exit(1)
    print(f"{len(cases)} files open as their model class")
