import Foundation

/// The NSClean low-pass filter on Fourier frequencies of one detector line: unity gain at low frequencies,
/// rolled to zero with half a cosine (NSClean paper §1 footnote 3; jwst 3.0.0 notes B.4).
///
/// The cut-off is fixed in cycles per pixel, which is a fixed temporal frequency because every pixel takes the
/// same read time. For a 2048-px line and the default of 9 frequencies it reproduces the reference exactly:
/// fc = 8/2048 = 1/256 cycles/px, roll-off width fc/4, gains 1 for k = 0…7, 0.5 for k = 8, 0 above.
/// A shorter line (a subarray) keeps the same cut-off and therefore fits fewer frequencies — down to the
/// line mean alone for lines of less than ~240 px. (The reference instead fits subarrays with a separate
/// time-domain model across lines; see README, "NSClean: deviations from jwst".)
public struct Apodizer: Sendable, Equatable {
    /// Gain of frequency k = 0, 1, … (cycles per line); only frequencies with non-zero gain are listed.
    public let gains: [Double]

    /// - Parameters:
    ///   - lineLength: pixels per line along the fast-read direction.
    ///   - fullFrameFrequencies: frequencies fitted on a 2048-px line (the reference's 9).
    public init(lineLength: Int, fullFrameFrequencies: Int) {
        let cutoff = Double(max(fullFrameFrequencies - 1, 0)) / 2048
        let width = cutoff / 4
        var gains: [Double] = []
        var k = 0
        while k <= lineLength / 2 {
            let f = Double(k) / Double(lineLength)
            let gain: Double
            if f <= cutoff - width / 2 {
                gain = 1
            } else if f <= cutoff + width / 2 {
                gain = (1 + cos(Double.pi * (f - cutoff) / width + Double.pi / 2)) / 2
            } else {
                gain = 0
            }
            if gain <= 1e-12 { break }
            gains.append(gain)
            k += 1
        }
        self.gains = gains.isEmpty ? [1] : gains
    }

    /// Number of frequencies fitted (k = 0 … count − 1).
    public var count: Int { gains.count }
}
