import Foundation
import Numerics

/// A square, finely sampled grid on the tangent plane around the target (east, north offsets in arcsec),
/// on which the scene is rendered and convolved in the Fourier domain before instruments sample it.
struct SkyGrid: Sendable {
    let size: Int
    /// Grid spacing, arcsec.
    let spacing: Double

    /// Grid coordinate of an offset: the centre of cell `size/2` is the target.
    func coordinate(_ offset: Double) -> Double { Double(size / 2) + offset / spacing }
    func offset(_ index: Int) -> Double { Double(index - size / 2) * spacing }

    /// Spatial frequency (cycles per arcsec) of FFT index `k`.
    func frequency(_ k: Int) -> Double { Double(k <= size / 2 ? k : k - size) / (Double(size) * spacing) }

    /// `function(x, y)` sampled at every cell centre, as an interleaved complex buffer ready for the FFT.
    func render(_ function: (Double, Double) -> Double) -> [Double] {
        var buffer = [Double](repeating: 0, count: 2 * size * size)
        for j in 0..<size {
            let y = offset(j)
            for i in 0..<size { buffer[2 * (j * size + i)] = function(offset(i), y) }
        }
        return buffer
    }

    /// The transfer function of a PSF image (odd side, centred, at this grid's spacing) on this grid.
    func transfer(ofPSF psf: [Double], side: Int, fft: FFT2D) -> [Double] {
        var buffer = [Double](repeating: 0, count: 2 * size * size)
        let half = side / 2
        for j in 0..<side {
            let y = (j - half + size) % size
            for i in 0..<side { buffer[2 * (y * size + (i - half + size) % size)] += psf[j * side + i] }
        }
        fft.forward(&buffer)
        return buffer
    }

    /// Transfer function of integration over a square pixel of side `width` arcsec whose axes point along the
    /// unit vectors `axisX` and `axisY` (east, north components): a product of two sincs.
    func pixelTransfer(width: Double, axisX: (Double, Double), axisY: (Double, Double)) -> [Double] {
        func sinc(_ t: Double) -> Double { abs(t) < 1e-12 ? 1 : sin(Double.pi * t) / (Double.pi * t) }
        var transfer = [Double](repeating: 0, count: size * size)
        for j in 0..<size {
            let v = frequency(j)
            for i in 0..<size {
                let u = frequency(i)
                transfer[j * size + i] = sinc(width * (u * axisX.0 + v * axisX.1)) * sinc(width * (u * axisY.0 + v * axisY.1))
            }
        }
        return transfer
    }

    /// Bilinear value of a real map (interleaved complex buffer, real parts used) at an offset.
    func sample(_ map: [Double], x: Double, y: Double) -> Double {
        let gx = coordinate(x), gy = coordinate(y)
        let i0 = Int(gx.rounded(.down)), j0 = Int(gy.rounded(.down))
        guard i0 >= 0, j0 >= 0, i0 + 1 < size, j0 + 1 < size else { return 0 }
        let tx = gx - Double(i0), ty = gy - Double(j0)
        func at(_ i: Int, _ j: Int) -> Double { map[2 * (j * size + i)] }
        return (1 - ty) * ((1 - tx) * at(i0, j0) + tx * at(i0 + 1, j0)) + ty * ((1 - tx) * at(i0, j0 + 1) + tx * at(i0 + 1, j0 + 1))
    }
}
