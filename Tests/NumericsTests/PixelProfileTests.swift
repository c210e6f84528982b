import Foundation
import Numerics
import XCTest

final class PixelProfileTests: XCTestCase {
    func testPixelValuesSumToOneAtEveryPhase() {
        for sigma in [0.3, 0.5, 1.2] {
            for phase in stride(from: 0.0, to: 1.0, by: 0.125) {
                let g = (-30...30).reduce(0.0) { $0 + PixelProfile.gaussian(Double($1) + phase, sigma: sigma) }
                XCTAssertEqual(g, 1, accuracy: 1e-12)
                let norm = PixelProfile.moffatNormalisation(sigma: sigma, beta: 3)
                let m = (-3000...3000).reduce(0.0) {
                    $0 + PixelProfile.moffat(Double($1) + phase, sigma: sigma, beta: 3, normalisation: norm)
                }
                // β = 3 wings beyond 3000 px hold ~1e-11 of the flux; quadrature error for σ ≥ 0.3 px is below 1e-5.
                XCTAssertEqual(m, 1, accuracy: 1e-5, "sigma \(sigma) phase \(phase)")
            }
        }
    }

    func testGaussianMatchesExactErfAndDerivativesMatchFiniteDifferences() {
        for rho in stride(from: -4.0, through: 4.0, by: 0.37) {
            let sigma = 0.8
            let exact = 0.5 * (erf((rho + 0.5) / (sigma * 2.0.squareRoot())) - erf((rho - 0.5) / (sigma * 2.0.squareRoot())))
            // Abramowitz & Stegun 7.1.26: |error| < 1.5e-7 per erf, so < 1.5e-7 per pixel value.
            XCTAssertEqual(PixelProfile.gaussian(rho, sigma: sigma), exact, accuracy: 1.5e-7)
            let h = 1e-5
            let dSigma = (PixelProfile.gaussian(rho, sigma: sigma + h) - PixelProfile.gaussian(rho, sigma: sigma - h)) / (2 * h)
            let dRho = (PixelProfile.gaussian(rho + h, sigma: sigma) - PixelProfile.gaussian(rho - h, sigma: sigma)) / (2 * h)
            // The analytic derivatives are of the exact profile; the finite differences see the approximation's slope (≲1e-6).
            XCTAssertEqual(PixelProfile.gaussianWithDerivative(rho, sigma: sigma).dSigma, dSigma, accuracy: 2e-6)
            XCTAssertEqual(PixelProfile.gaussianWithRhoDerivative(rho, sigma: sigma).dRho, dRho, accuracy: 2e-6)
        }
    }
}
