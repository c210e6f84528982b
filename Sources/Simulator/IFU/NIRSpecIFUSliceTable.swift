/// Where the 30 NIRSpec IFU slices fall on NRS1 and NRS2: the centre line of each illuminated band of the NSClean
/// IFU masks (`../shared/data/nsclean-masks/nsclean_20230306_nrs{1,2}_ifu_mask.fits.gz`), measured every 20
/// columns between x = 100 and 1960 and fitted with c0 + c1 u + c2 u², u = (x − 1023.5) / 1024 (rms ≤ 0.6 px on
/// NRS1, ≤ 1.4 px on NRS2). Rows are in detector order (slice 1 lowest).
enum NIRSpecIFUSliceTable {
    static let nrs1: [(Double, Double, Double)] = [
        (113.89, -7.884, -1.149), (162.68, -6.967, -0.481), (211.40, -6.920, 0.889), (261.61, -6.581, 1.106),
        (311.19, -7.496, 1.553), (360.22, -7.434, 1.471), (408.59, -7.760, 4.130), (456.51, -7.594, 5.866),
        (506.06, -7.326, 4.156), (555.64, -8.167, 4.112), (603.97, -8.404, 5.816), (653.71, -8.062, 4.373),
        (704.03, -8.695, 3.153), (753.01, -9.006, 4.174), (805.10, -8.058, 3.755), (1217.43, -9.673, 7.294),
        (1269.78, -10.724, 4.861), (1318.98, -10.926, 5.864), (1368.62, -10.292, 4.964), (1418.22, -10.697, 5.177),
        (1466.94, -11.572, 6.054), (1515.79, -11.213, 5.699), (1564.12, -10.831, 5.621), (1612.40, -11.169, 5.163),
        (1661.10, -10.853, 5.034), (1709.66, -11.217, 6.395), (1759.32, -11.771, 5.307), (1808.41, -12.403, 4.248),
        (1857.92, -12.584, 5.155), (1906.44, -11.321, 5.961),
    ]
    static let nrs2: [(Double, Double, Double)] = [
        (112.15, 6.126, 2.891), (164.32, 8.389, 1.437), (212.69, 7.561, 2.947), (260.34, 6.435, 3.478),
        (310.49, 9.655, 4.009), (361.92, 9.454, 0.752), (415.36, 7.520, -1.993), (459.05, 5.205, -2.643),
        (510.01, 6.293, 1.264), (557.39, 9.256, 4.451), (605.35, 10.004, 5.695), (654.80, 10.421, 7.570),
        (706.53, 10.196, 6.000), (756.58, 8.365, 4.452), (805.49, 7.448, 3.948), (1223.92, 12.008, 1.398),
        (1272.88, 10.654, 2.689), (1320.59, 10.448, 4.384), (1369.05, 9.292, 3.262), (1418.91, 9.099, 3.858),
        (1469.41, 9.013, 6.388), (1520.89, 9.770, 4.604), (1569.19, 9.847, 5.217), (1614.64, 10.771, 7.037),
        (1662.23, 12.202, 6.061), (1711.62, 11.532, 4.972), (1761.64, 9.980, 4.353), (1810.65, 8.899, 5.363),
        (1859.91, 9.615, 4.874), (1908.13, 11.081, 5.370),
    ]
}

/// The simulator's NIRSpec IFU and MIRI MRS slice layouts.
public enum IFULayouts {
    /// NIRSpec IFU on NRS1 or NRS2: 30 slices 30 px tall at the real positions. `phaseCycle` (columns) sets the
    /// linear tilt so that the centre line crosses one pixel every `phaseCycle` columns (the sign of the real
    /// tilt is kept); nil keeps the measured tilt (about 128 columns per cycle).
    public static func nirspec(detector: String, phaseCycle: Double?, wavelengths: ClosedRange<Double> = 1.66...3.05) -> IFUDetectorLayout {
        let table = detector.uppercased() == "NRS2" ? NIRSpecIFUSliceTable.nrs2 : NIRSpecIFUSliceTable.nrs1
        let slices = table.enumerated().map { index, c in
            let tilt = phaseCycle.map { (c.1 < 0 ? -1.0 : 1.0) * 1024 / $0 } ?? c.1
            // Each slice sees a slightly different wavelength range, as the real ones do (≈ 0.3 % shift).
            let shift = 0.001 * Double(index - 15)
            return IFUSlice(
                region: Int32(index + 1), skyIndex: Double(index - 15), c0: c.0, c1: tilt, c2: c.2, halfLength: 15,
                dispersionRange: 0..<2048, wavelengthStart: wavelengths.lowerBound + shift,
                wavelengthEnd: wavelengths.upperBound + shift)
        }
        return IFUDetectorLayout(width: 2048, height: 2048, dispersionAlongX: true, slices: slices)
    }

    /// MIRI MRS MIRIFUSHORT-like detector, 1032 x 1024, dispersion along y: channel 1 (21 slices, 20 px wide) on
    /// the left half and, when `channels` is 2, channel 2 (17 slices, 26 px wide) on the right half.
    /// Regions are 100*channel + slice.
    public static func miriMRS(channels: Int, phaseCycle: Double) -> IFUDetectorLayout {
        var slices: [IFUSlice] = []
        let specs: [(channel: Int, count: Int, pitch: Double, half: Double, start: Double, waves: ClosedRange<Double>, middle: Int)] = [
            (1, 21, 24, 10, 4, 4.90...5.74, 10), (2, 17, 30, 13, 516, 7.51...8.77, 8),
        ]
        for spec in specs.prefix(max(1, min(2, channels))) {
            for k in 0..<spec.count {
                slices.append(
                    IFUSlice(
                        region: Int32(100 * spec.channel + k + 1), skyIndex: Double(k - spec.middle),
                        c0: spec.start + spec.pitch * (Double(k) + 0.5), c1: 512 / phaseCycle,
                        c2: 1.5, halfLength: spec.half, dispersionRange: 0..<1024,
                        wavelengthStart: spec.waves.lowerBound, wavelengthEnd: spec.waves.upperBound))
            }
        }
        return IFUDetectorLayout(width: 1032, height: 1024, dispersionAlongX: false, slices: slices)
    }
}
