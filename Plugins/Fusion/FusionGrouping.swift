import FITS
import Pipeline

/// Pairs NIRCam `_i2d` images with a NIRSpec IFU `_s3d` cube by the sky, whatever their programs and target
/// names: each cube opens a group of its own, and every image whose footprint overlaps the cube's and whose
/// filter lies inside the cube's grating range (`FusionRanges`) joins it. Several programs' images may feed one
/// cube, and one image may feed several cubes.
public struct FusionGrouping: GroupingRule {
    public init() {}

    public func membership(for kind: ExposureKind, science: Header?) -> GroupMembership.Role? {
        if case .joins(let role) = decision(for: kind, science: science) { role } else { nil }
    }

    public func refusal(for kind: ExposureKind, science: Header?) -> String? {
        if case .refused(let reason) = decision(for: kind, science: science) { reason } else { nil }
    }

    /// How a file takes part, or why it cannot: a cube or image whose grating or filter has no fusion range, or
    /// whose place on the sky is unknown, is refused with that reason; any other file without one.
    private enum Decision {
        case joins(GroupMembership.Role)
        case refused(String?)
    }

    private func decision(for kind: ExposureKind, science: Header?) -> Decision {
        let cube = Self.isCube(kind), image = Self.isImage(kind)
        guard cube || image else { return .refused(nil) }
        if cube, FusionRanges.filtersByGrating[kind.grating] == nil {
            return .refused("grating \(kind.grating) has no NIRCam filters in a fusion range")
        }
        if image, FusionRanges.grating(forFilter: kind.filter) == nil {
            return .refused("filter \(kind.filter) lies in no NIRSpec grating's fusion range")
        }
        guard let science, let footprint = FusionFootprint.region(science: science) else {
            return .refused("the \(cube ? "cube" : "image") has no footprint: no S_REGION and no celestial WCS")
        }
        let points = footprint.vertices.map { SkyPoint(ra: $0.ra, dec: $0.dec) }
        guard cube else { return .joins(.candidate(MatchTraits(footprint: points, setting: kind.filter))) }
        let target = kind.targetName.isEmpty ? "target" : kind.targetName
        return .joins(
            .anchor(
                key: "\(kind.program)-o\(kind.observation)-\(target)-\(kind.grating)-\(kind.filter)".lowercased(),
                traits: MatchTraits(footprint: points, setting: kind.grating)))
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
