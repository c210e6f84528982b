import Foundation
import Numerics

/// Sub-pixel translation between two images of the same scene by phase correlation (Guizar-Sicairos et al.
/// 2008, the technique the paper uses for moving targets): the peak of the inverse transform of the normalised
/// cross-power spectrum, refined by a parabola through its neighbours on each axis. The reference here is the
/// cube seen through a filter, which holds no signal above the spaxel grid's Nyquist frequency, so only
/// frequencies below `cutoff` (cycles per pixel) take part; elsewhere the whitened spectrum is pure noise.
enum PhaseCorrelation {
    /// The shift s (pixels) such that `moving(x) ≈ reference(x − s)`; both images width×height, row-major.
    static func shift(moving: [Double], reference: [Double], width: Int, height: Int, cutoff: Double = 0.5) -> (dx: Double, dy: Double) {
        let fft = FFT2D(rows: height, columns: width)
        func prepared(_ image: [Double]) -> [Double] {
            let mean = image.reduce(0, +) / Double(image.count)
            var buffer = [Double](repeating: 0, count: 2 * image.count)
            for y in 0..<height {
                let wy = 0.5 - 0.5 * cos(2 * Double.pi * (Double(y) + 0.5) / Double(height))
                for x in 0..<width {
                    let wx = 0.5 - 0.5 * cos(2 * Double.pi * (Double(x) + 0.5) / Double(width))
                    buffer[2 * (y * width + x)] = (image[y * width + x] - mean) * wx * wy
                }
            }
            fft.forward(&buffer)
            return buffer
        }
        let a = prepared(moving), b = prepared(reference)
        var cross = [Double](repeating: 0, count: a.count)
        for i in 0..<(width * height) {
            let u = TransferFunctions.frequency(i % width, width), v = TransferFunctions.frequency(i / width, height)
            guard u * u + v * v < cutoff * cutoff else { continue }
            let re = a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1]
            let im = a[2 * i + 1] * b[2 * i] - a[2 * i] * b[2 * i + 1]
            let norm = (re * re + im * im).squareRoot()
            if norm > 0 { cross[2 * i] = re / norm; cross[2 * i + 1] = im / norm }
        }
        fft.inverse(&cross)
        var best = 0
        for i in 0..<(width * height) where cross[2 * i] > cross[2 * best] { best = i }
        let px = best % width, py = best / width
        func value(_ x: Int, _ y: Int) -> Double { cross[2 * (((y + height) % height) * width + (x + width) % width)] }
        // A band-limited correlation peak is close to a Gaussian, for which a parabola through the logarithms is exact.
        func vertex(_ a: Double, _ b: Double, _ c: Double) -> Double {
            let useLog = a > 0 && b > 0 && c > 0
            let (minus, centre, plus) = useLog ? (log(a), log(b), log(c)) : (a, b, c)
            let d = minus - 2 * centre + plus
            return d < 0 ? max(-0.5, min(0.5, 0.5 * (minus - plus) / d)) : 0
        }
        let fx = vertex(value(px - 1, py), value(px, py), value(px + 1, py))
        let fy = vertex(value(px, py - 1), value(px, py), value(px, py + 1))
        let sx = Double(px > width / 2 ? px - width : px) + fx
        let sy = Double(py > height / 2 ? py - height : py) + fy
        return (sx, sy)
    }
}
