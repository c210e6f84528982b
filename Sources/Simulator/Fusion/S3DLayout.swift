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
        let step = (wavelengths[wavelengths.count - 1] - wavelengths[0]) / Double(wavelengths.count - 1)
        SpectralAxis.write(linear: self == .jwst3 ? (wavelengths[0], step) : nil, into: &science)
    }

    /// The `WCS-TABLE` extension: jwst 3.0's single float32 cell of shape (1, n), or the older table whose
    /// `nelem` column counts the values.
    func wavelengthTable(_ wavelengths: [Double]) -> HDU {
        guard self == .wavetab else { return SpectralAxis.table(wavelengths) }
        let n = wavelengths.count
        var header = Header()
        header.set("TDIM2", .string("(1,\(n))"), comment: "Wavetable dimension")
        let values = TableColumn(name: SpectralAxis.tableColumn, repeatCount: n, data: .float32(wavelengths.map(Float.init)))
        return HDU(
            name: SpectralAxis.tableName, table: Table(columns: [TableColumn(name: "nelem", data: .int16([Int16(n)])), values]),
            header: header)
    }
}
