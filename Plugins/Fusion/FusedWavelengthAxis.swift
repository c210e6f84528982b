import FITS
import Foundation

/// The fused cube's spectral axis in jwst 3.0's layout, whatever layout the input cube used: a linear `WAVE`
/// axis (CRVAL3, CDELT3, CRPIX3, CUNIT3 'um') when the channels are evenly spaced, `WAVE-TAB` pointing at the
/// `WCS-TABLE` column otherwise. The `WCS-TABLE` extension (one float32 `wavelength` cell of shape (1, n)) is
/// written in both cases, as jwst's cube_build does.
struct FusedWavelengthAxis {
    let wavelengths: [Double]
    /// First value and step of the linear grid, nil when the grid is not linear.
    let linear: (start: Double, step: Double)?

    /// A grid is linear when no channel departs from the line through the first and last channel by more than
    /// two float32 spacings at the longest wavelength. jwst stores tabulated wavelengths as float32, so an evenly
    /// spaced grid read from a table is off by up to half a spacing in every value, the two ends included: the
    /// line through them is then off by at most 1.5 spacings anywhere. Anything larger is real non-linearity
    /// (a few 1e-7 µm at 2 µm; NIRSpec's channels are 1e-4 µm apart or more).
    init(_ wavelengths: [Double]) {
        self.wavelengths = wavelengths
        let n = wavelengths.count
        let first = wavelengths[0], last = wavelengths[n - 1]
        let step = (last - first) / Double(n - 1)
        let tolerance = 2 * Double(Float(last).ulp)
        let departure = wavelengths.indices.map { abs(wavelengths[$0] - (first + step * Double($0))) }.max() ?? 0
        linear = departure <= tolerance ? (first, step) : nil
    }

    /// Writes axis 3 into a science header (replacing whatever spectral cards it had).
    func write(into header: inout Header) { SpectralAxis.write(linear: linear, into: &header) }

    /// The wavelength table, written whether or not the axis is linear.
    var table: HDU { SpectralAxis.table(wavelengths) }
}
