import FITS
import Foundation
import Pipeline
import Simulator
import SlitExtraction

/// A simulated slit observation extracted in memory, with the errors of the extraction measured against the
/// simulator's truth. Multi-slit files are extracted one slit (EXTVER) at a time.
struct SlitScenario {
    var files: [SimulatedFile]
    var version: Int
    var inputs: [SlitInput]
    var result: ExtractionResult

    init(_ recipe: any SimulationRecipe, seed: UInt64, _ assignments: [String] = [], options: ExtractionOptions = ExtractionOptions())
        throws
    {
        try self.init(files: recipe.generate(seed: seed, assignments: assignments), version: 1, options: options)
    }

    init(files: [SimulatedFile], version: Int, options: ExtractionOptions = ExtractionOptions()) throws {
        self.files = files
        self.version = version
        inputs = try files.map { try SlitInput($0.exposure, version: version) }
        result = try SlitExtractor.extract(inputs.map(\.frame), options: options)
    }

    /// The slit's truth keywords (traces, SLTNAME, HASSRC) and, in the primary, the PSF law.
    var truthHeader: Header { files[0].truth!.hdu(named: "SPECTRUM", version: version)!.header }
    var truthPrimary: Header { files[0].truth![0].header }

    /// The true spectrum (Jy) at `wavelength`, linearly interpolated on the truth table (8 samples per pixel, so
    /// the interpolation error is below 2e-4 for features at least 2.5 px wide).
    func truthFlux(at wavelength: Double) -> Double {
        let table = files[0].truth!.hdu(named: "SPECTRUM", version: version)!.table!
        let l = table["WAVELENGTH"]!.data.doubles!, f = table["FLUX"]!.data.doubles!
        let up = l[l.count - 1] > l[0]
        var lo = 0, hi = l.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if (l[mid] <= wavelength) == up { lo = mid } else { hi = mid }
        }
        let t = (wavelength - l[lo]) / (l[hi] - l[lo])
        return f[lo] + t * (f[hi] - f[lo])
    }

    /// Samples compared with the truth: all but the three at each end, where the interpolation's repeated edge
    /// samples (no data beyond the detector) make the spectrum an extrapolation.
    var comparedSamples: Range<Int> { 3..<(result.flux.count - 3) }

    func relativeRMS(_ values: [Double]) -> Double {
        let jy = inputs[0].toJansky
        var s = 0.0, n = 0
        for i in comparedSamples where values[i].isFinite {
            let truth = truthFlux(at: result.wavelength[i])
            s += pow((values[i] * jy - truth) / truth, 2)
            n += 1
        }
        return (s / Double(max(n, 1))).squareRoot()
    }

    var spectrumError: Double { relativeRMS(result.flux) }
    var boxError: Double { relativeRMS(result.boxFlux) }

    /// Standard deviation of (fit − truth) / quoted error.
    var normalisedResidualSpread: Double {
        let jy = inputs[0].toJansky
        let r = comparedSamples.map { i in (result.flux[i] * jy - truthFlux(at: result.wavelength[i])) / (result.fluxError[i] * jy) }
        let mean = r.reduce(0, +) / Double(r.count)
        return (r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count)).squareRoot()
    }

    /// Trace centre of every dither at the reference column, from the truth.
    var trueTraceCentres: [Double] {
        (1...files.count).map { truthHeader.real("TRCY\($0)")! }
    }

    /// Largest relative error of the fitted σ(λ) over the band.
    var psfLawError: Double {
        let a = truthPrimary.real("PSF_A")!, b = truthPrimary.real("PSF_B")!
        return result.wavelength.map { l in abs(result.psf.sigma(at: l) / (a * l * l + b).squareRoot() - 1) }.max()!
    }
}
