import FITS
import Pipeline
import Simulator
import XCTest

final class SimulatorCoreTests: XCTestCase {
    func testSameSeedSameStreamDifferentLabelsIndependent() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        XCTAssertEqual((0..<100).map { _ in a.next() }, (0..<100).map { _ in b.next() })
        var x = SeededRandom(seed: 42).stream("read-noise"), y = SeededRandom(seed: 42).stream("one-over-f")
        XCTAssertNotEqual((0..<10).map { _ in x.next() }, (0..<10).map { _ in y.next() })
    }

    func testGaussianAndPoissonMomentsMatch() {
        var rng = SeededRandom(seed: 7)
        let n = 200_000
        let g = (0..<n).map { _ in rng.gaussian() }
        let mean = g.reduce(0, +) / Double(n)
        let variance = g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        // Standard errors at n = 2e5: mean 0.0022, variance 0.0032; tolerances are about 4 sigma.
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(variance, 1, accuracy: 0.013)
        for lambda in [0.5, 4.0, 100.0] {
            let p = (0..<50_000).map { _ in rng.poisson(lambda) }
            let m = p.reduce(0, +) / 50_000
            let v = p.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 50_000
            XCTAssertEqual(m, lambda, accuracy: 5 * (lambda / 50_000).squareRoot(), "Poisson mean at \(lambda)")
            XCTAssertEqual(v / lambda, 1, accuracy: 0.05, "Poisson variance equals mean at \(lambda)")
        }
    }

    func testIdentityGivesJWSTNamesThatRouteLikeRealOnes() {
        let id = ExposureIdentity(
            program: 1345, observation: 62, visit: 1, visitGroup: 3, sequence: 1, activity: 1, exposure: 2, detector: "NRS2")
        XCTAssertEqual(id.fileName(suffix: "rate"), "jw01345062001_03101_00002_nrs2_rate.fits")
        let name = ProductName(id.fileName(suffix: "rate"))
        XCTAssertTrue(name.isJWSTName)
        var header = JWSTHeaders.primary(
            identity: id, instrument: "NIRSPEC", exposureType: "NRS_IFU", dataModel: "ImageModel",
            fileName: name.fileName, optics: ["GRATING": "G395H", "FILTER": "F290LP"])
        XCTAssertEqual(header.string("PROGRAM"), "01345")
        XCTAssertEqual(header.string("OBSERVTN"), "062")
        header.set("EXTRA", 1)
        let kind = ExposureKind(primary: header, name: name)
        XCTAssertEqual(kind.opticalElements, "f290lp-g395h")
        XCTAssertEqual([kind.instrument, kind.exposureType, kind.suffix], ["NIRSPEC", "NRS_IFU", "rate"], "routed as a rate file")
    }
}
