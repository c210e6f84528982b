/// JWST data-quality bits (the `jwst` pipeline's DQ table), as stored in DQ arrays and x1d DQ columns.
public struct DataQuality: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let doNotUse = DataQuality(rawValue: 1 << 0)
    public static let saturated = DataQuality(rawValue: 1 << 1)
    public static let jumpDetected = DataQuality(rawValue: 1 << 2)
    public static let dropout = DataQuality(rawValue: 1 << 3)
    public static let outlier = DataQuality(rawValue: 1 << 4)
    public static let persistence = DataQuality(rawValue: 1 << 5)
    public static let adjacentToDoNotUse = DataQuality(rawValue: 1 << 6)
    public static let referencePixel = DataQuality(rawValue: 1 << 31)
    public static let deadPixel = DataQuality(rawValue: 1 << 10)
    public static let hotPixel = DataQuality(rawValue: 1 << 11)
    public static let nonScience = DataQuality(rawValue: 1 << 9)
    /// Set on pixels whose value a step estimated (filled) rather than measured.
    public static let fluxEstimated = DataQuality(rawValue: 1 << 28)

    /// Bits after which a pixel's value must not be trusted for fitting.
    public static let unusable: DataQuality = [.doNotUse, .saturated, .jumpDetected, .dropout, .outlier, .deadPixel, .hotPixel]
}
