import Foundation

/// Turns the raw 80-character records of a header into `HeaderCard`s: joins CONTINUE long strings, types values,
/// and drops the structural keywords that describe the data layout (the writer regenerates them).
enum CardParser {
    static func parse(_ records: [String]) -> Header {
        var cards: [HeaderCard] = []
        cards.reserveCapacity(records.count)
        for record in records {
            let raw = Array(record.utf8)
            let keyword = String(decoding: raw.prefix(8), as: UTF8.self).trimmingCharacters(in: .whitespaces).uppercased()
            if keyword == "CONTINUE", let last = cards.last, case .value(.string(let head))? = Optional(last.kind),
               head.hasSuffix("&")
            {
                let (value, comment) = parseValue(Array(raw.dropFirst(8)))
                let tail = value?.string ?? ""
                cards[cards.count - 1].kind = .value(.string(String(head.dropLast()) + tail))
                if !comment.isEmpty {
                    cards[cards.count - 1].comment += (cards[cards.count - 1].comment.isEmpty ? "" : " ") + comment
                }
                continue
            }
            if let card = parseCard(raw, keyword: keyword), !isStructural(card) { cards.append(card) }
        }
        return Header(cards)
    }

    private static func parseCard(_ raw: [UInt8], keyword: String) -> HeaderCard? {
        if keyword == "END" { return nil }
        let text = { (from: Int) in
            String(decoding: raw.dropFirst(from), as: UTF8.self).replacingTrailingBlanks()
        }
        switch keyword {
        case "HISTORY": return HeaderCard(keyword: keyword, kind: .history, comment: text(8))
        case "COMMENT": return HeaderCard(keyword: keyword, kind: .comment, comment: text(8))
        case "": return HeaderCard(keyword: "", kind: .blank, comment: text(8))
        case "HIERARCH":
            let body = Array(raw.dropFirst(8))
            guard let eq = body.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let name = String(decoding: body[..<eq], as: UTF8.self).trimmingCharacters(in: .whitespaces).uppercased()
            let (value, comment) = parseValue(Array(body[(eq + 1)...]))
            return HeaderCard(keyword: name, kind: .value(value), comment: comment)
        default:
            guard raw.count >= 10, raw[8] == UInt8(ascii: "="), raw[9] == UInt8(ascii: " ") else {
                // A keyword without a value indicator is commentary under that keyword.
                return HeaderCard(keyword: keyword, kind: .comment, comment: text(8))
            }
            let (value, comment) = parseValue(Array(raw.dropFirst(10)))
            return HeaderCard(keyword: keyword, kind: .value(value), comment: comment)
        }
    }

    /// Parses the value field and comment of a value card.
    static func parseValue(_ field: [UInt8]) -> (HeaderValue?, String) {
        var i = 0
        while i < field.count, field[i] == UInt8(ascii: " ") { i += 1 }
        guard i < field.count else { return (nil, "") }
        if field[i] == UInt8(ascii: "'") {
            var bytes: [UInt8] = []
            i += 1
            while i < field.count {
                if field[i] == UInt8(ascii: "'") {
                    if i + 1 < field.count, field[i + 1] == UInt8(ascii: "'") {
                        bytes.append(field[i]); i += 2; continue
                    }
                    i += 1
                    break
                }
                bytes.append(field[i]); i += 1
            }
            let value = String(decoding: bytes, as: UTF8.self).replacingTrailingBlanks()
            return (.string(value), comment(after: field, from: i))
        }
        var end = i
        while end < field.count, field[end] != UInt8(ascii: "/") { end += 1 }
        let token = String(decoding: field[i..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return (typedValue(token), comment(after: field, from: end))
    }

    private static func comment(after field: [UInt8], from start: Int) -> String {
        guard let slash = field[min(start, field.count)...].firstIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(decoding: field[(slash + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    private static func typedValue(_ token: String) -> HeaderValue? {
        if token.isEmpty { return nil }
        if token == "T" { return .logical(true) }
        if token == "F" { return .logical(false) }
        if let i = Int(token) { return .integer(i) }
        let normalised = token.uppercased().replacingOccurrences(of: "D", with: "E")
        if let d = Double(normalised) { return .real(d) }
        // Complex values "(re, im)" and malformed tokens keep their text.
        return .string(token)
    }

    /// Keywords that the writer derives from the data or the table layout.
    static func isStructural(_ card: HeaderCard) -> Bool {
        if card.kind == .comment { return isLibraryBoilerplate(card.comment) }
        guard card.isValueCard else { return false }
        let k = card.keyword
        switch k {
        case "SIMPLE", "BITPIX", "NAXIS", "EXTEND", "XTENSION", "PCOUNT", "GCOUNT", "TFIELDS", "BZERO", "BSCALE",
             "CHECKSUM", "DATASUM", "THEAP":
            return true
        default:
            for prefix in ["NAXIS", "TTYPE", "TFORM", "TUNIT", "TSCAL", "TZERO"] where k.hasPrefix(prefix) {
                if k.dropFirst(prefix.count).allSatisfy(\.isNumber), k.count > prefix.count { return true }
            }
            return false
        }
    }

    /// The COMMENT lines cfitsio adds to every primary header and with LONGSTRN; copying them would duplicate them.
    private static func isLibraryBoilerplate(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces)
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
