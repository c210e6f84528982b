/// The value field of a card (after `= `, or after a CONTINUE or HIERARCH keyword): a quoted string with doubled
/// quotes, a logical, an integer, a real (E or D exponent), or kept as text (complex values, malformed tokens).
extension CardBytes {
    /// The value in `field` and the comment after it (not built when `withComment` is false).
    func value(in field: Range<Int>, withComment: Bool = true) -> (value: HeaderValue?, comment: String) {
        var start = field.lowerBound
        while start < field.upperBound, bytes[start] == Self.space { start += 1 }
        guard start < field.upperBound else { return (nil, "") }
        if bytes[start] == Self.quote {
            let (text, end) = quoted(from: start + 1, to: field.upperBound)
            return (.string(text), withComment ? comment(from: end, in: field) : "")
        }
        let end = firstIndex(of: Self.slash, in: start..<field.upperBound)
        return (typed(trimmed(start..<end)), withComment ? comment(from: end, in: field) : "")
    }

    /// A string value starting after its opening quote: '' stands for one quote, trailing spaces are not part of
    /// it. An unterminated string runs to the end of the field. Returns the text and the index after the closing quote.
    private func quoted(from start: Int, to limit: Int) -> (String, Int) {
        var index = start
        var doubled = false
        while index < limit {
            if bytes[index] == Self.quote {
                guard index + 1 < limit, bytes[index + 1] == Self.quote else { break }
                doubled = true
                index += 2
            } else {
                index += 1
            }
        }
        let end = min(index + 1, limit)
        let content = withoutTrailingSpaces(start..<index)
        guard doubled else { return (text(content), end) }
        var unquoted: [UInt8] = []
        unquoted.reserveCapacity(content.count)
        var i = content.lowerBound
        while i < content.upperBound {
            unquoted.append(bytes[i])
            i += bytes[i] == Self.quote && i + 1 < content.upperBound && bytes[i + 1] == Self.quote ? 2 : 1
        }
        return (String(decoding: unquoted, as: UTF8.self), end)
    }

    /// A token that is not a string: nil when empty (FITS's undefined value).
    private func typed(_ token: Range<Int>) -> HeaderValue? {
        guard !token.isEmpty else { return nil }
        if token.count == 1, bytes[token.lowerBound] == UInt8(ascii: "T") { return .logical(true) }
        if token.count == 1, bytes[token.lowerBound] == UInt8(ascii: "F") { return .logical(false) }
        if let integer = integer(token) { return .integer(integer) }
        if let real = real(token) { return .real(real) }
        return .string(text(token))
    }

    /// An optionally signed run of decimal digits that fits in an `Int`.
    func integer(_ token: Range<Int>) -> Int? {
        var index = token.lowerBound
        let negative = index < token.upperBound && bytes[index] == UInt8(ascii: "-")
        if index < token.upperBound, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        guard index < token.upperBound else { return nil }
        var magnitude = 0
        while index < token.upperBound {
            let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
            guard (0...9).contains(digit) else { return nil }
            let (shifted, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            // Past Int's range the number is still a number: the caller reads it as a real.
            guard !o1, !o2 else { return nil }
            magnitude = sum
            index += 1
        }
        return negative ? -magnitude : magnitude
    }

    /// A decimal real with an E or D exponent. Only the characters FITS allows in a real are accepted, so that
    /// words Swift's parser would take (nan, inf, hexadecimal floats) stay text.
    private func real(_ token: Range<Int>) -> Double? {
        var digits = 0
        let text = String(unsafeUninitializedCapacity: token.count) { output in
            for (offset, byte) in bytes[token].enumerated() {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1; output[offset] = byte
                case UInt8(ascii: "D"), UInt8(ascii: "d"), UInt8(ascii: "e"): output[offset] = UInt8(ascii: "E")
                case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "E"): output[offset] = byte
                default: return 0
                }
            }
            return token.count
        }
        guard digits > 0, text.utf8.count == token.count else { return nil }
        return Double(text)
    }
}
