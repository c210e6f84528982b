import FITS
import Pipeline
import TestSupport
import XCTest

/// Headers modelled on real JWST products (keywords and values as MAST files carry them).
final class ClassifierTests: XCTestCase {
    /// A step that accepts `routes` and writes nothing.
    struct Accepting: Step {
        let manifest: StepManifest
        init(_ name: String, _ routes: [Route], status: String = "S_TEST", formerStatus: [String] = []) {
            manifest = StepManifest(
                name: name, summary: "test", routes: routes, productSuffix: name, statusKeyword: status,
                formerStatusKeywords: formerStatus)
        }
        func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] { [] }
    }

    /// Steps routed like DESIGN.md's table, under names of their own.
    static let rates = Route(
        instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU", "NRS_FIXEDSLIT", "NRS_MSASPEC", "NRS_BRIGHTOBJ"],
        suffixes: ["rate", "rateints"])
    let all = Classifier(
        registry: StepRegistry([
            Accepting("rates", [rates]),
            Accepting(
                "cubes",
                [
                    Route(instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU"], suffixes: ["cal"]),
                    Route(instruments: ["MIRI"], exposureTypes: ["MIR_MRS"], suffixes: ["cal"]),
                ]),
            Accepting(
                "slits",
                [
                    Route(instruments: ["NIRSPEC"], exposureTypes: ["NRS_FIXEDSLIT", "NRS_BRIGHTOBJ", "NRS_MSASPEC"], suffixes: ["cal"]),
                    Route(instruments: ["MIRI"], exposureTypes: ["MIR_LRS-FIXEDSLIT"], suffixes: ["cal"]),
                ]),
            Accepting(
                "fusion",
                [
                    Route(instruments: ["NIRCAM"], exposureTypes: ["NRC_IMAGE"], suffixes: ["i2d"]),
                    Route(instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU"], suffixes: ["s3d"]),
                ]),
        ]))
    let none = Classifier(registry: StepRegistry())

    private func header(_ values: [String: String]) -> Header {
        var h = Header()
        h.set("TELESCOP", "JWST")
        for (k, v) in values.sorted(by: { $0.key < $1.key }) { h.set(k, .string(v)) }
        return h
    }

    private func verdict(_ file: String, _ values: [String: String], classifier: Classifier? = nil) -> Verdict {
        (classifier ?? all).classify(primary: header(values), science: nil, name: ProductName(file), path: file).verdict
    }

    func testRoutesEveryMode() {
        let ifuRate = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IFU", "DETECTOR": "NRS1", "GRATING": "G395H", "FILTER": "F290LP"]
        XCTAssertEqual(verdict("jw01018001001_02101_00001_nrs1_rate.fits", ifuRate), .route(step: "rates"))
        XCTAssertEqual(verdict("jw01018001001_02101_00001_nrs1_rateints.fits", ifuRate), .route(step: "rates"))
        XCTAssertEqual(verdict("jw01018001001_02101_00001_nrs1_cal.fits", ifuRate), .route(step: "cubes"))
        let msa = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_MSASPEC", "GRATING": "PRISM", "FILTER": "CLEAR"]
        XCTAssertEqual(verdict("jw01345062001_03101_00001_nrs2_rate.fits", msa), .route(step: "rates"))
        XCTAssertEqual(verdict("jw01345062001_03101_00001_nrs2_cal.fits", msa), .route(step: "slits"))
        let mrs = ["INSTRUME": "MIRI", "EXP_TYPE": "MIR_MRS", "DETECTOR": "MIRIFUSHORT", "CHANNEL": "12", "BAND": "SHORT"]
        XCTAssertEqual(verdict("jw01523003001_03102_00001_mirifushort_cal.fits", mrs), .route(step: "cubes"))
        let fs = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_FIXEDSLIT", "FXD_SLIT": "S200A1", "GRATING": "G140M", "FILTER": "F100LP"]
        XCTAssertEqual(verdict("jw01128004001_03102_00001_nrs1_cal.fits", fs), .route(step: "slits"))
        let bots = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_BRIGHTOBJ", "FXD_SLIT": "S1600A1"]
        XCTAssertEqual(verdict("jw01366004001_04101_00001-seg001_nrs1_cal.fits", bots), .route(step: "slits"))
        let lrs = ["INSTRUME": "MIRI", "EXP_TYPE": "MIR_LRS-FIXEDSLIT", "FILTER": "P750L", "DETECTOR": "MIRIMAGE"]
        XCTAssertEqual(verdict("jw01530005001_03103_00001_mirimage_cal.fits", lrs), .route(step: "slits"))
        let i2d = ["INSTRUME": "NIRCAM", "EXP_TYPE": "NRC_IMAGE", "FILTER": "F444W", "PUPIL": "F405N", "DETECTOR": "MULTIPLE"]
        XCTAssertEqual(verdict("jw02733-o001_t001_nircam_f405n-f444w_i2d.fits", i2d), .route(step: "fusion"))
        let s3d = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IFU", "GRATING": "G235H", "FILTER": "F170LP", "DETECTOR": "MULTIPLE"]
        XCTAssertEqual(verdict("jw01751-o006_t005_nirspec_g235h-f170lp_s3d.fits", s3d), .route(step: "fusion"))
    }

    func testInputsTheStepAlreadyProcessedAreSkippedUnderEitherStatusName() {
        let cleaner = Classifier(registry: StepRegistry([Accepting("rates", [Self.rates], status: "S_CLNFNS", formerStatus: ["S_NSCLEN"])]))
        let rate = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IFU", "DETECTOR": "NRS1"]
        let file = "jw01018001001_02101_00001_nrs1_rate.fits"
        XCTAssertEqual(verdict(file, rate, classifier: cleaner), .route(step: "rates"))
        XCTAssertEqual(verdict(file, rate.merging(["S_CLNFNS": "SKIPPED"]) { $1 }, classifier: cleaner), .route(step: "rates"))
        for key in ["S_CLNFNS", "S_NSCLEN"] {
            guard case .skip(.alreadyProcessed, let why) = verdict(file, rate.merging([key: "COMPLETE"]) { $1 }, classifier: cleaner) else {
                return XCTFail("\(key) = COMPLETE must be skipped")
            }
            XCTAssertTrue(why.contains(key), why)
        }
    }

    func testRealMOSCutOutsAreRecognisedAsSuchWithTheirPipelineSuffix() throws {
        let file = SharedData.file("real-samples/jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: file), "shared samples not present")
        let c = all.classify(path: file)
        XCTAssertEqual(c.name.suffix, "phot")
        XCTAssertEqual(c.name.cutout, "138.1345_933")
        XCTAssertEqual(c.kind?.exposureType, "NRS_MSASPEC")
        XCTAssertEqual(skipReason(c.verdict), .unsupportedMode, c.verdict.reason)
        XCTAssertTrue(c.verdict.reason.contains("NRS_MSASPEC phot"), c.verdict.reason)
    }

    func testSkipsWithReasons() {
        let x1d = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_FIXEDSLIT", "DATAMODL": "MultiSpecModel"]
        guard case .skip(.unsupportedMode, let why) = verdict("jw02072-c1003_s00002_nirspec_clear-prism-s200a1_x1d.fits", x1d) else {
            return XCTFail("x1d must be skipped")
        }
        XCTAssertTrue(why.contains("extracted spectrum"))
        let ta = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_WATA"]
        XCTAssertEqual(skipReason(verdict("jw01345062001_02101_00001_nrs1_rate.fits", ta)), .targetAcquisition)
        XCTAssertEqual(skipReason(verdict("jw01_x_cal.fits", ["INSTRUME": "MIRI", "EXP_TYPE": "MIR_TACQ"])), .targetAcquisition)
        XCTAssertEqual(skipReason(verdict("jw01_x_rate.fits", ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_DARK"])), .calibrationExposure)
        XCTAssertEqual(skipReason(verdict("jw01_x_rate.fits", ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_LAMP"])), .calibrationExposure)
        XCTAssertEqual(skipReason(verdict("jw01_x_cal.fits", ["INSTRUME": "MIRI", "EXP_TYPE": "MIR_FLATMRS"])), .calibrationExposure)
        let uncal = ["INSTRUME": "NIRCAM", "EXP_TYPE": "NRC_CORON"]
        XCTAssertEqual(skipReason(verdict("jw01075001001_03105_00009_nrca2_uncal.fits", uncal)), .unsupportedMode)
        let reference = ["INSTRUME": "NIRSPEC", "REFTYPE": "SUPERBIAS", "USEAFTER": "2015-01-01T00:00:00", "PEDIGREE": "GROUND"]
        XCTAssertEqual(skipReason(verdict("jwst_nirspec_superbias_0075.fits", reference)), .referenceFile)
        XCTAssertEqual(skipReason(verdict("jw01_x_cal.fits", ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IFU", "TELESCOP": "HST"])), .notJWST)
        XCTAssertEqual(skipReason(verdict("jw01_x_weird.fits", ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IFU"])), .unknownSuffix)
        XCTAssertEqual(skipReason(verdict("jw01_x_cal.fits", ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IMAGE"])), .unsupportedMode)
        XCTAssertEqual(skipReason(verdict("jw01_x_cal.fits", ["INSTRUME": "NIRSPEC"])), .unsupportedMode)
    }

    func testAKindNoRegisteredStepRoutesIsUnsupported() {
        let ifu = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IFU"]
        XCTAssertEqual(skipReason(verdict("jw01_x_cal.fits", ifu, classifier: none)), .unsupportedMode)
    }

    func testTheRegisteredStepsProductSuffixesAreKnownProductTypes() {
        let ifu = ["INSTRUME": "NIRSPEC", "EXP_TYPE": "NRS_IFU"]
        XCTAssertEqual(skipReason(verdict("jw01018001001_02101_00001_nrs1_fusion.fits", ifu)), .unsupportedMode)
        XCTAssertEqual(skipReason(verdict("jw01018001001_02101_00001_nrs1_fusion.fits", ifu, classifier: none)), .unknownSuffix)
    }

    func testRealFilesOnDisk() throws {
        let samples = SharedData.file("real-samples")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: samples), "shared real samples not present")
        let expected: [String: SkipReason?] = [
            "test1_cal.fits": nil,
            "jwst_nirspec_superbias_0075.fits": .referenceFile,
            "jw01075001001_03105_00009_nrca2_uncal.fits": .unsupportedMode,
            "jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits": .unsupportedMode,
            "static-test-driz-center-bkg_933.spec.fits": .notJWST,
            "ERS_NGTS10_2022_new_drift_041_calints.fits": .unsupportedMode,
            "det_image_seq1_MIRIFUSHORT_12SHORTexp1_s3d.fits": .unsupportedMode,
        ]
        for (file, reason) in expected {
            let c = all.classify(path: "\(samples)/\(file)")
            if let reason {
                XCTAssertEqual(skipReason(c.verdict), reason, file)
            } else {
                XCTAssertEqual(c.verdict, .route(step: "slits"), file)
            }
        }
        XCTAssertEqual(all.classify(path: "\(samples)/test1_cal.fits").kind?.fixedSlit, "S200A2")
    }

    private func skipReason(_ v: Verdict) -> SkipReason? { if case .skip(let r, _) = v { r } else { nil } }
}
