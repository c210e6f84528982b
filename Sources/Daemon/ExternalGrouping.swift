import FITS
import Pipeline

/// How an external multi-file step gathers its inputs: files whose chosen exposure fields agree form one group,
/// complete once it holds as many files as the observation's dither positions (NUMDTHPT); without that number it
/// runs when it has been quiet for the group settle time.
struct ExternalGrouping: GroupingRule {
    /// The `group_by` fields a configuration may name.
    static let fields: [String: KeyPath<ExposureKind, String> & Sendable] = [
        "program": \.program, "observation": \.observation, "visit": \.visit, "exposure_type": \.exposureType,
        "instrument": \.instrument, "detector": \.detector, "filter": \.filter, "grating": \.grating,
        "fixed_slit": \.fixedSlit, "channel": \.channel, "band": \.band, "target": \.targetName, "suffix": \.suffix,
    ]

    let fieldNames: [String]

    func groupKey(for kind: ExposureKind, science: Header?) -> String? {
        let values = fieldNames.compactMap { Self.fields[$0].map { kind[keyPath: $0] } }
        guard !values.isEmpty, values.allSatisfy({ !$0.isEmpty }) else { return nil }
        return values.joined(separator: "-")
    }

    func isComplete(_ members: [ExposureKind]) -> Bool {
        guard let expected = members.compactMap(\.ditherPoints).max() else { return false }
        return members.count >= expected
    }

    func isRunnable(_ members: [ExposureKind]) -> Bool { !members.isEmpty }
}
