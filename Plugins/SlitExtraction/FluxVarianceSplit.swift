/// How the variance of each extracted sample divides into the inputs' Poisson, read-noise and flat-field parts,
/// for jwst's FLUX_VAR_POISSON, FLUX_VAR_RNOISE and FLUX_VAR_FLAT columns.
///
/// The fit's variance is a posterior variance of the whole regularised system, which has no per-part form, so it is
/// divided in the proportions a profile-weighted estimate of the sample would carry: pixel i of the sample's column
/// enters with weight hᵢ/vᵢ (h the fitted PSF at the pixel, v its variance), so part c contributes Σ hᵢ² v꜀ᵢ / vᵢ² of
/// Σ hᵢ² / vᵢ. The three parts sum to the fit's variance; a sample no usable pixel constrains gets NaN.
struct FluxVarianceSplit {
    /// Per sample, the fraction of the variance in each part (Poisson, read noise, flat field).
    var shares: [[Double]]

    init(result r: ExtractionResult, slits: [SlitInput]) {
        shares = r.sampleColumns.indices.map { s in
            let k = r.sampleColumns[s]
            var parts = [0.0, 0.0, 0.0]
            for (f, slit) in slits.enumerated() {
                let frame = slit.frame
                for j in 0..<frame.cross {
                    let i = j * frame.length + k, w = frame.weight[i]
                    guard w > 0, frame.wavelength[i] > 0 else { continue }
                    let h = r.psf.value(rho: Double(j) - r.trace[f][s], lambda: frame.wavelength[i])
                    for c in 0..<3 { parts[c] += h * h * w * w * slit.varianceParts[c][i] }
                }
            }
            // Normalised by the parts' own sum, which is Σ h²/v up to the rounding of v (summed in single precision).
            let total = parts.reduce(0, +)
            return total > 0 ? parts.map { $0 / total } : [.nan, .nan, .nan]
        }
    }
}
