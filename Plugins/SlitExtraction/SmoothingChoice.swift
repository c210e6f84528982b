import Foundation

/// How the smoothness weight μ of the spectrum is chosen.
public enum SmoothingChoice: Sendable, Equatable {
    /// Minimise generalised cross-validation, N·RSS / (N − tr S)², over a log grid of μ.
    case gcv
    /// Discrepancy principle: the strongest smoothing whose weighted residual stays within its expectation N − tr S.
    case discrepancy
    /// A fixed μ, in units of the mean diagonal of the data term (so it does not depend on flux units).
    case fixed(Double)

    /// The solution for this choice. The grid spans 10⁻⁸…10² of the data term's mean curvature in quarter decades.
    func solve(_ solver: SpectrumSolver) -> SpectrumSolver.Solution? {
        let scale = solver.typicalCurvature
        if case .fixed(let relative) = self { return solver.solve(mu: relative * scale) }
        let n = Double(solver.pixelCount)
        var best: SpectrumSolver.Solution?
        var bestScore = Double.infinity
        for step in 0...40 {
            let mu = scale * pow(10, -8 + 0.25 * Double(step))
            guard let s = solver.solve(mu: mu), s.effectiveParameters < n else { continue }
            switch self {
            case .gcv:
                let score = n * s.residualSquare / ((n - s.effectiveParameters) * (n - s.effectiveParameters))
                if score < bestScore { bestScore = score; best = s }
            case .discrepancy:
                if best == nil || s.residualSquare <= n - s.effectiveParameters { best = s }
            case .fixed: break
            }
        }
        return best
    }

    /// Name written to the product header.
    var label: String {
        switch self {
        case .gcv: "GCV"
        case .discrepancy: "DISCREPANCY"
        case .fixed: "FIXED"
        }
    }
}
