import FITS
import Fusion
import Pipeline
import Simulator
import Testing

@Test func cubeOpensAGroupThatItsImagesJoinAndThatCompletesWithAllFilters() throws {
    let files = try FusionPairRecipe().generate(seed: 1, assignments: ["spaxels=8", "channels=40"])
    let rule = FusionGrouping()
    let roles = files.map { rule.membership(for: $0.exposure.kind, science: $0.exposure.hdu("SCI")?.header) }
    guard case .anchor(_, let cube)? = roles[0] else { Issue.record("the cube is an anchor: \(String(describing: roles[0]))"); return }
    for role in roles.dropFirst() {
        guard case .candidate(let image)? = role else { Issue.record("an image is a candidate: \(String(describing: role))"); continue }
        #expect(rule.mismatch(image, anchor: cube) == nil)
    }
    let kinds = files.map(\.exposure.kind)
    #expect(rule.isRunnable([kinds[0], kinds[1]]))
    #expect(!rule.isRunnable([kinds[1], kinds[2]]))
    #expect(!rule.isComplete(Array(kinds.prefix(3))))
    #expect(rule.isComplete(kinds))
}

@Test func filtersOutsideTheGratingRangeDoNotJoin() throws {
    let files = try FusionPairRecipe().generate(seed: 1, assignments: ["spaxels=8", "channels=40", "filters=F200W"])
    let rule = FusionGrouping()
    guard case .anchor(_, let cube)? = rule.membership(for: files[0].exposure.kind, science: files[0].exposure.hdu("SCI")?.header),
        case .candidate(var image)? = rule.membership(for: files[1].exposure.kind, science: files[1].exposure.hdu("SCI")?.header)
    else {
        Issue.record("cube and image roles"); return
    }
    image.setting = "F356W"
    #expect(rule.mismatch(image, anchor: cube)?.contains("outside the range of G235H") == true)
}

@Test func filtersWithoutFusionPartnerAreNotGrouped() throws {
    var primary = Header()
    primary.set("INSTRUME", .string("NIRCAM")); primary.set("EXP_TYPE", .string("NRC_IMAGE")); primary.set("FILTER", .string("F444W"))
    let kind = ExposureKind(primary: primary, name: ProductName("jw01234-o001_t001_nircam_clear-f444w_i2d.fits"))
    var science = Header()
    science.set("S_REGION", .string("POLYGON ICRS 10 10 10.001 10 10.001 10.001 10 10.001"))
    #expect(FusionGrouping().membership(for: kind, science: science) == nil)
}
