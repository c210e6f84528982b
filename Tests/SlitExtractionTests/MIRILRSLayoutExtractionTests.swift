import FITS
import Foundation
import Pipeline
import Simulator
import SlitExtraction
import TestSupport
import XCTest

/// MIRI LRS fixed-slit cal files in either of jwst's layouts (SlitModel from 2.0 on, ImageModel before) are routed
/// to the asset step as one group of nods and extracted against the simulator's truth.
final class MIRILRSLayoutExtractionTests: XCTestCase {
    func testBothLayoutsAreGroupedForTheAssetStepAndExtractedAgainstTruth() throws {
        let registry = StepRegistry([AssetStep()])
        for layout in ["slit", "image"] {
            let folder = try TemporaryDirectory("lrs-\(layout)")
            let files = try MIRILRSRecipe().generate(seed: 16, assignments: ["layout=\(layout)"])
            try SimulationWriter.write(files, to: folder.path)
            let classifier = Classifier(registry: registry)
            let plan = JobPlanner(registry: registry).plan(files.map { classifier.classify(path: folder.file($0.fileName)) })
            XCTAssertEqual(plan.jobs.count, 1, "\(layout): \(plan.skipped)")
            XCTAssertEqual(plan.jobs.first?.step, "asset")
            XCTAssertEqual(plan.jobs.first?.inputs.count, 2, "\(layout): both nods in one group")

            // The files as written (read back from disk), extracted: the targets of the MIRI LRS accuracy test.
            let written = try files.map { file in
                var copy = file
                copy.exposure = try Exposure.load(folder.file(file.fileName))
                return copy
            }
            let s = try SlitScenario(files: written, version: 1)
            XCTAssertLessThanOrEqual(s.spectrumError, 0.01, layout)
            XCTAssertGreaterThanOrEqual(s.boxError / s.spectrumError, 5, layout)
        }
    }
}
