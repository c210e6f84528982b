import Pipeline
import XCTest

final class ProductNameTests: XCTestCase {
    func testExposureBasedNames() {
        let n = ProductName("mastDownload/JWST/x/jw01345062001_03101_00001_nrs2_rate.fits")
        XCTAssertEqual(n.fileName, "jw01345062001_03101_00001_nrs2_rate.fits")
        XCTAssertEqual(n.suffix, "rate")
        XCTAssertEqual(n.stem, "jw01345062001_03101_00001_nrs2")
        XCTAssertTrue(n.isJWSTName)
        XCTAssertFalse(n.isLevel3)
        XCTAssertEqual(n.product(suffix: "nsclean"), "jw01345062001_03101_00001_nrs2_nsclean.fits")
        XCTAssertEqual(ProductName("jw02733002001_02103_00001_mirimage_o002_crf.fits").suffix, "crf")
        XCTAssertEqual(ProductName("jw01345062001_03101_00001-seg002_nrs1_rateints.fits.gz").suffix, "rateints")
        XCTAssertTrue(ProductName("jw01345062001_03101_00001-seg002_nrs1_rateints.fits.gz").isCompressed)
    }

    func testSourceBasedNames() {
        let i2d = ProductName("jw02733-o001_t001_nircam_f405n-f444w_i2d.fits")
        XCTAssertEqual(i2d.suffix, "i2d")
        XCTAssertTrue(i2d.isLevel3)
        XCTAssertEqual(ProductName("jw01751-o006_t005_nirspec_g235h-f170lp_s3d.fits").suffix, "s3d")
        XCTAssertEqual(ProductName("jw02072-c1003_s00002_nirspec_clear-prism-s200a1_x1d.fits").suffix, "x1d")
        XCTAssertEqual(ProductName("jw01188-o011_t003_miri_p750l_x1d.fits").stem, "jw01188-o011_t003_miri_p750l")
        let fused = ProductName("jw01751-o006_t005_nirspec_g235h-f170lp_fused_s3d.fits", productSuffixes: ["fused_s3d"])
        XCTAssertEqual(fused.suffix, "fused_s3d")
        XCTAssertEqual(fused.stem, "jw01751-o006_t005_nirspec_g235h-f170lp")
    }

    func testCutOutNamesKeepTheirPipelineSuffixAndTag() {
        let n = ProductName("jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits")
        XCTAssertTrue(n.isJWSTName)
        XCTAssertEqual(n.suffix, "phot")
        XCTAssertEqual(n.stem, "jw01345062001_03101_00001_nrs2")
        XCTAssertEqual(n.cutout, "138.1345_933")
        XCTAssertEqual(n.product(suffix: "x1d"), "jw01345062001_03101_00001_nrs2_x1d.138.1345_933.fits")
        XCTAssertEqual(ProductName(n.product(suffix: "x1d")).cutout, "138.1345_933", "a product's name parses back the same way")
        XCTAssertNil(ProductName("jw01345062001_03101_00001_nrs2_rate.fits").cutout)
        XCTAssertNil(ProductName("static-test-driz-center-bkg_933.spec.fits").cutout, "only a pipeline name before the tag makes a cut-out")
        XCTAssertFalse(ProductName("static-test-driz-center-bkg_933.spec.fits").isJWSTName)
    }

    func testOddNames() {
        XCTAssertEqual(ProductName("test1_cal.fits").suffix, "cal")
        XCTAssertFalse(ProductName("test1_cal.fits").isJWSTName)
        XCTAssertEqual(ProductName("noextension").suffix, "")
        XCTAssertEqual(ProductName("my file with spaces_cal.fits").suffix, "cal")
    }
}
