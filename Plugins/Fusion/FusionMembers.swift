import FITS
import Pipeline

/// The exposures a fused cube was made from, recorded as jwst's level-3 products record theirs: the product
/// keeps the keywords of its first member (the cube, whose model it continues), the exposure times span all
/// members (jwst's min/max blending of EXPSTART/EXPEND); `MembersTable` lists every member in `HDRTAB`.
enum FusionMembers {
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
}
