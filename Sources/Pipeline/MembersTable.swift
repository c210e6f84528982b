import FITS
import Foundation

/// The members of a combined product, one row each, as jwst's level-3 products list them: the `HDRTAB` table of
/// jwst's model_blender, a column per keyword of the members' primary headers holding each member's value.
///
/// jwst takes the columns from the keywords its schema marks `blend_table`; here every value keyword of the members
/// is a column (with `_` for `-` in its name), which includes those. Like jwst, logical values are stored as 0/1
/// bytes (FITS logical columns do not survive astropy's round trip) and a member without a keyword holds NaN (an
/// empty string in text columns, 0 in logical ones). `FILENAME` is the name each member was read from, as jwst's
/// `meta.filename` is, whatever its header says.
public enum MembersTable {
    private static let structural: Set<String> = ["SIMPLE", "BITPIX", "NAXIS", "EXTEND", "CHECKSUM", "DATASUM"]

    public static func hdu(members: [Exposure]) -> HDU {
        let headers = members.map(\.primaryHeader)
        var keywords: [String] = [], seen = Set<String>()
        for header in headers {
            for card in header.cards where card.isValueCard && !structural.contains(card.keyword) && !seen.contains(card.keyword) {
                keywords.append(card.keyword)
                seen.insert(card.keyword)
            }
        }
        // FITS column names are letters, digits and underscores (fitsverify warns otherwise); jwst keeps DATE-OBS.
        let columns = keywords.map { keyword in
            let values = keyword == "FILENAME" ? members.map { HeaderValue.string($0.name.fileName) } : headers.map { $0[keyword] }
            return column(keyword.replacingOccurrences(of: "-", with: "_"), values)
        }
        var header = Header()
        header.addComment("The member exposures of this product, one row each (jwst's combined header table)")
        return HDU(name: "HDRTAB", table: Table(columns: columns), header: header)
    }

    private static func column(_ keyword: String, _ values: [HeaderValue?]) -> TableColumn {
        let present = values.compactMap { $0 }
        if present.allSatisfy({ $0.logical != nil }) {
            return TableColumn(name: keyword, data: .uint8(values.map { $0?.logical == true ? 1 : 0 }))
        }
        if present.allSatisfy({ if case .integer = $0 { true } else { false } }) && present.count == values.count {
            return TableColumn(name: keyword, data: .int64(values.map { Int64($0!.integer!) }))
        }
        if present.allSatisfy({ $0.real != nil }) {
            return TableColumn(name: keyword, data: .float64(values.map { $0?.real ?? .nan }))
        }
        let texts = values.map { $0?.description ?? "" }
        return TableColumn(name: keyword, data: .string(texts, width: max(1, texts.map(\.utf8.count).max() ?? 1)))
    }
}
