/// The five NIRSpec fixed slits and which of them a `_cal` file holds for each SUBARRAY (jwst's assign_wcs: a
/// slit's own subarray opens only that slit; FULL and ALLSLITS open all five).
enum FixedSlitLayout {
    /// jwst's order, which numbers the slits 1…5, with each slit's length in pixels (0.1"/px) and own subarray.
    static let slits: [(name: String, length: Double, subarray: String)] = [
        ("S200A1", 33, "SUBS200A1"), ("S200A2", 33, "SUBS200A2"), ("S400A1", 38, "SUBS400A1"),
        ("S1600A1", 16, "SUB2048"), ("S200B1", 33, "SUBS200B1"),
    ]
    /// Slits given a secondary source first: the long ones, where a nodded source stays on the slit.
    static let secondaryPreference = ["S200A2", "S400A1", "S200B1", "S1600A1"]

    static func length(of slit: String) -> Double { slits.first { $0.name == slit }!.length }
    static func number(of slit: String) -> Int { slits.firstIndex { $0.name == slit }! + 1 }
    static func ownSubarray(of slit: String) -> String { slits.first { $0.name == slit }!.subarray }

    /// The slits a file of `subarray` holds, primary `slit` first when it is one of them.
    static func slitsOpened(by subarray: String, primary slit: String) -> [String] {
        guard subarray == "FULL" || subarray == "ALLSLITS" else { return [slit] }
        return slits.map(\.name).sorted { a, b in (a == slit ? 0 : number(of: a)) < (b == slit ? 0 : number(of: b)) }
    }

    /// A secondary slit's cut-out, in MJy/sr (jwst calibrates secondary slits as extended sources). With a source,
    /// it sits up to 2 px off the slit centre.
    static func secondaryCutout(
        _ slit: String, primary: SlitCutout, hasSource: Bool, pixelArea: Double,
        seed: SeededRandom
    ) -> SlitCutout {
        let length = length(of: slit), number = number(of: slit)
        var random = seed.stream("position-\(slit)")
        return SlitCutout.companion(
            of: primary, name: slit, number: number, sourceID: 10 * number + 1, sourceName: String(10 * number + 1),
            sourceType: "EXTENDED", unit: "MJy/sr", unitScale: 1 / pixelArea, slitLengthPixels: length,
            crossPixels: max(12, Int((Double(primary.observation.crossPixels) * length / primary.slitLengthPixels).rounded())),
            offset: hasSource ? 4 * (random.uniform() - 0.5) : 0, hasSource: hasSource, seed: seed)
    }
}
