import Foundation

/// The wavelength of every plane of a cube, read the ways `_s3d` files carry it: a linear `WAVE` axis 3
/// (CRVAL3, CDELT3 or CD3_3, CRPIX3) or a `WAVE-TAB` axis whose values sit in a table extension named by
/// PS3_0 (column PS3_1, `WCS-TABLE`/`wavelength` in JWST cubes). Values are returned in micrometres.
public enum SpectralAxis {
    public static func wavelengths(science: Header, hdus: [HDU], planes: Int) throws(WCSError) -> [Double] {
        guard let ctype = science.string("CTYPE3")?.uppercased(), ctype.hasPrefix("WAVE") || ctype.hasPrefix("AWAV") else {
            throw WCSError("no wavelength axis (CTYPE3 is missing or not WAVE)")
        }
        let scale = try unitScale(science.string("CUNIT3"))
        if ctype.hasSuffix("-TAB") {
            let tableName = science.string("PS3_0") ?? "WCS-TABLE"
            let columnName = science.string("PS3_1") ?? "wavelength"
            guard let table = hdus.hdu(named: tableName)?.table, let column = table[columnName], let values = column.data.doubles else {
                throw WCSError("wavelength axis refers to table \(tableName) column \(columnName), which is missing")
            }
            guard values.count >= planes else {
                throw WCSError("wavelength table holds \(values.count) values for \(planes) planes")
            }
            let result = values.prefix(planes).map { $0 * scale }
            guard result.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw WCSError("wavelength table holds invalid values") }
            return Array(result)
        }
        guard let crval = science.real("CRVAL3") else { throw WCSError("no wavelength axis (CRVAL3 missing)") }
        let delta = science.real("CD3_3") ?? ((science.real("CDELT3") ?? 0) * (science.real("PC3_3") ?? 1))
        guard delta != 0 else { throw WCSError("no wavelength axis (CDELT3 missing or zero)") }
        let crpix = science.real("CRPIX3") ?? 1
        return (0..<planes).map { (crval + (Double($0 + 1) - crpix) * delta) * scale }
    }

    /// Factor from CUNIT3 to micrometres (FITS default for WAVE is metres).
    static func unitScale(_ unit: String?) throws(WCSError) -> Double {
        switch unit?.trimmingCharacters(in: .whitespaces).lowercased() ?? "m" {
        case "um", "micron", "microns", "µm": return 1
        case "m", "": return 1e6
        case "nm": return 1e-3
        case "angstrom", "a": return 1e-4
        default: throw WCSError("unsupported wavelength unit '\(unit ?? "")'")
        }
    }
}
