import Numerics

/// Noise levels for the automatic parameters when ERR arrays are missing: the robust (MAD) scatter of
/// differences that cancel smooth signal (Donoho-style estimators, as the paper's Appendix B suggests).
enum NoiseEstimate {
    static func median(_ values: [Double]) -> Double? { RobustStatistics.median(values) }

    /// Sigma of white noise in an image from the MAD of its horizontal second differences (variance 6σ²).
    static func imageSigma(_ values: [Double], width: Int, height: Int) -> Double {
        var d: [Double] = []
        d.reserveCapacity(values.count)
        for y in 0..<height {
            for x in 1..<(width - 1) {
                let p = y * width + x
                d.append(values[p - 1] - 2 * values[p] + values[p + 1])
            }
        }
        return (RobustStatistics.madSigma(d) ?? 0) / 6.0.squareRoot()
    }

    /// Sigma per spectrum element from the MAD of second differences along wavelength (variance 6σ²).
    static func spectralSigma(_ cube: [Double], planes: Int, plane: Int) -> Double {
        var d: [Double] = []
        d.reserveCapacity(cube.count)
        for l in 1..<(planes - 1) {
            for p in 0..<plane { d.append(cube[(l - 1) * plane + p] - 2 * cube[l * plane + p] + cube[(l + 1) * plane + p]) }
        }
        return (RobustStatistics.madSigma(d) ?? 0) / 6.0.squareRoot()
    }
}
