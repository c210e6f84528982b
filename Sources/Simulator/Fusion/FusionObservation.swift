import Foundation
import Numerics
import Optics
import Platform

/// Observes a `FusionScene` with both instruments, without noise: each NIRCam image is the photon-weighted
/// band average of the scene convolved with the chromatic telescope PSF and the (rotated) 0.031" pixel; the
/// NIRSpec cube is the scene convolved with the IFU PSF and the 0.1" spaxel, per channel; the truth is the scene
/// averaged over the fused grid's pixels (a third of a spaxel). PSFs vary with wavelength through a grid of
/// monochromatic PSFs mixed linearly.
struct FusionObservation: Sendable {
    var images: [[Double]]
    var cube: [Double]
    var truth: [Double]

    static func observe(
        scene: FusionScene, cubeFrame: InstrumentFrame, imageFrame: InstrumentFrame, wavelengths: [Double],
        bandpasses: [NIRCamBandpass], calibration: Double
    ) -> FusionObservation {
        let spacing = 0.0125
        var extent = 1.0
        for frame in [cubeFrame, imageFrame] {
            for (x, y) in [(0.0, 0.0), (Double(frame.width), 0), (0, Double(frame.height)), (Double(frame.width), Double(frame.height))] {
                let o = frame.offset(x: x, y: y)
                extent = max(extent, abs(o.east) + 1, abs(o.north) + 1)
            }
        }
        var size = Int((2 * extent / spacing).rounded(.up))
        size = (size + 31) / 32 * 32
        let grid = SkyGrid(size: size, spacing: spacing)
        let fft = FFT2D(rows: size, columns: size)
        let cells = size * size

        // Fourier transforms of the abundance maps.
        let abundances: [[Double]] = (0..<scene.count).map { e in
            var map = grid.render { scene.abundance(e, x: $0, y: $1) }
            fft.forward(&map)
            return map
        }

        let bands = bandpasses.map { $0.photonWeights() }
        let lower = min(wavelengths.first!, bands.compactMap { $0.first?.wavelength }.min() ?? wavelengths.first!)
        let upper = max(wavelengths.last!, bands.compactMap { $0.last?.wavelength }.max() ?? wavelengths.last!)
        let nodes = WavelengthNodes(from: lower, to: upper, count: 10)

        let nircamPixel = grid.pixelTransfer(width: imageFrame.scale, axisX: imageFrame.axes.x, axisY: imageFrame.axes.y)
        let spaxel = grid.pixelTransfer(width: cubeFrame.scale, axisX: cubeFrame.axes.x, axisY: cubeFrame.axes.y)
        let spaxelCentres = (0..<(cubeFrame.width * cubeFrame.height)).map {
            cubeFrame.offset(x: Double($0 % cubeFrame.width), y: Double($0 / cubeFrame.width))
        }
        let psfSide = min(size - 1, Int(3.0 / spacing)) | 1

        // NIRCam images accumulate in the Fourier domain; NIRSpec maps are sampled at the spaxels per (endmember, node).
        var imageSpectra = [[Double]](repeating: [Double](repeating: 0, count: 2 * cells), count: bandpasses.count)
        var spaxelValues = [[Double]](repeating: [Double](repeating: 0, count: spaxelCentres.count), count: scene.count * nodes.count)
        // The telescope's pupil turns on the sky with each instrument's roll (its V3 axis along the frame's +y). The
        // grid's x runs east, so a position angle (north through east) turns it clockwise there.
        func pupil(rolledBy roll: Double) -> JWSTPupil {
            var pupil = JWSTPupil()
            pupil.rotation = -roll * .pi / 180
            return pupil
        }
        let cameraPupil = pupil(rolledBy: imageFrame.roll), ifuPupil = pupil(rolledBy: cubeFrame.roll)
        for (n, wavelength) in nodes.wavelengths.enumerated() {
            let camera = FraunhoferPSF.image(
                wavelength: wavelength,
                settings: .init(
                    pixelScale: spacing, size: psfSide, oversample: 1,
                    jitter: InstrumentOptics.jitter), pupil: cameraPupil)
            let ifu = FraunhoferPSF.image(
                wavelength: wavelength,
                settings: .init(
                    pixelScale: spacing, size: psfSide, oversample: 1,
                    jitter: InstrumentOptics.jitter,
                    instrumentBlur: InstrumentOptics.nirspecIFUBlur), pupil: ifuPupil)
            let cameraTransfer = grid.transfer(ofPSF: camera, side: psfSide, fft: fft)
            let ifuTransfer = grid.transfer(ofPSF: ifu, side: psfSide, fft: fft)
            for (f, band) in bands.enumerated() {
                for e in 0..<scene.count {
                    let weight = band.reduce(0) {
                        $0 + $1.weight * scene.spectrum(e, at: $1.wavelength) * nodes.weights(at: $1.wavelength)[n]
                    }
                    guard weight != 0 else { continue }
                    accumulate(&imageSpectra[f], weight, abundances[e], cameraTransfer, nircamPixel)
                }
            }
            let sampled = UnsafeResults(count: scene.count, length: spaxelCentres.count)
            Parallel.forEach(scene.count, chunks: scene.count) { range in
                for e in range {
                    var map = [Double](repeating: 0, count: 2 * cells)
                    accumulate(&map, 1, abundances[e], ifuTransfer, spaxel)
                    fft.inverse(&map)
                    let norm = 1 / Double(cells)
                    sampled.set(e, spaxelCentres.map { grid.sample(map, x: $0.east, y: $0.north) * norm })
                }
            }
            for e in 0..<scene.count { spaxelValues[e * nodes.count + n] = sampled.values(e) }
        }

        let images: [[Double]] = imageSpectra.map { spectrum in
            var map = spectrum
            fft.inverse(&map)
            let norm = calibration / Double(cells)
            return (0..<(imageFrame.width * imageFrame.height)).map { p in
                let o = imageFrame.offset(x: Double(p % imageFrame.width), y: Double(p / imageFrame.width))
                return grid.sample(map, x: o.east, y: o.north) * norm
            }
        }

        var cube = [Double](repeating: 0, count: wavelengths.count * spaxelCentres.count)
        for (l, wavelength) in wavelengths.enumerated() {
            let w = nodes.weights(at: wavelength)
            for e in 0..<scene.count {
                let s = scene.spectrum(e, at: wavelength)
                for n in 0..<nodes.count where w[n] != 0 {
                    let values = spaxelValues[e * nodes.count + n]
                    let factor = s * w[n]
                    for p in 0..<values.count { cube[l * values.count + p] += factor * values[p] }
                }
            }
        }

        let truth = truthCube(scene: scene, grid: grid, fft: fft, abundances: abundances, cubeFrame: cubeFrame, wavelengths: wavelengths)
        return FusionObservation(images: images, cube: cube, truth: truth)
    }

