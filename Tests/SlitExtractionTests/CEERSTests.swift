import FITS
import Foundation
import Logging
import Pipeline
import SlitExtraction
import TestSupport
import XCTest

/// Real data: the three nods of CEERS MOS source 933 (PRISM, NRS2; too faint for the trace search on any one nod),
/// extracted by the asset step and compared with msaexp's independent extraction of the same files.
final class CEERSTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CEERS")

    private func nods() throws -> [Exposure] {
        try (1...3).map {
            try Exposure.load(Self.folder.appendingPathComponent("jw01345062001_03101_0000\($0)_nrs2_phot.138.1345_933.fits").path)
        }
    }

    func testSource933AgreesWithMsaexp() async throws {
        let parameters = try AssetStep().manifest.values([])
        let inputs = try nods()
        let products = try await AssetStep().run(inputs, parameters: parameters, context: StepContext(logger: Logger(label: "test.ceers")))
        // Written and read back as `process` and the daemon do: the members table of real headers has ~200 columns.
        let folder = try TemporaryDirectory("ceers")
        let path = try ProductWriter(directory: folder.path).write(
            XCTUnwrap(products.first), step: AssetStep().manifest,
            parameters: parameters, inputs: inputs)
        let hdus = try FITSFile(path: path).readAll(verifyChecksums: true)
        XCTAssertGreaterThan(try XCTUnwrap(hdus.first { $0.name == "HDRTAB" }?.table).columns.count, 150)
        let spectrum = try XCTUnwrap(hdus.first { $0.name == "EXTRACT1D" })
        XCTAssertEqual(spectrum.header.integer("SOURCEID"), 933)

        // The traces the header's nod pattern placed: the source's shutter ('x' of SHUTSTA) centred between the bars of
        // the BARSHADOW plane (rows 7.8, 12.85, 17.9: a 5.05 px pitch), moved by SRCYPOS (−0.11…−0.12 shutter).
        let placed = try XCTUnwrap(hdus.first { $0.name == "WBF_DITHERS" }?.table?["TRACE_Y"]?.data.doubles)
        for (fit, expected) in zip(placed, [13.44, 18.51, 8.36]) { XCTAssertEqual(fit, expected, accuracy: 0.5, "\(placed)") }

        let table = try XCTUnwrap(spectrum.table)
        let msaexp = try XCTUnwrap(
            Exposure.load(Self.folder.appendingPathComponent("static-test-driz-center-bkg_933.spec.fits").path)
                .hdus.first { $0.name == "SPEC1D" }?.table)
        let c = try Comparison(
            oursWavelength: XCTUnwrap(table["WAVELENGTH"]?.data.doubles), oursJansky: XCTUnwrap(table["FLUX"]?.data.doubles),
            wavelength: XCTUnwrap(msaexp["wave"]?.data.doubles), microjansky: XCTUnwrap(msaexp["flux"]?.data.doubles),
            error: XCTUnwrap(msaexp["err"]?.data.doubles))
        print(
            String(
                format:
                    "CEERS 933: %d common samples %.2f-%.2f um; median ratio of 10-sample bins %.3f; correlation %.3f per sample, %.3f in bins",
                c.ours.count, c.wavelength.first!, c.wavelength.last!, c.medianBinnedRatio, c.correlation(binned: false),
                c.correlation(binned: true)))
        XCTAssertGreaterThan(c.ours.count, 300, "msaexp's 1.45–5.3 µm are covered")
        // msaexp fits the bar-shadow-corrected pixels; we undo that correction for the point source. Dividing a PSF of
        // σ = 0.8–1.3 px at these rows by the plane lifts its flux by 13–26 %, so ours is expected at 0.79–0.89 of
        // msaexp's, ± the binned median's noise.
        XCTAssertEqual(c.medianBinnedRatio, 0.84, accuracy: 0.08)
        // Same pixels, so common noise: the shapes agree closely; a misplaced trace (another shutter, a negative copy)
        // or a wrong chromatic profile would break this.
        XCTAssertGreaterThan(c.correlation(binned: true), 0.97)
        XCTAssertGreaterThan(c.correlation(binned: false), 0.95)
    }
}

/// Two spectra of one source on msaexp's wavelength grid: ours interpolated onto it, over the wavelengths both cover
/// where msaexp has a measurement.
struct Comparison {
    var wavelength: [Double] = []
    var ours: [Double] = []
    var theirs: [Double] = []

    init(oursWavelength: [Double], oursJansky: [Double], wavelength: [Double], microjansky: [Double], error: [Double]) {
        for (i, l) in wavelength.enumerated()
        where error[i] > 0 && microjansky[i].isFinite && l > oursWavelength.first! && l < oursWavelength.last! {
            guard let upper = oursWavelength.firstIndex(where: { $0 >= l }), upper > 0 else { continue }
            let t = (l - oursWavelength[upper - 1]) / (oursWavelength[upper] - oursWavelength[upper - 1])
            let value = (oursJansky[upper - 1] + t * (oursJansky[upper] - oursJansky[upper - 1])) * 1e6
            guard value.isFinite else { continue }
            self.wavelength.append(l)
            ours.append(value)
            theirs.append(microjansky[i])
        }
    }

    /// Sums over consecutive bins of `size` samples: per-sample ratios of a spectrum at S/N ~ 2 are dominated by noise.
    func binned(_ values: [Double], size: Int = 10) -> [Double] {
        stride(from: 0, to: values.count - size + 1, by: size).map { values[$0..<($0 + size)].reduce(0, +) }
    }

    var medianBinnedRatio: Double {
        let ratios = zip(binned(ours), binned(theirs)).filter { $0.1 > 0 }.map { $0.0 / $0.1 }.sorted()
        return ratios.isEmpty ? .nan : ratios[ratios.count / 2]
    }

    /// Pearson correlation of the two spectra, per sample or in bins.
    func correlation(binned inBins: Bool) -> Double {
        let x = inBins ? binned(ours) : ours, y = inBins ? binned(theirs) : theirs
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxy / (sxx * syy).squareRoot()
    }
}
