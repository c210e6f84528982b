"""Noise figures of NSClean outputs against the simulator's truth (used by bench/nsclean).

usage: nsclean_metrics.py INPUT TRUTH LABEL=CLEANED [LABEL=CLEANED ...]
Each CLEANED is a FITS file whose SCI (or primary) image is the cleaned rate image.
"""
import sys
import numpy as np
from astropy.io import fits


def sci(path):
    with fits.open(path) as h:
        for name in ("SCI", 0):
            try:
                data = h[name].data
            except KeyError:
                continue
            if data is not None:
                return data.astype(np.float64)
    raise SystemExit(f"{path}: no image")


def box_mean(values, weights, size):
    """Mean of the weighted pixels in a size x size box (normalised convolution via cumulative sums)."""
    def smooth(a):
        c = np.cumsum(np.cumsum(np.pad(a, ((1, 0), (1, 0))), 0), 1)
        h = size // 2
        ny, nx = a.shape
        y0 = np.clip(np.arange(ny) - h, 0, ny); y1 = np.clip(np.arange(ny) + h + 1, 0, ny)
        x0 = np.clip(np.arange(nx) - h, 0, nx); x1 = np.clip(np.arange(nx) + h + 1, 0, nx)
        return c[y1][:, x1] - c[y0][:, x1] - c[y1][:, x0] + c[y0][:, x0]
    num, den = smooth(values * weights), smooth(weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        return num / den


def figures(image, original, truth, dq, sigma):
    signal, white, poisson = truth["SIGNAL"], truth["READ_NOISE"], truth["POISSON_NOISE"]
    valid = np.isfinite(image) & np.isfinite(original) & ((dq & (1 << 31)) == 0)
    background = valid & (signal == 0)
    traces = valid & (signal > sigma)
    correlated = np.where(valid, image - signal - white - poisson, 0.0)   # 1/f + frame left over
    residual = np.where(valid, image - signal, 0.0)
    smoothed = box_mean(np.where(background, residual, 0.0), background.astype(float), 9)
    spectrum = np.abs(np.fft.rfft(residual, axis=0)) ** 2 / residual.shape[0]     # along columns (DMS y)
    column_means = np.array([correlated[background[:, x], x].mean() if background[:, x].any() else 0.0
                             for x in range(image.shape[1])])
    return {
        "corr_rms": np.sqrt(np.mean(correlated[valid] ** 2)),
        "bg_smooth_rms": np.sqrt(np.nanmean(smoothed[background] ** 2)),
        "lowf_power": spectrum[1:9].mean(),
        "worst_column": np.abs(column_means).max() / sigma,
        "trace_change": (image - original)[traces].mean() / sigma,
        "trace_bias": correlated[traces].mean() / sigma,
    }


def main():
    original_path, truth_path, *cleaned = sys.argv[1:]
    original = sci(original_path)
    with fits.open(original_path) as h:
        dq = h["DQ"].data.astype(np.uint64)
        err = h["ERR"].data
    with fits.open(truth_path) as h:
        truth = {name: h[name].data.astype(np.float64) for name in ("SIGNAL", "READ_NOISE", "POISSON_NOISE")}
    sigma = float(np.nanmedian(err))
    rows = [("input", figures(original, original, truth, dq, sigma))]
    for item in cleaned:
        label, path = item.split("=", 1)
        rows.append((label, figures(sci(path), original, truth, dq, sigma)))
    print(f"    noise sigma (median ERR) = {sigma:.5f} DN/s")
    print(f"    {'':10s} {'corr rms':>10s} {'smooth rms':>11s} {'lowf power':>11s} {'worst col':>10s} {'trace chg':>10s} {'trace bias':>10s}")
    print(f"    {'':10s} {'DN/s':>10s} {'DN/s':>11s} {'(DN/s)^2':>11s} {'sigma':>10s} {'sigma':>10s} {'sigma':>10s}")
    for label, f in rows:
        print(f"    {label:10s} {f['corr_rms']:10.5f} {f['bg_smooth_rms']:11.5f} {f['lowf_power']:11.3e} "
              f"{f['worst_column']:10.3f} {f['trace_change']:10.4f} {f['trace_bias']:10.4f}")


if __name__ == "__main__":
    main()
