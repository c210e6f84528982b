/// Turns the 80-byte cards of a header, straight from the file's bytes, into `HeaderCard`s: joins CONTINUE long
/// strings, types values, and drops the structural keywords that describe the data layout (the writer regenerates
/// them). Strings are built only for the parts kept: a structural card's value and comment are never decoded.
enum CardParser {
    static let cardLength = 80

    /// Parses whole cards laid end to end, as a header's 2880-byte blocks hold them; stops at END.
    static func parse(cards bytes: UnsafeRawBufferPointer) -> Header {
        var builder = Builder(expected: bytes.count / cardLength)
        var start = 0
        while start + cardLength <= bytes.count {
            guard builder.add(CardBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + cardLength)]))) else { break }
            start += cardLength
        }
        return Header(builder.cards)
    }

    /// Parses records as cfitsio returns them (one card each, trailing blanks dropped); stops at END.
    static func parse(_ records: [String]) -> Header {
        var builder = Builder(expected: records.count)
        for var record in records {
            guard record.withUTF8({ builder.add(CardBytes(UnsafeRawBufferPointer($0))) }) else { break }
        }
        return Header(builder.cards)
    }

    /// Collects cards in order, continuing long strings onto the card they extend.
    private struct Builder {
        var cards: [HeaderCard] = []

        init(expected: Int) { cards.reserveCapacity(expected) }

        /// Adds one card; false at END.
        mutating func add(_ card: CardBytes) -> Bool {
            let keyword = card.keyword
            if keyword == "END" { return false }
            if keyword == "CONTINUE", continues(card) { return true }
            if let parsed = parseCard(card, keyword: keyword) { cards.append(parsed) }
            return true
        }

        /// Appends a CONTINUE card's text to the long string before it; false when that card ends no long string.
        private mutating func continues(_ card: CardBytes) -> Bool {
            guard let last = cards.last, case .value(.string(let head))? = Optional(last.kind), head.hasSuffix("&") else { return false }
            let (value, comment) = card.value(in: min(8, card.count)..<card.count)
            cards[cards.count - 1].kind = .value(.string(String(head.dropLast()) + (value?.string ?? "")))
            if !comment.isEmpty {
                cards[cards.count - 1].comment += (last.comment.isEmpty ? "" : " ") + comment
            }
            return true
        }
    }

    /// The card, or nil when it is structural (or a HIERARCH card without a value).
    private static func parseCard(_ card: CardBytes, keyword: String) -> HeaderCard? {
        switch keyword {
        case "HISTORY": return HeaderCard(keyword: keyword, kind: .history, comment: card.commentaryText)
        case "COMMENT": return commentary(card, keyword: keyword)
        case "": return HeaderCard(keyword: "", kind: .blank, comment: card.commentaryText)
        case "HIERARCH":
            let equals = card.firstIndex(of: CardBytes.equals, in: min(8, card.count)..<card.count)
            guard equals < card.count else { return nil }
            let name = card.upperCased(card.trimmed(8..<equals))
            if isStructural(keyword: name) { return nil }
            let (value, comment) = card.value(in: (equals + 1)..<card.count)
            return HeaderCard(keyword: name, kind: .value(value), comment: comment)
        default:
            guard card.count >= 10, card[8] == CardBytes.equals, card[9] == CardBytes.space else {
                // A keyword without a value indicator is commentary under that keyword.
                return commentary(card, keyword: keyword)
            }
            if isStructural(keyword: keyword) { return nil }
            let (value, comment) = card.value(in: 10..<card.count)
            return HeaderCard(keyword: keyword, kind: .value(value), comment: comment)
        }
    }

    /// A commentary card, or nil for the boilerplate cfitsio writes itself.
    private static func commentary(_ card: CardBytes, keyword: String) -> HeaderCard? {
        let text = card.commentaryText
        return isLibraryBoilerplate(text) ? nil : HeaderCard(keyword: keyword, kind: .comment, comment: text)
    }

    /// Cards the writer derives from the data or the table layout, and the commentary cfitsio adds itself.
    static func isStructural(_ card: HeaderCard) -> Bool {
        if card.kind == .comment { return isLibraryBoilerplate(card.comment) }
        return card.isValueCard && isStructural(keyword: card.keyword)
    }

    /// Keywords that the writer derives from the data or the table layout.
    static func isStructural(keyword: String) -> Bool {
        switch keyword {
        case "SIMPLE", "BITPIX", "NAXIS", "EXTEND", "XTENSION", "PCOUNT", "GCOUNT", "TFIELDS", "BZERO", "BSCALE",
            "CHECKSUM", "DATASUM", "THEAP":
            return true
        default:
            return ["NAXIS", "TTYPE", "TFORM", "TUNIT", "TSCAL", "TZERO"].contains { prefix in
                keyword.utf8.count > prefix.utf8.count && keyword.hasPrefix(prefix)
                    && keyword.utf8.dropFirst(prefix.utf8.count).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            }
        }
    }

    /// The COMMENT lines cfitsio adds to every primary header and with LONGSTRN; copying them would duplicate them.
    private static func isLibraryBoilerplate(_ text: String) -> Bool {
        let t = text.drop { $0 == " " }
        return t.hasPrefix("FITS (Flexible Image Transport System) format is defined in")
            || t.hasPrefix("and Astrophysics', volume 376, page 359")
            || t.hasPrefix("This FITS file may contain long string keyword values")
            || t.hasPrefix("continued over multiple keywords.  The HEASARC convention")
            || t.hasPrefix("character at the end of each substring which is then continued")
            || t.hasPrefix("on the next keyword which has the name CONTINUE.")
    }
}

extension String {
    func replacingTrailingBlanks() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
