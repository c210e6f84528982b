import FITS
import Pipeline

/// Pairs NIRCam `_i2d` images with a NIRSpec IFU `_s3d` cube by the sky, whatever their programs and target
/// names: each cube opens a group of its own, and every image whose footprint overlaps the cube's and whose
/// filter lies inside the cube's grating range (`FusionRanges`) joins it. Several programs' images may feed one
/// cube, and one image may feed several cubes.
public struct FusionGrouping: GroupingRule {
    public init() {}

    public func membership(for kind: ExposureKind, science: Header?) -> GroupMembership.Role? {
        guard let science, let footprint = FusionFootprint.region(science: science) else { return nil }
        let points = footprint.vertices.map { SkyPoint(ra: $0.ra, dec: $0.dec) }
        if Self.isCube(kind), FusionRanges.filtersByGrating[kind.grating] != nil {
            let traits = MatchTraits(footprint: points, setting: kind.grating)
            let target = kind.targetName.isEmpty ? "target" : kind.targetName
            return .anchor(
                key: "\(kind.program)-o\(kind.observation)-\(target)-\(kind.grating)-\(kind.filter)".lowercased(), traits: traits)
        }
        if Self.isImage(kind), FusionRanges.grating(forFilter: kind.filter) != nil {
            return .candidate(MatchTraits(footprint: points, setting: kind.filter))
        }
        return nil
    }

    /// An image joins a cube when its filter fuses with the cube's grating and the footprints share some sky.
    public func mismatch(_ candidate: MatchTraits, anchor: MatchTraits) -> String? {
        guard FusionRanges.filtersByGrating[anchor.setting]?.contains(candidate.setting) == true else {
            return "filter \(candidate.setting) lies outside the range of \(anchor.setting)"
        }
        guard candidate.region.overlapArea(with: anchor.region) > 0 else {
            return "its footprint does not overlap the cube's \(anchor.file)"
        }
        return nil
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

    static func isCube(_ kind: ExposureKind) -> Bool {
        kind.instrument == "NIRSPEC" && kind.exposureType == "NRS_IFU" && kind.suffix == "s3d"
    }
    static func isImage(_ kind: ExposureKind) -> Bool {
        kind.instrument == "NIRCAM" && kind.exposureType == "NRC_IMAGE" && kind.suffix == "i2d"
    }
}
