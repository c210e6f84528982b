import FITS
import Foundation
import Pipeline
import Simulator
import TestSupport
import XCTest

/// Every kind `webbflow simulate` makes, in each layout MAST ships, opens in jwst's datamodels (the interop
/// environment: jwst 3.0, stdatamodels) as the model class of the real files and validates without a warning; the
/// arrays of the layout are there with the data's shape, and the identity, optical, pointing and association
/// keywords jwst reads come back as written. One Python process checks every file.
final class StdatamodelsLayoutTests: XCTestCase {
    /// One simulated layout: the kind, its settings, and what its files must hold.
    struct Layout: Sendable {
        var kind: String
        var settings: [String] = []
        var arrays: [String]
        var absent: [String] = []
        /// Written by a pipeline run from an association (spec2 / spec3 / image3): ASNTABLE and ASNPOOL are present.
        var associated = true
        /// What stdatamodels says refusing the files, when the layout is one it no longer opens; nil when it opens them.
        var refusal: String? = nil
        /// Files of the kind to check, by name; nil checks all.
        var files: (@Sendable (SimulatedFile) -> Bool)? = nil
    }

    static let variance = ["var_poisson", "var_rnoise"]
    static let slitArrays = ["dq", "err", "wavelength", "var_poisson", "var_rnoise", "var_flat"]
    static let fusionScene = ["spaxels=12", "channels=150"]

    static let layouts: [Layout] = [
        Layout(kind: "nirspec-rate", arrays: ["dq", "err"] + variance, associated: false),
        Layout(
            kind: "nirspec-rate", settings: ["mode=fixedslit", "subarray=SUBS200A1"], arrays: ["dq", "err"] + variance, associated: false),
        Layout(
            kind: "nirspec-rate", settings: ["mode=bots", "subarray=SUB2048", "ints=5", "segments=2"],
            arrays: ["dq", "err", "int_times"] + variance, associated: false),
        Layout(kind: "nirspec-ifu-cal", arrays: ["dq", "err", "wavelength", "regions", "var_flat"] + variance),
        Layout(
            kind: "nirspec-ifu-cal", settings: ["regions=false"], arrays: ["dq", "err", "wavelength", "var_flat"] + variance,
            absent: ["regions"]),
        Layout(
            kind: "miri-mrs-cal", settings: ["regions=false"], arrays: ["dq", "err", "wavelength", "var_flat"] + variance,
            absent: ["regions"]),
        Layout(
            kind: "fusion-pair", settings: fusionScene, arrays: ["err", "dq", "weightmap"], files: { $0.fileName.hasSuffix("_s3d.fits") }),
        Layout(
            kind: "fusion-pair", settings: fusionScene + ["s3d_layout=jwst3tab"], arrays: ["err", "dq", "weightmap", "wavetable"],
            files: { $0.fileName.hasSuffix("_s3d.fits") }),
        // Cubes from before jwst 1.16 (WCS-TABLE with an `nelem` column) are refused by stdatamodels 6, as a real one
        // of that age (CAL_VER 0.13, `det_image_seq1_MIRIFUSHORT_12SHORTexp1_s3d.fits`) is, with the same error.
        Layout(
            kind: "fusion-pair", settings: fusionScene + ["s3d_layout=wavetab"], arrays: [],
            refusal: "Array has wrong number of dimensions. Expected 2, got 0", files: { $0.fileName.hasSuffix("_s3d.fits") }),
        Layout(
            kind: "fusion-pair", settings: fusionScene, arrays: ["err", "con", "wht", "var_flat"] + variance,
            files: { $0.fileName.hasSuffix("_i2d.fits") }),
        Layout(kind: "nirspec-fs-cal", settings: ["subarray=ALLSLITS", "nod_subtracted=true"], arrays: slitArrays),
        Layout(kind: "nirspec-fs-cal", arrays: slitArrays),
        Layout(kind: "nirspec-mos-cal", arrays: slitArrays + ["barshadow"]),
        Layout(kind: "miri-lrs-cal", arrays: slitArrays),
        Layout(kind: "miri-lrs-cal", settings: ["layout=image"], arrays: slitArrays),
        // The program's science files are the kinds above; its own are the files a download brings that Webbflow
        // skips (the CRDS reference file and the preview image are not datamodels).
        Layout(
            kind: "program", settings: ["science=false"], arrays: [], associated: false,
            files: { ProductName($0.fileName).isJWSTName && $0.fileName.hasSuffix(".fits") }),
    ]

