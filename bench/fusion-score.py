"""Scores a fused cube against the fusion-pair simulator's truth and against bicubic upsampling of the cube.

Usage: fusion-score.py SIM_DIR OUT_DIR  (prints three lines)."""
import glob
import sys

import numpy as np
from astropy.io import fits


def keys(t):
    x = np.abs(t)
    return np.where(x < 1, (1.5 * x - 2.5) * x * x + 1, np.where(x < 2, ((-0.5 * x + 2.5) * x - 4) * x + 2, 0))


def upsample(image):
    """Keys bicubic x3 onto the fused grid (fine pixel 3i+1 on spaxel i), edges clamped."""
    h, w = image.shape
    ys, xs = (np.arange(3 * h) - 1) / 3, (np.arange(3 * w) - 1) / 3
    iy, ix = np.floor(ys).astype(int), np.floor(xs).astype(int)
    fy, fx = ys - iy, xs - ix
    out = np.zeros((3 * h, 3 * w))
    for b in range(-1, 3):
        wy, yy = keys(b - fy), np.clip(iy + b, 0, h - 1)
        for a in range(-1, 3):
            wx, xx = keys(a - fx), np.clip(ix + a, 0, w - 1)
            out += wy[:, None] * wx[None, :] * image[np.ix_(yy, xx)]
    return out


def rel(a, b):
    return np.sqrt(np.mean((a - b) ** 2) / np.mean(b ** 2))


sim, out = sys.argv[1], sys.argv[2]
cube_path = [p for p in glob.glob(sim + "/*_s3d.fits") if "truth" not in p][0]
truth = fits.getdata(cube_path.replace(".fits", "_truth.fits"), "TRUTH").astype(float)
cube = fits.getdata(cube_path, "SCI").astype(float)
fused_path = glob.glob(out + "/*_fused_s3d.fits")[0]
fused = fits.getdata(fused_path, "SCI").astype(float)
filled = cube.copy()
for plane in filled:
    plane[~np.isfinite(plane)] = np.nanmean(plane)
bicubic = np.array([upsample(p) for p in filled])
e_fused, e_bicubic = rel(fused, truth), rel(bicubic, truth)
mean_error = np.max(np.abs(fused.mean(axis=(1, 2)) / np.nanmean(cube, axis=(1, 2)) - 1))
header = fits.getheader(fused_path, "SCI")
print(f"  relative rms vs truth: fused {e_fused:.4f}, bicubic upsampling {e_bicubic:.4f} -> fused is {e_bicubic / e_fused:.2f}x better")
print(f"  mean-spectrum max |relative error| vs NIRSpec: {100 * mean_error:.3f} %  (rank {header['FUSRANK']})")
quality = fits.getdata(fused_path, "QUALITY")
print("  PSNR/SSIM per filter: " + ", ".join(f"{r['FILTER'].strip()} {r['PSNR']:.1f} dB/{r['SSIM']:.4f}" for r in quality))
