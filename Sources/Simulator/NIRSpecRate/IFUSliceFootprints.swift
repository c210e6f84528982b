/// Where the 30 NIRSpec IFU slices fall on each detector (DMS orientation), as smooth traces.
///
/// Derived from the NSClean IFU background masks (`../shared/data/nsclean-masks/*_ifu_mask.fits.gz`,
/// B. Rauscher): in every column the masked runs between background rows were tracked from x = 1024 outwards
/// and their centres fitted with y(x) = y0 + slope (x − 1024) + curvature (x − 1024)²; the mask runs are
/// ~40 px tall including a ~5 px margin on each side, so a slice's illuminated height is ~30 px.
/// Fit residuals are ≤ 2 px for most slices (a few reach 5–14 px where slices merge in the mask).
public struct SliceTrace: Sendable, Equatable {
    /// First and last illuminated column.
    public var xStart: Int
    public var xEnd: Int
    public var y0: Double
    public var slope: Double
    public var curvature: Double

    /// Centre row of the slice at column `x`.
    public func centre(atColumn x: Double) -> Double {
        let u = x - 1024
        return y0 + slope * u + curvature * u * u
    }
}

/// The slice traces of NRS1 and NRS2.
public enum IFUSliceFootprints {
    /// Illuminated height of a slice in pixels.
    public static let sliceHeight = 30.0

    public static func traces(detector: String) -> [SliceTrace] { detector.uppercased() == "NRS2" ? nrs2 : nrs1 }

    static let nrs1: [SliceTrace] = [
        SliceTrace(xStart: 4, xEnd: 2043, y0: 114.12, slope: -0.008050, curvature: 3.4817e-07),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 163.16, slope: -0.006559, curvature: -4.5376e-07),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 212.00, slope: -0.006239, curvature: 2.0078e-07),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 262.09, slope: -0.006463, curvature: 1.1431e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 311.46, slope: -0.007810, curvature: 2.7915e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 360.56, slope: -0.007564, curvature: 2.3493e-06),
        SliceTrace(xStart: 13, xEnd: 2043, y0: 409.07, slope: -0.007686, curvature: 4.0111e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 457.20, slope: -0.007250, curvature: 4.5987e-06),
        SliceTrace(xStart: 33, xEnd: 2043, y0: 506.60, slope: -0.007139, curvature: 3.7156e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 556.15, slope: -0.007903, curvature: 3.7731e-06),
        SliceTrace(xStart: 21, xEnd: 2043, y0: 604.58, slope: -0.008083, curvature: 4.8829e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 654.22, slope: -0.007946, curvature: 4.0486e-06),
        SliceTrace(xStart: 24, xEnd: 2043, y0: 704.63, slope: -0.008241, curvature: 2.3901e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 753.62, slope: -0.008497, curvature: 3.4400e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 806.15, slope: -0.006866, curvature: 7.1579e-07),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1218.04, slope: -0.009472, curvature: 6.3819e-06),
        SliceTrace(xStart: 70, xEnd: 2043, y0: 1270.28, slope: -0.010121, curvature: 4.5758e-06),
        SliceTrace(xStart: 33, xEnd: 2043, y0: 1319.56, slope: -0.010290, curvature: 5.0834e-06),
        SliceTrace(xStart: 110, xEnd: 2043, y0: 1369.15, slope: -0.009924, curvature: 4.4878e-06),
        SliceTrace(xStart: 115, xEnd: 2043, y0: 1418.67, slope: -0.010351, curvature: 5.0342e-06),
        SliceTrace(xStart: 116, xEnd: 2043, y0: 1467.42, slope: -0.011146, curvature: 5.7982e-06),
        SliceTrace(xStart: 123, xEnd: 2043, y0: 1516.25, slope: -0.010815, curvature: 5.5690e-06),
        SliceTrace(xStart: 148, xEnd: 2043, y0: 1564.64, slope: -0.010521, curvature: 5.1627e-06),
        SliceTrace(xStart: 151, xEnd: 2043, y0: 1612.94, slope: -0.010963, curvature: 4.6572e-06),
        SliceTrace(xStart: 152, xEnd: 2043, y0: 1661.62, slope: -0.010733, curvature: 4.6008e-06),
        SliceTrace(xStart: 152, xEnd: 2043, y0: 1710.25, slope: -0.011002, curvature: 5.4909e-06),
        SliceTrace(xStart: 179, xEnd: 2043, y0: 1759.83, slope: -0.011592, curvature: 4.9956e-06),
        SliceTrace(xStart: 154, xEnd: 2043, y0: 1808.85, slope: -0.011947, curvature: 4.3186e-06),
        SliceTrace(xStart: 154, xEnd: 2043, y0: 1858.34, slope: -0.012164, curvature: 5.2443e-06),
        SliceTrace(xStart: 162, xEnd: 2043, y0: 1906.97, slope: -0.011118, curvature: 5.4084e-06),
    ]
    static let nrs2: [SliceTrace] = [
        SliceTrace(xStart: 4, xEnd: 2043, y0: 112.59, slope: 0.006261, curvature: 3.1554e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 164.64, slope: 0.008555, curvature: 2.2263e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 212.96, slope: 0.007213, curvature: 3.9537e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 260.82, slope: 0.006236, curvature: 3.5548e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 311.01, slope: 0.009766, curvature: 3.8664e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 362.23, slope: 0.009656, curvature: 1.7402e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 415.29, slope: 0.007656, curvature: -9.8621e-07),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 459.37, slope: 0.005392, curvature: -8.9640e-07),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 510.33, slope: 0.006477, curvature: 2.2693e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 557.87, slope: 0.009099, curvature: 4.2946e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 605.90, slope: 0.009750, curvature: 5.1065e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 655.45, slope: 0.009982, curvature: 6.5075e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 707.12, slope: 0.009761, curvature: 5.2912e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 757.16, slope: 0.008015, curvature: 3.8109e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 806.20, slope: 0.006902, curvature: 2.6365e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1224.29, slope: 0.012030, curvature: 2.0493e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1273.37, slope: 0.010283, curvature: 2.5062e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1321.17, slope: 0.010079, curvature: 3.8220e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1369.57, slope: 0.009214, curvature: 3.0400e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1419.46, slope: 0.008971, curvature: 3.2773e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1469.99, slope: 0.009099, curvature: 5.6649e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1521.41, slope: 0.009850, curvature: 4.3894e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1569.81, slope: 0.009584, curvature: 4.3292e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1615.29, slope: 0.010515, curvature: 5.9741e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1662.79, slope: 0.011932, curvature: 5.4438e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1712.09, slope: 0.011305, curvature: 4.9013e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1762.09, slope: 0.010085, curvature: 4.4632e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1811.21, slope: 0.009153, curvature: 4.8519e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1860.35, slope: 0.009765, curvature: 5.0695e-06),
        SliceTrace(xStart: 4, xEnd: 2043, y0: 1908.50, slope: 0.010960, curvature: 5.6974e-06),
    ]
}