    /// Header keywords jwst maps into the model (stdatamodels' schemas), with the attribute each becomes.
    static let primaryKeywords: [(keyword: String, attribute: String)] = [
        ("PROGRAM", "meta.observation.program_number"), ("OBSERVTN", "meta.observation.observation_number"),
        ("VISIT", "meta.observation.visit_number"), ("EXPOSURE", "meta.observation.exposure_number"),
        ("OBS_ID", "meta.observation.obs_id"), ("DATE-OBS", "meta.observation.date"), ("INSTRUME", "meta.instrument.name"),
        ("DETECTOR", "meta.instrument.detector"), ("FILTER", "meta.instrument.filter"), ("GRATING", "meta.instrument.grating"),
        ("PUPIL", "meta.instrument.pupil"), ("FXD_SLIT", "meta.instrument.fixed_slit"), ("CHANNEL", "meta.instrument.channel"),
        ("BAND", "meta.instrument.band"), ("MODULE", "meta.instrument.module"), ("MSAMETFL", "meta.instrument.msa_metadata_file"),
        ("MSAMETID", "meta.instrument.msa_metadata_id"), ("EXP_TYPE", "meta.exposure.type"),
        ("NINTS", "meta.exposure.nints"), ("EXSEGNUM", "meta.exposure.segment_number"),
        ("INTSTART", "meta.exposure.integration_start"), ("INTEND", "meta.exposure.integration_end"),
        ("SUBARRAY", "meta.subarray.name"), ("PATTTYPE", "meta.dither.primary_type"), ("NOD_TYPE", "meta.dither.nod_type"),
        ("NUMDTHPT", "meta.dither.total_points"), ("TARG_RA", "meta.target.ra"), ("TARG_DEC", "meta.target.dec"),
        ("ASNTABLE", "meta.asn.table_name"), ("ASNPOOL", "meta.asn.pool_name"), ("CAL_VER", "meta.calibration_software_version"),
        ("S_BKDSUB", "meta.cal_step.bkg_subtract"),
    ]
    static let pointingKeywords: [(keyword: String, attribute: String)] = [
        ("RA_V1", "meta.pointing.ra_v1"), ("DEC_V1", "meta.pointing.dec_v1"), ("PA_V3", "meta.pointing.pa_v3"),
        ("V2_REF", "meta.wcsinfo.v2_ref"), ("V3_REF", "meta.wcsinfo.v3_ref"), ("VPARITY", "meta.wcsinfo.vparity"),
        ("V3I_YANG", "meta.wcsinfo.v3yangle"), ("RA_REF", "meta.wcsinfo.ra_ref"), ("DEC_REF", "meta.wcsinfo.dec_ref"),
        ("ROLL_REF", "meta.wcsinfo.roll_ref"),
    ]
    static let scienceKeywords: [(keyword: String, attribute: String)] =
        pointingKeywords + [
            ("S_REGION", "meta.wcsinfo.s_region"), ("PC1_1", "meta.wcsinfo.pc1_1"), ("PC1_2", "meta.wcsinfo.pc1_2"),
            ("PC2_1", "meta.wcsinfo.pc2_1"), ("PC2_2", "meta.wcsinfo.pc2_2"), ("CTYPE3", "meta.wcsinfo.ctype3"),
            ("PS3_0", "meta.wcsinfo.ps3_0"),
        ]
    /// A slit's keywords: the model's own in a SlitModel, each slit's in a MultiSlitModel.
    static let slitKeywords: [(keyword: String, attribute: String)] = [
        ("SLTNAME", "name"), ("SOURCEID", "source_id"), ("SRCNAME", "source_name"), ("SRCTYPE", "source_type"),
        ("SRCYPOS", "source_ypos"), ("SHUTSTA", "shutter_state"), ("SHUTTRID", "shutter_id"), ("MSAQUAD", "quadrant"),
        ("BARSHDW", "barshadow_corrected"), ("DISPAXIS", "meta.wcsinfo.dispersion_direction"),
    ]

