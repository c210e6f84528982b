/// One header card as the bytes the file holds (80 of them in a file; fewer when a library trimmed the trailing
/// blanks), read without building a `String` until a part of it is kept.
struct CardBytes {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var count: Int { bytes.count }
    subscript(index: Int) -> UInt8 { bytes[index] }

    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let quote = UInt8(ascii: "'")
    static let slash = UInt8(ascii: "/")
    static let equals = UInt8(ascii: "=")

    /// The keyword columns (1–8), blanks trimmed, upper-cased.
    var keyword: String { upperCased(trimmed(0..<min(8, count))) }

    /// `range` without the blanks (spaces, tabs) at either end.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Self.isBlank(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isBlank(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// `range` without its trailing spaces; leading ones are part of the text (section titles are indented).
    func withoutTrailingSpaces(_ range: Range<Int>) -> Range<Int> {
        var upper = range.upperBound
        while upper > range.lowerBound, bytes[upper - 1] == Self.space { upper -= 1 }
        return range.lowerBound..<upper
    }

    /// The first index of `byte` in `range`, or its upper bound.
    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int {
        var index = range.lowerBound
        while index < range.upperBound, bytes[index] != byte { index += 1 }
        return index
    }

    /// The bytes of `range` as text; bytes that are not UTF-8 (FITS allows only ASCII) become U+FFFD.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func upperCased(_ range: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: range.count) { output in
            for (offset, byte) in bytes[range].enumerated() {
                output[offset] = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
            }
            return range.count
        }
    }

    /// The commentary text from column 9 on, trailing blanks removed.
    var commentaryText: String { count > 8 ? text(withoutTrailingSpaces(8..<count)) : "" }

    /// The text after the first '/' at or after `start`, trimmed; empty when there is none.
    func comment(from start: Int, in field: Range<Int>) -> String {
        let slash = firstIndex(of: Self.slash, in: min(start, field.upperBound)..<field.upperBound)
        guard slash < field.upperBound else { return "" }
        let range = trimmed((slash + 1)..<field.upperBound)
        return range.isEmpty ? "" : text(range)
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }
}
