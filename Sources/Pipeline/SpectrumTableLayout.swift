import FITS

/// The columns of an EXTRACT1D table as jwst 3.0 writes it (stdatamodels' `spectable` schema): 18 columns in a fixed
/// order, float64 except DQ (uint32), with the units extract_1d gives calibrated data. stdatamodels opens an x1d
/// only when its table has exactly these columns.
public enum SpectrumTableLayout {
    /// Name and unit of each column, in order; DQ and NPIXELS have no unit.
    public static let columns: [(name: String, unit: String)] = {
        let flux2 = "Jy^2", sb2 = "MJy^2 / sr^2"
        return [
            ("WAVELENGTH", "um"), ("FLUX", "Jy"), ("FLUX_ERROR", "Jy"), ("FLUX_VAR_POISSON", flux2), ("FLUX_VAR_RNOISE", flux2),
            ("FLUX_VAR_FLAT", flux2), ("SURF_BRIGHT", "MJy/sr"), ("SB_ERROR", "MJy/sr"), ("SB_VAR_POISSON", sb2),
            ("SB_VAR_RNOISE", sb2), ("SB_VAR_FLAT", sb2), ("DQ", ""), ("BACKGROUND", "MJy/sr"), ("BKGD_ERROR", "MJy/sr"),
            ("BKGD_VAR_POISSON", sb2), ("BKGD_VAR_RNOISE", sb2), ("BKGD_VAR_FLAT", sb2), ("NPIXELS", ""),
        ]
    }()

    /// The table of `dq.count` samples, each column filled from `values` by name and zero where `values` has none.
    public static func table(_ values: [String: [Double]], dq: [UInt32]) -> Table {
        let zeros = [Double](repeating: 0, count: dq.count)
        return Table(
            columns: columns.map { column in
                column.name == "DQ"
                    ? TableColumn(name: "DQ", data: .uint32(dq))
                    : TableColumn(name: column.name, unit: column.unit, data: .float64(values[column.name] ?? zeros))
            })
    }
}
