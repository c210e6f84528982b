"""Opens Webbflow products the way an astronomer's next tool does and reports, per product, as JSON:
the stdatamodels model class, every warning raised while opening and validating, and every array or table
column that stdatamodels reads back differently from the bytes in the file (compared with astropy, HDU by
HDU, by the schema's own FITS mapping), plus whether the file carries an ASDF extension.

  python product_checks.py --json OUT.json PRODUCT.fits...   (the tests)
  python product_checks.py PRODUCT.fits...                    (a verdict per product, for people)
"""
import json
import sys
import warnings

import numpy as np
from astropy.io import fits
from stdatamodels.jwst import datamodels


def schema_arrays(schema):
    """(attribute path, FITS EXTNAME, is a table) for every array the schema maps to a FITS HDU; '[]' marks a list."""
    found = []

    def walk(node, path):
        if not isinstance(node, dict):
            return
        if "fits_hdu" in node and ("ndim" in node or "datatype" in node):
            found.append((path, node["fits_hdu"], isinstance(node.get("datatype"), list)))
        for key, value in node.items():
            if key == "properties":
                for name, child in value.items():
                    walk(child, path + [name])
            elif key in ("allOf", "anyOf", "oneOf"):
                for child in value:
                    walk(child, path)
            elif key == "items" and isinstance(value, dict):
                walk(value, path + ["[]"])

    walk(schema, [])
    return found


def resolve(model, path):
    """The model's values at `path`, one per list item: [(EXTVER, value)]."""
    nodes = [(1, model)]
    for part in path:
        if part == "[]":
            nodes = [(i + 1, item) for _, node in nodes for i, item in enumerate(node)]
        else:
            nodes = [(ver, getattr(node, part, None)) for ver, node in nodes]
    return nodes


def differences(expected, actual):
    """Why `actual` (from the model) is not the file's `expected`, or None when they are equal."""
    if expected.dtype.names:
        problems = []
        actual_names = list(actual.dtype.names or [])
        for name in expected.dtype.names:
            if name not in actual_names:
                problems.append(f"column {name} missing")
                continue
            e, a = np.asarray(expected[name]), np.asarray(actual[name])
            if e.shape != a.shape or not np.array_equal(e.astype(float) if e.dtype.kind in "fiu" else e,
                                                        a.astype(float) if a.dtype.kind in "fiu" else a,
                                                        equal_nan=e.dtype.kind == "f"):
                problems.append(f"column {name} differs")
        if actual_names[: len(expected.dtype.names)] != list(expected.dtype.names):
            problems.append(f"column order {list(expected.dtype.names)} read as {actual_names}")
        return "; ".join(problems) or None
    actual = np.asarray(actual)
    if expected.shape != actual.shape:
        return f"shape {expected.shape} read as {actual.shape}"
    if not np.array_equal(expected, actual, equal_nan=expected.dtype.kind == "f"):
        return "values differ"
    return None


def check(path):
    report = {"path": path, "warnings": [], "mismatches": [], "unmapped": []}
    with fits.open(path) as hdul:
        names = [(h.name, h.ver) for h in hdul]
        report["asdf"] = any(name == "ASDF" for name, _ in names)
        raw = {(h.name, h.ver): (h.data.copy() if h.data is not None else None) for h in hdul[1:] if h.name != "ASDF"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = datamodels.open(path)
        except Exception as error:  # the verdict is the point: report it, do not stop the other products
            report["error"] = f"open: {type(error).__name__}: {error}"
            return report
        report["model"] = type(model).__name__
        try:
            model.validate()
        except Exception as error:
            report["error"] = f"validate: {type(error).__name__}: {error}"
        mapped = set()
        for attribute, extname, _ in schema_arrays(model.schema):
            for version, value in resolve(model, attribute):
                key = (extname, version)
                if key not in raw or raw[key] is None:
                    continue
                mapped.add(key)
                problem = "not read" if value is None else differences(raw[key], value)
                if problem:
                    report["mismatches"].append(f"{extname},{version} -> {'.'.join(attribute)}: {problem}")
        report["unmapped"] = [f"{n},{v}" for (n, v) in raw if (n, v) not in mapped]
        model.close()
    report["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    return report


def verdict(report):
    """One paragraph a person reads: what the product opens as, and what would stop jwst or mislead it."""
    problems = ([report["error"]] if "error" in report else []) + report["warnings"] + report["mismatches"]
    if not report.get("asdf"):
        problems.append("no ASDF extension: jwst steps given this file name stop with KeyError 'ASDF'")
    lines = [f"{report['path']}: {report.get('model', 'does not open in stdatamodels')}"]
    lines += [f"  problem: {p}" for p in problems] or ["  opens, validates and reads back as written"]
    lines += [f"  not part of the model (jwst ignores it): {u}" for u in report["unmapped"]]
    return "\n".join(lines), not problems


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--json"]:
        with open(arguments[1], "w") as handle:
            json.dump([check(p) for p in arguments[2:]], handle, indent=1)
    else:
        verdicts = [verdict(check(p)) for p in arguments]
        print("\n".join(text for text, _ in verdicts))
        sys.exit(0 if all(ok for _, ok in verdicts) else 1)
