import CNLopt

/// Bounded minimisation of a smooth function of a few parameters, over NLopt, with Swift closures.
///
/// Used where a handful of nonlinear parameters (PSF widths, trace offsets) must be fitted while a large linear
/// problem is held fixed. Derivative-free methods take the objective alone; gradient-based ones also fill the
/// gradient the closure receives.
public enum Optimizer {
    /// The NLopt algorithm family to use.
    public enum Method: Sendable {
        /// BOBYQA: derivative-free, quadratic trust-region models; needs at least two parameters.
        case bobyqa
        /// Subplex: derivative-free, works for any number of parameters (including one).
        case subplex
        /// Low-storage BFGS with the closure's analytic gradient.
        case lbfgs
        /// Method of moving asymptotes with the closure's analytic gradient.
        case mma

        var algorithm: nlopt_algorithm {
            switch self {
            case .bobyqa: NLOPT_LN_BOBYQA
            case .subplex: NLOPT_LN_SBPLX
            case .lbfgs: NLOPT_LD_LBFGS
            case .mma: NLOPT_LD_MMA
            }
        }
    }

    /// When to stop.
    public struct Tolerances: Sendable {
        public var relativeX: Double
        public var relativeF: Double
        public var maxEvaluations: Int

        public init(relativeX: Double = 1e-6, relativeF: Double = 1e-10, maxEvaluations: Int = 500) {
            self.relativeX = relativeX
            self.relativeF = relativeF
            self.maxEvaluations = maxEvaluations
        }
    }

    /// The outcome of a minimisation.
    public struct Result: Sendable {
        public var x: [Double]
        public var value: Double
        public var evaluations: Int
        /// NLopt's return code (positive: success, negative: failure).
        public var code: Int

        /// Success, or stopped by round-off (NLopt's −4), which still returns the best point found — common for
        /// BOBYQA on well-converged sums of squares.
        public var isUsable: Bool { code > 0 || code == -4 }
    }

    /// The objective: parameters in, value out; when `gradient` is non-nil (gradient-based methods) it must be filled.
    public typealias Objective = (_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double

    private final class Box {
        let objective: Objective
        var evaluations = 0
        init(_ objective: @escaping Objective) { self.objective = objective }
    }

    /// Minimises `objective` from `start` within `lower`…`upper`. The start is clamped into the bounds. When NLopt
    /// fails outright (invalid arguments, out of memory) the start is returned with its value and a negative code.
    public static func minimize(
        _ method: Method, start: [Double], lower: [Double], upper: [Double],
        initialStep: [Double]? = nil, tolerances: Tolerances = Tolerances(),
        objective: @escaping Objective
    ) -> Result {
        let n = start.count
        precondition(lower.count == n && upper.count == n, "bounds must match the parameter count")
        var x = zip(start, zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
        guard let opt = nlopt_create(method.algorithm, UInt32(n)) else {
            return Result(x: x, value: .nan, evaluations: 0, code: -1)
        }
        defer { nlopt_destroy(opt) }
        let box = Box(objective)
        let context = Unmanaged.passUnretained(box).toOpaque()
        let callback: nlopt_func = { count, xPointer, gradient, data in
            let box = Unmanaged<Box>.fromOpaque(data!).takeUnretainedValue()
            box.evaluations += 1
            let xs = UnsafeBufferPointer(start: xPointer, count: Int(count))
            let g = gradient.map { UnsafeMutableBufferPointer(start: $0, count: Int(count)) }
            let value = box.objective(xs, g)
            return value.isFinite ? value : Double.greatestFiniteMagnitude
        }
        var lo = lower, hi = upper
        nlopt_set_lower_bounds(opt, &lo)
        nlopt_set_upper_bounds(opt, &hi)
        nlopt_set_min_objective(opt, callback, context)
        nlopt_set_xtol_rel(opt, tolerances.relativeX)
        nlopt_set_ftol_rel(opt, tolerances.relativeF)
        nlopt_set_maxeval(opt, Int32(tolerances.maxEvaluations))
        if var step = initialStep { nlopt_set_initial_step(opt, &step) }
        var value = 0.0
        let code = withExtendedLifetime(box) { nlopt_optimize(opt, &x, &value) }
        if code.rawValue < 0 && box.evaluations == 0 {
            value = start.withUnsafeBufferPointer { objective($0, nil) }
            x = start
        }
        return Result(x: x, value: value, evaluations: box.evaluations, code: Int(code.rawValue))
    }
}
