import FITS
import Fusion
import Pipeline
import Simulator
import Testing

@Test func cubeAndImagesOfOneRangeShareAGroupThatCompletesWithAllFilters() throws {
    let kinds = try FusionPairRecipe().generate(seed: 1, assignments: ["spaxels=8", "channels=40"]).map(\.exposure.kind)
    let rule = FusionGrouping()
    let keys = Set(kinds.map { rule.groupKey(for: $0, science: nil) })
    #expect(keys.count == 1 && keys.first! != nil)
    #expect(rule.isRunnable([kinds[0], kinds[1]]))
    #expect(!rule.isRunnable([kinds[1], kinds[2]]))
    #expect(!rule.isComplete(Array(kinds.prefix(3))))
    #expect(rule.isComplete(kinds))
}

@Test func filtersWithoutFusionPartnerAreNotGrouped() throws {
    var primary = Header()
    primary.set("INSTRUME", .string("NIRCAM")); primary.set("EXP_TYPE", .string("NRC_IMAGE")); primary.set("FILTER", .string("F444W"))
    let kind = ExposureKind(primary: primary, name: ProductName("jw01234-o001_t001_nircam_clear-f444w_i2d.fits"))
    #expect(FusionGrouping().groupKey(for: kind, science: nil) == nil)
}
