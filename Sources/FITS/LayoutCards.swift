/// The keywords that size an HDU's data (BITPIX, NAXIS, NAXISn, PCOUNT, GCOUNT), read from the bytes of its
/// cards as the structure walk passes them; the first occurrence of each counts. Other cards are passed over
/// after a look at their first byte.
struct LayoutCards {
    var bitpix: Int?
    var naxis: Int?
    /// NAXISn by n.
    var axes: [Int: Int] = [:]
    var pcount: Int?
    var gcount: Int?

    mutating func read(_ card: CardBytes) {
        guard card.count >= 10, card[8] == CardBytes.equals,
            [UInt8(ascii: "B"), UInt8(ascii: "N"), UInt8(ascii: "P"), UInt8(ascii: "G")].contains(card[0])
        else { return }
        let keyword = card.keyword
        let field = 10..<card.firstIndex(of: CardBytes.slash, in: 10..<card.count)
        func integer() -> Int? { card.integer(card.trimmed(field)) }
        switch keyword {
        case "BITPIX": bitpix = bitpix ?? integer()
        case "NAXIS": naxis = naxis ?? integer()
        case "PCOUNT": pcount = pcount ?? integer()
        case "GCOUNT": gcount = gcount ?? integer()
        default:
            guard keyword.hasPrefix("NAXIS"), let axis = Int(keyword.dropFirst(5)), axis > 0, axes[axis] == nil else { return }
            axes[axis] = integer()
        }
    }
}
