import Foundation
import Numerics

/// Transfer functions of the forward models on the padded fused grid (Nh × Nw fine pixels), as interleaved
/// complex buffers in FFT order.
///
/// The fused cube X holds the scene averaged over fine pixels. A PSF computed by pixel integration at the fine
/// scale has transfer OTF·sinc², where the sinc² is that fine-pixel box; dividing it out leaves the optics
/// alone, so the same box is not applied twice. NIRSpec then averages 3×3 fine pixels (the spaxel) and samples
/// the centre one, fine pixel 3i+1, which is a one-pixel shift in the phase.
struct TransferFunctions {
    let rows: Int
    let columns: Int

    /// Signed frequency of FFT index k on an axis of n samples, cycles per fine pixel.
    static func frequency(_ k: Int, _ n: Int) -> Double { Double(k <= n / 2 ? k : k - n) / Double(n) }

    static func sinc(_ t: Double) -> Double { abs(t) < 1e-12 ? 1 : sin(Double.pi * t) / (Double.pi * t) }

    /// The optical transfer function of a pixel-integrated PSF image (odd side, centred).
    func optics(psf: [Double], side: Int, fft: FFT2D) -> [Double] {
        var buffer = [Double](repeating: 0, count: 2 * rows * columns)
        let half = side / 2
        for j in 0..<side {
            let y = ((j - half) % rows + rows) % rows
            for i in 0..<side {
                let x = ((i - half) % columns + columns) % columns
                buffer[2 * (y * columns + x)] += psf[j * side + i]
            }
        }
        fft.forward(&buffer)
        for v in 0..<rows {
            let sy = Self.sinc(Self.frequency(v, rows))
            for u in 0..<columns {
                let box = sy * Self.sinc(Self.frequency(u, columns))
                let k = 2 * (v * columns + u)
                buffer[k] /= box
                buffer[k + 1] /= box
            }
        }
        return buffer
    }

    /// NIRSpec: optics × 3×3 spaxel average × the phase of sampling fine pixel 3i+1.
    func spaxelSampling(_ otf: [Double]) -> [Double] {
        var out = otf
        for v in 0..<rows {
            let by = (1 + 2 * cos(2 * Double.pi * Double(v) / Double(rows))) / 3
            let py = 2 * Double.pi * Double(v) / Double(rows)
            for u in 0..<columns {
                let bx = (1 + 2 * cos(2 * Double.pi * Double(u) / Double(columns))) / 3
                let phase = py + 2 * Double.pi * Double(u) / Double(columns)
                let k = 2 * (v * columns + u)
                let re = otf[k] * bx * by, im = otf[k + 1] * bx * by
                out[k] = re * cos(phase) - im * sin(phase)
                out[k + 1] = re * sin(phase) + im * cos(phase)
            }
        }
        return out
    }

    /// |D̂x|² + |D̂y|² of periodic first differences: the Sobolev penalty per frequency.
    func gradientPower() -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        for v in 0..<rows {
            let sy = sin(Double.pi * Double(v) / Double(rows))
            for u in 0..<columns {
                let sx = sin(Double.pi * Double(u) / Double(columns))
                out[v * columns + u] = 4 * (sx * sx + sy * sy)
            }
        }
        return out
    }
}
