/// A NIRSpec readout window in DMS orientation (dispersion along x): its size and 1-based start in the full frame.
///
/// Sizes follow the jwst subarray names; the start rows of the fixed-slit subarrays are placed on the
/// simulator's fixed-slit band and are approximate (the real values depend on slit and detector).
public struct NIRSpecSubarray: Sendable, Equatable {
    public var name: String
    public var xStart: Int
    public var yStart: Int
    public var width: Int
    public var height: Int

    public static let all: [NIRSpecSubarray] = [
        NIRSpecSubarray(name: "FULL", xStart: 1, yStart: 1, width: 2048, height: 2048),
        NIRSpecSubarray(name: "SUBS200A1", xStart: 1, yStart: 1009, width: 2048, height: 64),
        NIRSpecSubarray(name: "SUBS1600A1", xStart: 1, yStart: 913, width: 2048, height: 256),
        NIRSpecSubarray(name: "SUB2048", xStart: 1, yStart: 1025, width: 2048, height: 32),
        NIRSpecSubarray(name: "ALLSLITS", xStart: 1, yStart: 897, width: 2048, height: 256),
    ]

    public static func named(_ name: String) -> NIRSpecSubarray? { all.first { $0.name == name.uppercased() } }
}

/// When each pixel of a NIRSpec window is read, which is what makes 1/f noise look like banding.
///
/// In DMS orientation the fast-read direction runs along y (a detector "line" is one DMS column, as in the
/// jwst NSClean notes); lines follow each other along x. FASTAXIS/SLOWAXIS give the directions: NRS1 reads
/// +y and +x, NRS2 −y and −x. Every pixel takes one 10 µs tick and each line carries 12 overhead ticks (the
/// time model of jwst's NSClean subarray path); the four amplifier outputs are not modelled separately.
public struct NIRSpecReadout: Sendable {
    public static let overheadTicksPerLine = 12

    public var width: Int
    public var height: Int
    /// Reads along decreasing x / y (NRS2).
    public var reversed: Bool

    public init(width: Int, height: Int, detector: String) {
        self.width = width
        self.height = height
        reversed = detector.uppercased() == "NRS2"
    }

    /// FASTAXIS and SLOWAXIS header values (DMS: fast = ±2, slow = ±1).
    public var fastAxis: Int { reversed ? -2 : 2 }
    public var slowAxis: Int { reversed ? -1 : 1 }

    public var ticksPerLine: Int { height + Self.overheadTicksPerLine }
    /// Length of the time series covering the whole window.
    public var totalTicks: Int { width * ticksPerLine }

    /// Tick at which pixel (x, y) is read.
    public func tick(x: Int, y: Int) -> Int {
        let line = reversed ? width - 1 - x : x
        let position = reversed ? height - 1 - y : y
        return line * ticksPerLine + position
    }
}
