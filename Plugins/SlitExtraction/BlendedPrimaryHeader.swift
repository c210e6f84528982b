import FITS

/// The primary header of a product made from several exposures, as jwst's level-3 products carry it (jwst's
/// model_blender with stdatamodels' `blend_rule`s): the first member's keywords, except that times take the
/// earliest start and latest end, exposure times add up, and optical elements or detectors that differ between
/// members read MULTIPLE. Each member's own values are in the members table (`MembersTable`).
enum BlendedPrimaryHeader {
    enum Rule { case minimum, maximum, mean, sum, multiple, wheelTolerance }

    /// stdatamodels' core schema: every primary keyword with a blend rule other than "first".
    static let rules: [String: Rule] = [
        "DATE-OBS": .minimum, "TIME-OBS": .minimum, "DATE-BEG": .minimum, "DATE-END": .maximum,
        "DETECTOR": .multiple, "MODULE": .multiple, "FILTER": .multiple, "GRATING": .multiple, "BAND": .multiple,
        "FWPOSOFF": .maximum, "PWPOSOFF": .maximum, "FWPOSTOL": .wheelTolerance, "PWPOSTOL": .wheelTolerance,
        "EXPSTART": .minimum, "EXPMID": .mean, "EXPEND": .maximum, "INTSTART": .minimum, "INTEND": .maximum,
        "EFFEXPTM": .sum, "TMEASURE": .sum, "DURATION": .sum,
    ]

    static func header(members: [Header]) -> Header {
        var header = members[0]
        for (keyword, rule) in rules {
            let values = members.compactMap { $0[keyword] }
            if let value = blend(values, rule) { header.set(keyword, value) }
        }
        header.remove("CHECKSUM")
        header.remove("DATASUM")
        return header
    }

    static func blend(_ values: [HeaderValue], _ rule: Rule) -> HeaderValue? {
        guard let first = values.first else { return nil }
        let numbers = values.compactMap(\.real)
        let numeric = numbers.count == values.count && first.string == nil
        // ISO dates and times order the same lexically and chronologically, which is how jwst compares them.
        let ordered = values.sorted { a, b in numeric ? a.real! < b.real! : a.description < b.description }
        switch rule {
        case .minimum: return ordered.first
        case .maximum: return ordered.last
        case .mean: return numeric ? .real(numbers.reduce(0, +) / Double(numbers.count)) : first
        case .sum:
            guard numeric else { return first }
            let integers = values.compactMap { if case .integer(let i) = $0 { i } else { nil } }
            return integers.count == values.count ? .integer(integers.reduce(0, +)) : .real(numbers.reduce(0, +))
        case .multiple: return Set(values.map(\.description)).count == 1 ? first : .string("MULTIPLE")
        case .wheelTolerance:
            return .string(
                values.contains(.string("outside calibration tolerance")) ? "outside calibration tolerance" : "within commanded tolerance")
        }
    }
}
