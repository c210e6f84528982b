import FITS
import Pipeline
import XCTest

/// Level-3 names as jwst's associations build them, checked against the names of jwst's own regression products.
final class Level3NameTests: XCTestCase {
    private func kind(_ keywords: [String: String]) -> ExposureKind {
        var primary = Header()
        for (key, value) in keywords { primary.set(key, .string(value)) }
        return ExposureKind(primary: primary, name: ProductName("jw01309022001_03101_00001_nrs1_cal.fits"))
    }

    /// jw01309-o022_s000000001_nirspec_f290lp-g395h-s200a2-allslits_x1d.fits (jwst regression data) names one source;
    /// our product holds every slit of the observation, so it carries the target, with the same optical part.
    func testAllSlitsNamesCarryTheSlitAndTheSubarray() {
        let allSlits = kind([
            "PROGRAM": "01309", "OBSERVTN": "022", "INSTRUME": "NIRSPEC", "FILTER": "F290LP", "GRATING": "G395H",
            "FXD_SLIT": "S200A2", "SUBARRAY": "ALLSLITS",
        ])
        XCTAssertEqual(Level3Name.observation(allSlits, suffix: "x1d"), "jw01309-o022_t001_nirspec_f290lp-g395h-s200a2-allslits_x1d.fits")
    }

    /// The slit's own subarray is named too (jw01245-o002_s000000001_nirspec_clear-prism-s200a1-subs200a1_x1d.fits),
    /// as is a bright-object one; FULL is not.
    func testOtherSubarraysAreNamedAndFullIsNot() {
        let own = kind([
            "PROGRAM": "01245", "OBSERVTN": "002", "INSTRUME": "NIRSPEC", "FILTER": "CLEAR", "GRATING": "PRISM",
            "FXD_SLIT": "S200A1", "SUBARRAY": "SUBS200A1",
        ])
        XCTAssertEqual(Level3Name.observation(own, suffix: "x1d"), "jw01245-o002_t001_nirspec_clear-prism-s200a1-subs200a1_x1d.fits")
        let bots = kind([
            "PROGRAM": "01118", "OBSERVTN": "001", "INSTRUME": "NIRSPEC", "FILTER": "F290LP", "GRATING": "G395H",
            "FXD_SLIT": "S1600A1", "SUBARRAY": "SUB2048",
        ])
        XCTAssertEqual(Level3Name.observation(bots, suffix: "x1d"), "jw01118-o001_t001_nirspec_f290lp-g395h-s1600a1-sub2048_x1d.fits")
        let full = kind([
            "PROGRAM": "01245", "OBSERVTN": "003", "INSTRUME": "NIRSPEC", "FILTER": "F170LP", "GRATING": "G235M",
            "FXD_SLIT": "S400A1", "SUBARRAY": "FULL",
        ])
        XCTAssertEqual(Level3Name.observation(full, suffix: "x1d"), "jw01245-o003_t001_nirspec_f170lp-g235m-s400a1_x1d.fits")
    }

    /// MOS has no fixed slit (FXD_SLIT NONE) and reads full frame; MIRI LRS has a filter only
    /// (jw01188-o011_t003_miri_p750l_x1d.fits).
    func testMOSAndMIRILRSNamesHaveNeitherSlitNorSubarray() {
        let mos = kind([
            "PROGRAM": "01345", "OBSERVTN": "062", "INSTRUME": "NIRSPEC", "FILTER": "CLEAR", "GRATING": "PRISM",
            "FXD_SLIT": "NONE", "SUBARRAY": "FULL",
        ])
        XCTAssertEqual(Level3Name.observation(mos, suffix: "x1d"), "jw01345-o062_t001_nirspec_clear-prism_x1d.fits")
        let lrs = kind(["PROGRAM": "01188", "OBSERVTN": "011", "INSTRUME": "MIRI", "FILTER": "P750L", "SUBARRAY": "FULL"])
        XCTAssertEqual(Level3Name.observation(lrs, suffix: "x1d", target: "t003"), "jw01188-o011_t003_miri_p750l_x1d.fits")
    }
}
