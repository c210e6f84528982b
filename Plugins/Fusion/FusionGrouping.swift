import FITS
import Pipeline

/// Pairs one NIRSpec IFU `_s3d` cube with the NIRCam `_i2d` images of the same program and target whose filters
/// fuse with its grating. Sky overlap is checked when the step runs (from the WCS and S_REGION of each file).
public struct FusionGrouping: GroupingRule {
    public init() {}

    public func groupKey(for kind: ExposureKind, science: Header?) -> String? {
        let family: String?
        if kind.instrument == "NIRSPEC", kind.exposureType == "NRS_IFU", kind.suffix == "s3d" {
            family = FusionRanges.filtersByGrating[kind.grating] == nil ? nil : kind.grating
        } else if kind.instrument == "NIRCAM", kind.exposureType == "NRC_IMAGE", kind.suffix == "i2d" {
            family = FusionRanges.grating(forFilter: kind.filter)
        } else {
            family = nil
        }
        guard let family else { return nil }
        let target = kind.targetName.isEmpty ? "target" : kind.targetName
        return "\(kind.program)-\(target)-\(family)".lowercased()
    }

    public func isRunnable(_ members: [ExposureKind]) -> Bool {
        members.contains(where: Self.isCube) && members.contains(where: Self.isImage)
    }

    /// Complete when every filter of the cube's fusion range has an image.
    public func isComplete(_ members: [ExposureKind]) -> Bool {
        guard let cube = members.first(where: Self.isCube), let wanted = FusionRanges.filtersByGrating[cube.grating] else { return false }
        let present = Set(members.filter(Self.isImage).map(\.filter))
        return wanted.allSatisfy(present.contains)
    }

    static func isCube(_ kind: ExposureKind) -> Bool { kind.instrument == "NIRSPEC" && kind.suffix == "s3d" }
    static func isImage(_ kind: ExposureKind) -> Bool { kind.instrument == "NIRCAM" && kind.suffix == "i2d" }
}
