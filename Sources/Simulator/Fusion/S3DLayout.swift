import FITS

/// How a simulated `_s3d` cube carries its wavelengths: as jwst 3.0's cube_build writes a linear grid (the
/// default, `linear_wave=True`), as it writes a tabulated one (`linear_wave=False`: a `WAVE-TAB` axis over the
/// `wavelength` column of WCS-TABLE), or as cubes from before jwst 1.16 did (the same axis over a table that also has
/// an `nelem` column), which MAST still serves for older reductions and which stdatamodels 6 no longer opens.
public enum S3DLayout: String, CaseIterable, Sendable {
    case jwst3
    case jwst3tab
    case wavetab

    /// Writes axis 3 into the SCI header.
    func spectralAxis(_ wavelengths: [Double], into science: inout Header) {
        science.set("CRPIX3", .real(1), comment: "axis 3 coordinate of the reference pixel")
        science.set("CUNIT3", .string("um"), comment: "third axis units")
        switch self {
        case .jwst3:
            let step = (wavelengths[wavelengths.count - 1] - wavelengths[0]) / Double(wavelengths.count - 1)
            science.set("CRVAL3", .real(wavelengths[0]), comment: "third axis value at the reference pixel")
            science.set("CTYPE3", .string("WAVE"), comment: "third axis coordinate type")
            science.set("CDELT3", .real(step), comment: "third axis increment per pixel")
        case .jwst3tab, .wavetab:
            science.set("CRVAL3", .real(1), comment: "third axis value at the reference pixel")
            science.set("CTYPE3", .string("WAVE-TAB"), comment: "third axis coordinate type")
            science.set("PS3_0", .string("WCS-TABLE"), comment: "Coordinate table extension name")
            science.set("PS3_1", .string("wavelength"), comment: "Coordinate table column name")
        }
    }

    /// The `WCS-TABLE` extension: jwst 3.0's single float32 cell of shape (1, n), or the older table whose
    /// `nelem` column counts the values.
    func wavelengthTable(_ wavelengths: [Double]) -> HDU {
        let n = wavelengths.count
        let values = TableColumn(name: "wavelength", repeatCount: n, data: .float32(wavelengths.map(Float.init)))
        var header = Header()
        switch self {
        case .jwst3, .jwst3tab:
            header.set("TDIM1", .string("(1,\(n))"), comment: "dimensions of the wavelength cell")
            return HDU(name: "WCS-TABLE", table: Table(columns: [values]), header: header)
        case .wavetab:
            header.set("TDIM2", .string("(1,\(n))"), comment: "Wavetable dimension")
            return HDU(
                name: "WCS-TABLE", table: Table(columns: [TableColumn(name: "nelem", data: .int16([Int16(n)])), values]), header: header)
        }
    }
}
