import FITS
import Pipeline

/// Groups the dithers of one slit observation: same program, observation, visit, instrument, detector, optical
/// elements and slit. A group is complete when it holds as many exposures as the pattern has points (NUMDTHPT);
/// a single exposure can still run (without offset fitting) once the group has been quiet long enough.
public struct SlitGrouping: GroupingRule {
    /// The slit exposure types grouped; any other is refused (a step forced onto a file of another mode).
    let exposureTypes: Set<String>

    public init(accepting routes: [Route]) { exposureTypes = Set(routes.flatMap(\.exposureTypes)) }

    public func groupKey(for kind: ExposureKind, science: Header?) -> String? {
        guard exposureTypes.contains(kind.exposureType) else { return nil }
        let slit = kind.fixedSlit.isEmpty || kind.fixedSlit == "NONE" ? (science?.string("SLTNAME") ?? "slit") : kind.fixedSlit
        return [kind.program, kind.observation, kind.visit, kind.instrument, kind.detector, kind.opticalElements, slit]
            .map { $0.lowercased() }.joined(separator: "-")
    }

    public func isComplete(_ members: [ExposureKind]) -> Bool {
        guard let expected = members.compactMap(\.ditherPoints).max(), expected > 0 else { return false }
        return members.count >= expected
    }

    public func isRunnable(_ members: [ExposureKind]) -> Bool { !members.isEmpty }
}