    /// An expected attribute value: the keyword's value, or only that it is set (values that differ slit by slit).
    enum Expected: Encodable {
        case value(HeaderValue)
        case present

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .present: try container.encodeNil()
            case .value(.string(let s)): try container.encode(s.trimmingCharacters(in: .whitespaces))
            case .value(.integer(let i)): try container.encode(i)
            case .value(.real(let d)): try container.encode(d)
            case .value(.logical(let b)): try container.encode(b)
            }
        }
    }

    /// One file for the checker (`Tests/Interop/mast_layouts.py`).
    struct Case: Encodable {
        var path: String
        var `class`: String
        var arrays: [String]
        var absent: [String]
        var slits: [String]?
        var meta: [String: Expected]
        var refusal: String?
    }

    func testEveryKindOpensAsItsModelClassWithTheKeywordsJWSTReads() throws {
        XCTAssertEqual(
            Set(Self.layouts.map(\.kind)), Set(SimulationCatalog.recipes.map(\.name)), "every simulation kind has its layouts checked")
        let folder = try TemporaryDirectory("stdatamodels-layouts")
        var cases: [Case] = []
        for (index, layout) in Self.layouts.enumerated() {
            let recipe = try XCTUnwrap(SimulationCatalog.recipe(named: layout.kind))
            let files = try recipe.generate(seed: 11, assignments: layout.settings).filter(layout.files ?? { _ in true })
            XCTAssertFalse(files.isEmpty, "\(layout.kind) \(layout.settings)")
            let paths = try SimulationWriter.write(
                files.map {
                    var f = $0; f.truth = nil; return f
                }, to: folder.file("\(index)"))
            for path in paths { cases.append(try Self.expectations(path, layout: layout)) }
        }
        let manifest = folder.file("manifest.json")
        try JSONEncoder().encode(cases).write(to: URL(fileURLWithPath: manifest))
        let output = try InteropPython.check("mast_layouts.py", [manifest], printing: "\(cases.count) files open as their model class")
        // The segments of one exposure are two files of one CubeModel each, numbered and covering their integrations.
        XCTAssertTrue(output.contains("-seg001_nrs1_rateints.fits: CubeModel (3, 32, 2048)"), output)
        XCTAssertTrue(output.contains("-seg002_nrs1_rateints.fits: CubeModel (2, 32, 2048)"), output)
    }

    /// What the checker must find in the file at `path`, read back from the file itself.
    static func expectations(_ path: String, layout: Layout) throws -> Case {
        let exposure = try Exposure.load(path)
        let primary = exposure.primaryHeader
        let model = try XCTUnwrap(primary.string("DATAMODL"), path)
        let sciences = exposure.hdus.filter { $0.name == "SCI" }
        // An x1d (the program's extracted spectrum) has no SCI, and no pointing.
        let science = sciences.first?.header ?? Header()
        var meta: [String: Expected] = [:]
        for (keyword, attribute) in primaryKeywords { if let v = primary[keyword] { meta[attribute] = .value(v) } }
        let multiSlit = model == "MultiSlitModel"
        for (keyword, attribute) in scienceKeywords {
            // A MultiSlitModel has no meta.pointing; each slit reads its WCS keywords (all the same here).
            guard let v = science[keyword] else { continue }
            if !multiSlit {
                meta[attribute] = .value(v)
            } else if attribute.hasPrefix("meta.wcsinfo.") {
                meta["slit.\(attribute)"] = .value(v)
            }
        }
        for (keyword, _) in pointingKeywords where !sciences.isEmpty { XCTAssertNotNil(science[keyword], "\(path): \(keyword)") }
        if layout.associated {
            XCTAssertNotNil(primary["ASNTABLE"], "\(path): ASNTABLE")
            XCTAssertNotNil(primary["ASNPOOL"], "\(path): ASNPOOL")
        }
        for (keyword, attribute) in slitKeywords where science[keyword] != nil {
            if multiSlit {
                meta["slit.\(attribute)"] = .present
            } else if model == "SlitModel" {
                meta[attribute] = .value(science[keyword]!)
            }
        }
        if multiSlit {
            // Slits differ, but not in whether they carry a keyword.
            for (keyword, _) in slitKeywords where sciences.contains(where: { $0.header[keyword] != nil }) {
                XCTAssertTrue(sciences.allSatisfy { $0.header[keyword] != nil }, "\(path): \(keyword) in some slits only")
            }
        }
        return Case(
            path: path, class: model, arrays: layout.arrays, absent: layout.absent,
            slits: multiSlit ? sciences.compactMap { $0.header.string("SLTNAME") } : nil, meta: meta, refusal: layout.refusal)
    }
}
