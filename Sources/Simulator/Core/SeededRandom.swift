import Foundation

/// A deterministic random generator (xoshiro256**, seeded through SplitMix64): the same seed gives the same
/// exposure bit for bit on every machine, which is what makes simulated truth reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareGaussian: Double?

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// An independent stream for a named component (so adding one noise term does not shift the others).
    public func stream(_ label: String) -> SeededRandom {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return SeededRandom(seed: s0 ^ h)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal deviate (Box–Muller, both values used).
    public mutating func gaussian() -> Double {
        if let g = spareGaussian { spareGaussian = nil; return g }
        var u = uniform()
        while u <= 0 { u = uniform() }
        let v = uniform()
        let r = (-2 * _log(u)).squareRoot()
        spareGaussian = r * _sin(2 * .pi * v)
        return r * _cos(2 * .pi * v)
    }

    /// Poisson deviate: exact (Knuth) for small means, normal approximation above 30.
    public mutating func poisson(_ mean: Double) -> Double {
        guard mean > 0 else { return 0 }
        if mean > 30 { return max(0, (mean + mean.squareRoot() * gaussian()).rounded()) }
        let limit = _exp(-mean)
        var k = 0.0, p = 1.0
        repeat { k += 1; p *= uniform() } while p > limit
        return k - 1
    }
}

private func _log(_ x: Double) -> Double { Foundation.log(x) }
private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
private func _exp(_ x: Double) -> Double { Foundation.exp(x) }
