import Foundation
import Numerics
import Platform

/// The correlated detector noise NSClean removes, in DN/s, for one readout window.
///
/// * 1/f noise: a Gaussian time series with power ∝ f^−slope over the whole read (frequencies from one
///   window duration to the 50 kHz Nyquist), mapped to pixels by their read tick, so it shows as banding
///   along the fast-read direction. Its amplitude is lowered near the detector edges ("quieter frame").
/// * Picture frame: a slowly varying offset pattern concentrated within ~64 px of each full-frame edge.
/// Reference pixels do not see the 1/f banding (NSClean paper, §2).
public enum CorrelatedReadNoise {
    /// Length scale of the picture frame and of the quieter edge (px).
    static let frameScale = 64.0
    static let quietScale = 120.0

    /// A zero-mean 1/f time series of `ticks` samples with standard deviation `rms`, synthesised in the
    /// Fourier domain (independent Gaussian bins scaled by f^−slope/2). Deterministic for a given `random`,
    /// whatever the core count: the spectrum is filled in a fixed number of blocks with their own streams.
    public static func oneOverF(ticks: Int, slope: Double, rms: Double, random: SeededRandom) -> [Double] {
        guard ticks > 1, rms > 0 else { return [Double](repeating: 0, count: max(ticks, 0)) }
        let length = RealFFT.fastLength(atLeast: ticks)
        let fft = RealFFT(count: length)
        var spectrum = [Double](repeating: 0, count: fft.spectrumLength)
        let bins = length / 2 + 1
        let blocks = 64
        let blockSize = (bins + blocks - 1) / blocks
        spectrum.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            Parallel.forEach(blocks, chunks: blocks) { range in
                for block in range {
                    var rng = random.stream("one-over-f-\(block)")
                    let start = max(1, block * blockSize), end = min(bins, (block + 1) * blockSize)
                    guard start < end else { continue }
                    for k in start..<end {
                        let amplitude = pow(Double(k), -slope / 2)
                        shared[2 * k] = amplitude * rng.gaussian()
                        shared[2 * k + 1] = (k == length / 2) ? 0 : amplitude * rng.gaussian()
                    }
                }
            }
        }
        var series = [Double](repeating: 0, count: length)
        spectrum.withUnsafeMutableBufferPointer { s in series.withUnsafeMutableBufferPointer { fft.inverse(s, into: $0) } }
        series.removeLast(length - ticks)
        let mean = series.reduce(0, +) / Double(ticks)
        let variance = series.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ticks)
        let scale = rms / variance.squareRoot()
        for i in series.indices { series[i] = (series[i] - mean) * scale }
        return series
    }

    /// How much of the 1/f banding a pixel sees, by its distance `d` (px) to the nearest full-frame edge: 1 in the
    /// interior, down to 1 − `quieting` at the edge. Tabulated for d = 0…1023.
    public static func bandingEnvelope(quieting: Double) -> [Double] {
        (0..<1024).map { 1 - quieting * exp(-Double($0) / quietScale) }
    }

    /// Distance of full-frame pixel (x, y) to the nearest edge of the 2048×2048 detector.
    @inline(__always)
    public static func edgeDistance(x: Int, y: Int) -> Int { min(min(x, y), min(2047 - x, 2047 - y)) }

    /// The picture-frame pattern over a window (`pixels[y * width + x]`): on each side an offset of random sign
    /// and size decaying over ~64 px from the edge, modulated slowly (periods 600–1800 px) along the side.
    /// Each side's term is separable, so the image costs four multiply-adds per pixel.
    public static func pictureFrame(window: NIRSpecSubarray, amplitude: Double, random: SeededRandom) -> [Double] {
        var rng = random.stream("picture-frame")
        let width = window.width, height = window.height
        let xs = (0..<width).map { Double($0 + window.xStart - 1) }
        let ys = (0..<height).map { Double($0 + window.yStart - 1) }
        // Per side: decay across (over x for left/right, over y for bottom/top) and modulation along.
        var across: [[Double]] = [], along: [[Double]] = []
        for side in 0..<4 {
            let a = amplitude * rng.gaussian()
            let period = 600 + 1200 * rng.uniform()
            let phase = 2 * Double.pi * rng.uniform()
            let acrossCoordinates = side < 2 ? xs : ys
            let alongCoordinates = side < 2 ? ys : xs
            across.append(acrossCoordinates.map { c in a * exp(-(side % 2 == 0 ? c : 2047 - c) / frameScale) })
            along.append(alongCoordinates.map { c in 1 + 0.5 * sin(2 * .pi * c / period + phase) })
        }
        var frame = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                frame[y * width + x] =
                    across[0][x] * along[0][y] + across[1][x] * along[1][y]
                    + across[2][y] * along[2][x] + across[3][y] * along[3][x]
            }
        }
        return frame
    }
}
