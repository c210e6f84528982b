/// The FITS side of ASDF-in-FITS as stdatamodels writes it: a BINTABLE named `ASDF` with one row and one
/// column `ASDF_METADATA` whose cell holds the bytes of a whole ASDF file.
public enum ASDFExtension {
    public static let extensionName = "ASDF"
    public static let columnName = "ASDF_METADATA"

    /// The ASDF file in an `ASDF` extension.
    public static func file(in hdu: HDU) throws(ASDFError) -> ASDFFile {
        guard let column = hdu.table?[columnName], case .uint8(let bytes) = column.data else {
            throw ASDFError("the \(extensionName) extension has no byte column \(columnName)")
        }
        return try ASDFFile(bytes: bytes)
    }

    /// The ASDF file of the first `ASDF` extension among `hdus`; nil when there is none.
    public static func file(in hdus: [HDU]) throws(ASDFError) -> ASDFFile? {
        guard let hdu = hdus.hdu(named: extensionName) else { return nil }
        return try file(in: hdu)
    }

    /// An `ASDF` extension holding `file`.
    public static func hdu(for file: ASDFFile) throws(ASDFError) -> HDU {
        let bytes = try file.bytes()
        let column = TableColumn(name: columnName, repeatCount: bytes.count, data: .uint8(bytes))
        return HDU(name: extensionName, table: Table(columns: [column], rowCount: 1))
    }

    /// `hdus` with `file` as their `ASDF` extension: any existing one is removed and the new one goes last,
    /// where stdatamodels puts it.
    public static func replacing(in hdus: [HDU], with file: ASDFFile) throws(ASDFError) -> [HDU] {
        var out = hdus.filter { $0.name != extensionName }
        out.append(try hdu(for: file))
        return out
    }
}
