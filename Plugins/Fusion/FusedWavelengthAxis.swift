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
    func write(into header: inout Header) {
        for key in ["CD3_3", "CDELT3", "PS3_0", "PS3_1"] { header.remove(key) }
        header.set("CRPIX3", .real(1), comment: "Axis 3 pixel coordinate of ref point, 1-indexed")
        header.set("CUNIT3", .string("um"), comment: "Axis 3 units")
        if let linear {
            header.set("CTYPE3", .string("WAVE"), comment: "Axis 3 type")
            header.set("CRVAL3", .real(linear.start), comment: "Axis 3 coordinate value at reference point")
            header.set("CDELT3", .real(linear.step), comment: "Axis 3 coordinate increment at reference point")
        } else {
            header.set("CTYPE3", .string("WAVE-TAB"), comment: "Axis 3 type")
            header.set("CRVAL3", .real(1), comment: "Axis 3 coordinate value at reference point")
            header.set("PS3_0", .string(Self.tableName), comment: "Coordinate table extension name")
            header.set("PS3_1", .string("wavelength"), comment: "Coordinate table column name")
        }
    }

    static let tableName = "WCS-TABLE"

    /// The wavelength table: one row, one float32 cell of shape (1, n) in µm.
    var table: HDU {
        var header = Header()
        header.set("TDIM1", .string("(1,\(wavelengths.count))"), comment: "dimensions of the wavelength cell")
        return HDU(
            name: Self.tableName,
            table: Table(columns: [
                TableColumn(name: "wavelength", unit: "um", repeatCount: wavelengths.count, data: .float32(wavelengths.map(Float.init)))
            ]), header: header)
    }
}
