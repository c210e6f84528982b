/// Writing a cube's wavelengths the way jwst 3.0's cube_build writes them: a linear `WAVE` axis 3 when the channels
/// are evenly spaced, otherwise a `WAVE-TAB` axis over the `wavelength` column of `WCS-TABLE`, whose single float32
/// cell of shape (1, n) is written in both cases.
extension SpectralAxis {
    /// The extension a `WAVE-TAB` axis names (PS3_0) and its column (PS3_1).
    public static let tableName = "WCS-TABLE"
    public static let tableColumn = "wavelength"

    /// Writes axis 3 into a science header, in µm, replacing whatever spectral cards it had: linear from `start`
    /// by `step` when `linear` is given, tabulated in `WCS-TABLE` otherwise.
    public static func write(linear: (start: Double, step: Double)?, into header: inout Header) {
        for key in ["CD3_3", "CDELT3", "PC3_3", "PS3_0", "PS3_1"] { header.remove(key) }
        header.set("CRPIX3", .real(1), comment: "Axis 3 pixel coordinate of ref point, 1-indexed")
        header.set("CUNIT3", .string("um"), comment: "Axis 3 units")
        if let linear {
            header.set("CTYPE3", .string("WAVE"), comment: "Axis 3 type")
            header.set("CRVAL3", .real(linear.start), comment: "Axis 3 coordinate value at reference point")
            header.set("CDELT3", .real(linear.step), comment: "Axis 3 coordinate increment at reference point")
        } else {
            header.set("CTYPE3", .string("WAVE-TAB"), comment: "Axis 3 type")
            header.set("CRVAL3", .real(1), comment: "Axis 3 coordinate value at reference point")
            header.set("PS3_0", .string(tableName), comment: "Coordinate table extension name")
            header.set("PS3_1", .string(tableColumn), comment: "Coordinate table column name")
        }
    }

    /// The wavelength table: one row, one float32 cell of shape (1, n) in µm.
    public static func table(_ wavelengths: [Double]) -> HDU {
        var header = Header()
        header.set("TDIM1", .string("(1,\(wavelengths.count))"), comment: "dimensions of the wavelength cell")
        return HDU(
            name: tableName,
            table: Table(columns: [
                TableColumn(name: tableColumn, unit: "um", repeatCount: wavelengths.count, data: .float32(wavelengths.map(Float.init)))
            ]), header: header)
    }
}
