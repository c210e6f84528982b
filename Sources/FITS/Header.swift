/// The ordered keyword records of one HDU, without the structural keywords (SIMPLE, BITPIX, NAXISn, TFORMn,
/// CHECKSUM…) that the writer derives from the data.
public struct Header: Sendable, Equatable {
    public var cards: [HeaderCard]

    public init(_ cards: [HeaderCard] = []) { self.cards = cards }

    /// The first value of `keyword` (case-insensitive), or nil when absent or undefined.
    public subscript(keyword: String) -> HeaderValue? {
        get {
            let key = keyword.uppercased()
            return cards.first { $0.keyword == key && $0.isValueCard }?.value
        }
        set { set(keyword, newValue) }
    }

    public func contains(_ keyword: String) -> Bool {
        let key = keyword.uppercased()
        return cards.contains { $0.keyword == key && $0.isValueCard }
    }

    /// A string value with trailing blanks removed; nil when absent or not a string.
    public func string(_ keyword: String) -> String? { self[keyword]?.string }
    public func integer(_ keyword: String) -> Int? { self[keyword]?.integer }
    public func real(_ keyword: String) -> Double? { self[keyword]?.real }
    public func logical(_ keyword: String) -> Bool? { self[keyword]?.logical }

    /// Sets `keyword`, replacing the first existing value card in place (keeping its comment unless one is given),
    /// or appending a new card. Setting nil removes the keyword.
    public mutating func set(_ keyword: String, _ value: HeaderValue?, comment: String? = nil) {
        let key = keyword.uppercased()
        guard let value else {
            cards.removeAll { $0.keyword == key && $0.isValueCard }
            return
        }
        if let index = cards.firstIndex(where: { $0.keyword == key && $0.isValueCard }) {
            cards[index].kind = .value(value)
            if let comment { cards[index].comment = comment }
        } else {
            cards.append(.value(key, value, comment: comment ?? ""))
        }
    }

    public mutating func remove(_ keyword: String) { set(keyword, nil) }

    public mutating func addHistory(_ text: String) { cards.append(HeaderCard(keyword: "HISTORY", kind: .history, comment: text)) }
    public mutating func addComment(_ text: String) { cards.append(HeaderCard(keyword: "COMMENT", kind: .comment, comment: text)) }
    /// Appends a blank-keyword section title, the way JWST headers separate groups of keywords.
    public mutating func addSection(_ title: String) {
        cards.append(HeaderCard(keyword: "", kind: .blank))
        cards.append(HeaderCard(keyword: "", kind: .blank, comment: "        \(title)"))
        cards.append(HeaderCard(keyword: "", kind: .blank))
    }

    /// All HISTORY texts in order.
    public var history: [String] { cards.filter { $0.kind == .history }.map(\.comment) }

    /// EXTNAME, upper-cased, or nil for an unnamed HDU.
    public var extensionName: String? { string("EXTNAME")?.uppercased() }
    /// EXTVER, defaulting to 1 as the FITS standard says.
    public var extensionVersion: Int { integer("EXTVER") ?? 1 }
}
