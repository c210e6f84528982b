/// One logical header record: a keyword with a value, or commentary (HISTORY, COMMENT, a blank-keyword section title).
///
/// A long string continued over CONTINUE cards is one `HeaderCard` here; the writer splits it again.
public struct HeaderCard: Sendable, Equatable {
    /// What kind of record this is.
    public enum Kind: Sendable, Equatable {
        /// `KEYWORD = value / comment`; a nil value is FITS's undefined value.
        case value(HeaderValue?)
        /// `HISTORY text`
        case history
        /// `COMMENT text`
        case comment
        /// Blank keyword: section titles and spacer lines in JWST headers.
        case blank
    }

    /// Upper-case keyword; empty for blank cards. May contain '-' and '_' (DATE-OBS, S_REGION).
    public var keyword: String
    public var kind: Kind
    /// The comment after '/', or the text of a commentary card.
    public var comment: String

    public init(keyword: String, kind: Kind, comment: String = "") {
        self.keyword = keyword
        self.kind = kind
        self.comment = comment
    }

    /// A value card.
    public static func value(_ keyword: String, _ value: HeaderValue?, comment: String = "") -> HeaderCard {
        HeaderCard(keyword: keyword.uppercased(), kind: .value(value), comment: comment)
    }

    /// The value when this is a value card.
    public var value: HeaderValue? { if case .value(let v) = kind { v } else { nil } }
    public var isValueCard: Bool { if case .value = kind { true } else { false } }
}
