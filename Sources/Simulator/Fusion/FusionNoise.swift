/// White Gaussian noise at a given signal-to-noise ratio: sigma = median(signal) / snr, the same for every
/// pixel (background-limited), which is what the ERR arrays then report.
enum FusionNoise {
    static func sigma(of signal: [Double], snr: Double) -> Double {
        let sorted = signal.sorted()
        return max(abs(sorted[sorted.count / 2]), 1e-12) / snr
    }

    static func add(to signal: [Double], sigma: Double, random: inout SeededRandom) -> [Double] {
        signal.map { $0 + sigma * random.gaussian() }
    }
}
