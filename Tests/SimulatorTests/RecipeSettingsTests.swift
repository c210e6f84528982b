import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

/// Every recipe's settings are declared once, typed and validated, and the program number really reaches the
/// files: their names, identity keywords and the names derived from the program.
final class RecipeSettingsTests: XCTestCase {
    func testEveryRecipeTakesTheProgramAndRefusesUnknownOrOutOfRangeSettings() throws {
        for recipe in SimulationCatalog.recipes {
            let names = recipe.settings.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(recipe.name): a setting declared twice")
            XCTAssertTrue(names.contains("program"), "\(recipe.name) takes the program number")
            XCTAssertThrowsError(try recipe.generate(seed: 1, assignments: ["no_such_setting=1"]), recipe.name) { error in
                XCTAssertTrue("\(error)".contains("valid: \(names.joined(separator: ", "))"), "\(error)")
            }
            XCTAssertThrowsError(try recipe.generate(seed: 1, assignments: ["program=123456"]), "\(recipe.name): program out of range")
        }
    }

    /// One download checked for both: the program number everywhere, and MAST's slit layouts.
    func testProgramNumberReachesEveryKindAndTheSlitObservationsAreInMASTsLayouts() throws {
        let files = try ProgramRecipe().generate(seed: 2, assignments: ["program=1180"])
        let science = files.filter {
            $0.exposure.primaryHeader.string("TELESCOP") == "JWST" && $0.exposure.primaryHeader.string("REFTYPE") == nil
        }
        // 17 science files (rate, IFU, MRS, 3 fixed-slit nods, 3 MOS nods, 2 LRS nods, a cube and 5 images) and 3
        // files to skip that carry the program too (uncal, target acquisition, x1d).
        XCTAssertEqual(science.count, 20)
        for file in science {
            XCTAssertTrue(file.fileName.hasPrefix("jw01180"), file.fileName)
            XCTAssertTrue(file.folder.hasPrefix("mastDownload/JWST/jw01180"), file.folder)
            XCTAssertEqual(file.exposure.primaryHeader.string("PROGRAM"), "01180", file.fileName)
            XCTAssertEqual(file.exposure.primaryHeader.string("VISIT_ID")?.prefix(5), "01180", file.fileName)
        }
        let mos = files.filter { $0.exposure.kind.exposureType == "NRS_MSASPEC" }
        XCTAssertEqual(mos.first?.exposure.primaryHeader.string("MSAMETFL"), "jw01180011001_01_msa.fits")
        XCTAssertEqual(mos.first?.exposure.hdu("SCI")?.header.string("SRCNAME"), "1180_1001")

        let fixedSlit = files.filter { $0.exposure.kind.exposureType == "NRS_FIXEDSLIT" && $0.exposure.name.suffix == "cal" }
        XCTAssertEqual(fixedSlit.count, 3, "three nods")
        for file in fixedSlit {
            XCTAssertEqual(file.exposure.primaryHeader.string("SUBARRAY"), "ALLSLITS")
            XCTAssertEqual(file.exposure.primaryHeader.string("S_BKDSUB"), "COMPLETE")
            XCTAssertEqual(
                file.exposure.hdus.filter { $0.name == "SCI" }.compactMap { $0.header.string("SLTNAME") },
                ["S200A1", "S200A2", "S400A1", "S1600A1", "S200B1"])
        }
        XCTAssertEqual(mos.count, 3, "three nods")
        for file in mos { XCTAssertEqual(file.exposure.primaryHeader.string("S_BKDSUB"), "COMPLETE") }
        XCTAssertTrue(files.allSatisfy { $0.truth == nil }, "MAST ships no truth")
    }
}