    /// The scene averaged over the fused grid's pixels (a third of a spaxel, aligned with the cube, the centre of
    /// fine pixel 3i+1 on spaxel i), per wavelength: what a perfect fusion would return.
    static func truthCube(
        scene: FusionScene, grid: SkyGrid, fft: FFT2D, abundances: [[Double]], cubeFrame: InstrumentFrame,
        wavelengths: [Double]
    ) -> [Double] {
        let fineWidth = 3 * cubeFrame.width, fineHeight = 3 * cubeFrame.height
        let box = grid.pixelTransfer(width: cubeFrame.scale / 3, axisX: cubeFrame.axes.x, axisY: cubeFrame.axes.y)
        let cells = grid.size * grid.size
        let maps: [[Double]] = abundances.map { spectrum in
            var map = [Double](repeating: 0, count: 2 * cells)
            for i in 0..<cells {
                map[2 * i] = spectrum[2 * i] * box[i]
                map[2 * i + 1] = spectrum[2 * i + 1] * box[i]
            }
            fft.inverse(&map)
            return (0..<(fineWidth * fineHeight)).map { p in
                let o = cubeFrame.offset(x: (Double(p % fineWidth) - 1) / 3, y: (Double(p / fineWidth) - 1) / 3)
                return grid.sample(map, x: o.east, y: o.north) / Double(cells)
            }
        }
        let pixels = fineWidth * fineHeight
        var truth = [Double](repeating: 0, count: wavelengths.count * pixels)
        for (l, wavelength) in wavelengths.enumerated() {
            for e in 0..<scene.count {
                let s = scene.spectrum(e, at: wavelength)
                for p in 0..<pixels { truth[l * pixels + p] += s * maps[e][p] }
            }
        }
        return truth
    }

    /// target += weight · a · b · c (a, b complex; c real), element-wise over an interleaved complex buffer.
    private static func accumulate(_ target: inout [Double], _ weight: Double, _ a: [Double], _ b: [Double], _ c: [Double]) {
        for i in 0..<c.count {
            let ar = a[2 * i], ai = a[2 * i + 1], br = b[2 * i], bi = b[2 * i + 1]
            let s = weight * c[i]
            target[2 * i] += s * (ar * br - ai * bi)
            target[2 * i + 1] += s * (ar * bi + ai * br)
        }
    }
}

/// Per-task result slots written by parallel workers (each slot by exactly one task).
private final class UnsafeResults: Sendable {
    private let slots: Locked<[[Double]]>
    init(count: Int, length: Int) { slots = Locked([[Double]](repeating: [], count: count)) }
    func set(_ i: Int, _ values: [Double]) { slots.withLock { $0[i] = values } }
    func values(_ i: Int) -> [Double] { slots.withLock { $0[i] } }
}
