/// Detector noise of a calibrated IFU exposure, in the file's surface-brightness units (MJy/sr): photon noise
/// through a conversion gain, read noise, and a per-pixel flat-field error proportional to the signal. The
/// variances written to VAR_POISSON, VAR_RNOISE and VAR_FLAT are the ones used to draw the noise.
public struct IFUNoiseModel: Sendable, Equatable {
    /// Detected electrons per MJy/sr of signal.
    public var gain: Double
    /// Read noise σ (MJy/sr).
    public var readNoise: Double
    /// Relative flat-field error σ (fraction of the signal).
    public var flatError: Double

    public init(gain: Double = 2, readNoise: Double = 0.5, flatError: Double = 0.002) {
        self.gain = gain
        self.readNoise = readNoise
        self.flatError = flatError
    }

    public func poissonVariance(_ signal: Double) -> Double { max(0, signal) / gain }
    public var readVariance: Double { readNoise * readNoise }
    public func flatVariance(_ signal: Double) -> Double { (flatError * signal) * (flatError * signal) }

    /// One noisy realisation of `signal`.
    public func draw(_ signal: Double, _ random: inout SeededRandom) -> Double {
        let photons = signal > 0 ? random.poisson(signal * gain) / gain : 0
        return photons + readNoise * random.gaussian() + flatError * signal * random.gaussian()
    }
}

/// Defects to add: clusters of bad pixels (NaN + DO_NOT_USE) and cosmic-ray hits (flagged as outliers and NaN,
/// or left in the data unflagged).
public struct IFUDefects: Sendable, Equatable {
    public var badClusters: Int
    /// Put one 3x3 bad cluster on the brightest source's trace (the case ATM must fill).
    public var clusterOnTrace: Bool
    public var cosmicRays: Int
    public var cosmicRaysFlagged: Bool

    public init(badClusters: Int = 8, clusterOnTrace: Bool = true, cosmicRays: Int = 40, cosmicRaysFlagged: Bool = true) {
        self.badClusters = badClusters
        self.clusterOnTrace = clusterOnTrace
        self.cosmicRays = cosmicRays
        self.cosmicRaysFlagged = cosmicRaysFlagged
    }
}
