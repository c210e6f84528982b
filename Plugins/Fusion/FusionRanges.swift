/// Which NIRCam filters fuse with which NIRSpec IFU setting (Marquis et al. 2026, Table 3). Filters are
/// grouped by grating family, because F115W partners both G140H settings.
public enum FusionRanges {
    /// Grating → NIRCam filters whose bands lie inside its symmetric-fusion range.
    public static let filtersByGrating: [String: [String]] = [
        "G140H": ["F115W", "F162M", "F164N"],
        "G235H": ["F182M", "F187N", "F200W", "F210M", "F212N"],
        "G395H": ["F300M", "F323N", "F335M", "F356W", "F360M", "F460M", "F466N", "F470N"],
    ]

    /// The grating family a NIRCam filter fuses with, if any.
    public static func grating(forFilter filter: String) -> String? {
        filtersByGrating.first { $0.value.contains(filter.uppercased()) }?.key
    }
}
