import FITS
import Pipeline

/// The exposures a fused cube was made from, recorded as jwst's level-3 products record theirs: the product
/// keeps the keywords of its first member (the cube, whose model it continues), the exposure times span all
/// members (jwst's min/max blending of EXPSTART/EXPEND), and a `HDRTAB` table lists every member with the
/// keywords that tell them apart.
enum FusionMembers {
    /// Keywords listed per member; numbers become float64 columns, the rest text. (Names with "-" are left out:
    /// fitsverify warns about them as column names; EXPSTART and EXPEND give the times.)
    static let listed = [
        "FILENAME", "INSTRUME", "DETECTOR", "EXP_TYPE", "FILTER", "PUPIL", "GRATING", "PROGRAM",
        "OBSERVTN", "VISIT", "TARGNAME", "EXPSTART", "EXPEND", "EFFEXPTM",
    ]

    /// The cube's primary header with the members' time span and `FILENAME` naming the product.
    static func primary(cube: Exposure, members: [Exposure], productName: String) -> Header {
        var header = cube.primaryHeader
        header.set("FILENAME", .string(productName), comment: "Name of the file")
        let starts = members.compactMap { $0.primaryHeader.real("EXPSTART") }
        let ends = members.compactMap { $0.primaryHeader.real("EXPEND") }
        if let start = starts.min() { header.set("EXPSTART", .real(start), comment: "[d] start of the earliest member exposure, MJD") }
        if let end = ends.max() { header.set("EXPEND", .real(end), comment: "[d] end of the latest member exposure, MJD") }
        header.addComment("Members (\(members.count)): one row each in HDRTAB")
        return header
    }

    /// One row per member, in input order.
    static func table(_ members: [Exposure]) -> HDU {
        let headers = members.map(\.primaryHeader)
        var columns: [TableColumn] = []
        for keyword in listed {
            let values = keyword == "FILENAME" ? members.map { HeaderValue.string($0.name.fileName) } : headers.map { $0[keyword] }
            guard values.contains(where: { $0 != nil }) else { continue }
            let numeric = values.allSatisfy { value in
                guard let value else { return true }
                if case .string = value { return false }
                return value.real != nil
            }
            if numeric {
                columns.append(TableColumn(name: keyword, data: .float64(values.map { $0?.real ?? .nan })))
            } else {
                let text = values.map { $0?.description ?? "" }
                columns.append(TableColumn(name: keyword, data: .string(text, width: max(1, text.map(\.utf8.count).max() ?? 1))))
            }
        }
        var header = Header()
        header.addComment("The member exposures of this product, one row each (jwst's combined header table)")
        return HDU(name: "HDRTAB", table: Table(columns: columns), header: header)
    }
}
