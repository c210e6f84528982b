import FITS
import Foundation
import Pipeline
import Simulator
import TestSupport

/// A small simulated pair (12×12 spaxels, 150 channels, the five G235H filters) shared by the fusion tests.
enum FusionFixture {
    static let settings = ["spaxels=12", "channels=150"]

    static func files(_ extra: [String] = []) throws -> [SimulatedFile] {
        try FusionPairRecipe().generate(seed: 7, assignments: settings + extra)
    }

    /// `file` with nothing that places it on the sky: no S_REGION and no celestial WCS cards in its SCI header.
    static func withoutFootprint(_ file: SimulatedFile) -> SimulatedFile {
        var file = file
        guard let sci = file.exposure.hdus.index(named: "SCI") else { return file }
        for key in file.exposure.hdus[sci].header.cards.map(\.keyword)
        where key == "S_REGION" || ["CTYPE", "CRVAL", "CRPIX", "CDELT", "CUNIT", "PC"].contains(where: key.hasPrefix) {
            file.exposure.hdus[sci].header.remove(key)
        }
        return file
    }

    /// Relative rms of `estimate` against `truth`.
    static func relativeRMS(_ estimate: [Float], _ truth: [Float]) -> Double {
        var e = 0.0, t = 0.0
        for i in 0..<truth.count {
            let d = Double(estimate[i]) - Double(truth[i])
            e += d * d
            t += Double(truth[i]) * Double(truth[i])
        }
        return (e / t).squareRoot()
    }

    /// Runs fitsverify on `hdus` written to a temporary file; returns its summary line, nil when fitsverify is absent.
    static func fitsverify(_ hdus: [HDU]) throws -> String? {
        let folder = try TemporaryDirectory("fusion")
        let path = folder.file("product.fits")
        try FITSWriter.write(hdus, to: path)
        return ExternalTool.run("fitsverify", ["-q", path])?.output
    }
}
