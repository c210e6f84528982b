import CFITSIO
import Foundation

/// Writes `Header` cards into the current HDU of a cfitsio handle.
enum HeaderWriter {
    static func write(_ header: Header, to handle: UnsafeMutablePointer<fitsfile>?, path: String) throws(FITSError) {
        let needsLongStrings = header.cards.contains { card in
            if case .value(.string(let s)?) = card.kind { return s.utf8.count > 68 }
            return false
        }
        if needsLongStrings, !header.contains("LONGSTRN") {
            try check("write LONGSTRN", file: path) { status in _ = ffplsw(handle, &status) }
        }
        for card in header.cards where !CardParser.isStructural(card) {
            try write(card, to: handle, path: path)
        }
    }

    private static func write(_ card: HeaderCard, to handle: UnsafeMutablePointer<fitsfile>?, path: String) throws(FITSError) {
        let key = card.keyword
        let comment = card.comment
        try check("write keyword \(key.isEmpty ? "(blank)" : key)", file: path) { status in
            switch card.kind {
            case .history: ffphis(handle, comment, &status)
            case .comment:
                if key == "COMMENT" { ffpcom(handle, comment, &status) } else { ffprec(handle, pad(key) + comment, &status) }
            case .blank: ffprec(handle, "        " + comment, &status)
            case .value(nil): ffpkyu(handle, key, comment, &status)
            case .value(.string(let s)?): ffpkls(handle, key, s, comment, &status)
            case .value(.integer(let i)?): ffpkyj(handle, key, Int64(i), comment, &status)
            case .value(.logical(let b)?): ffpkyl(handle, key, b ? 1 : 0, comment, &status)
            case .value(.real(let d)?):
                if !d.isFinite {
                    ffpkyu(handle, key, comment.isEmpty ? "value was \(d)" : comment, &status)
                } else if key.utf8.count <= 8 {
                    ffprec(handle, realCard(key, d, comment), &status)
                } else {
                    ffpkyd(handle, key, d, -17, comment, &status)
                }
            }
        }
    }

    private static func pad(_ keyword: String) -> String {
        keyword.count >= 8 ? keyword : keyword + String(repeating: " ", count: 8 - keyword.count)
    }

    /// A fixed-format real card with the shortest text that reads back to the same double.
    private static func realCard(_ key: String, _ value: Double, _ comment: String) -> String {
        var text = "\(value)".uppercased()
        if !text.contains(".") && !text.contains("E") { text += ".0" }
        if text.contains("E") && !text.contains(".") { text = text.replacingOccurrences(of: "E", with: ".0E") }
        let field = text.count < 20 ? String(repeating: " ", count: 20 - text.count) + text : text
        var card = pad(key) + "= " + field
        if !comment.isEmpty { card += " / " + comment }
        return String(card.prefix(80))
    }
}
