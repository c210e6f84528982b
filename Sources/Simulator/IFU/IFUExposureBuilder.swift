import FITS
import Foundation
import Pipeline
import Platform

/// Renders a scene through an IFU layout into the arrays of a `_cal` file (SCI, ERR, DQ, VAR_*, WAVELENGTH,
/// REGIONS) and its truth (noiseless SIGNAL, along-slice ALPHA, and the scene on N-times finer along-slice grids).
///
/// Oversampled grids follow the ATM convention: spatial index k of the N-times finer grid sits at native position
/// k/N − (N−1)/(2N), and its truth value is the scene averaged over a one-pixel box centred there (what a detector
/// pixel centred at that position would record), defined where the nearest native pixel belongs to the slice.
public struct IFUExposureBuilder: Sendable {
    public var layout: IFUDetectorLayout
    public var scene: IFUScene
    public var noise: IFUNoiseModel
    public var defects: IFUDefects
    /// Oversampling factors for which the truth holds SIGNAL_OS<N>.
    public var truthOversampling: [Int] = [2, 3]
    /// Whether the file carries REGIONS, jwst's slice map (NIRSpec IFU cal files from CAL_VER 1.19 on).
    public var writesRegions = true

    public init(layout: IFUDetectorLayout, scene: IFUScene, noise: IFUNoiseModel, defects: IFUDefects) {
        self.layout = layout
        self.scene = scene
        self.noise = noise
        self.defects = defects
    }

    /// Rows (spatial indices) of `slice` at dispersion index t: α = s − centre ∈ [−half, +half).
    func rows(of slice: IFUSlice, centre: Double) -> Range<Int> {
        let first = max(0, Int((centre - slice.halfLength).rounded(.up)))
        let end = min(layout.spatialLength, Int((centre + slice.halfLength).rounded(.up)))
        return first..<max(first, end)
    }

    /// The noiseless arrays: signal, along-slice coordinate, wavelength, regions.
    struct Geometry {
        var signal: [Float], alpha: [Float], wavelength: [Float], regions: [Int32]
    }

    func renderGeometry() -> Geometry {
        let count = layout.width * layout.height
        var g = Geometry(
            signal: [Float](repeating: .nan, count: count), alpha: [Float](repeating: .nan, count: count),
            wavelength: [Float](repeating: .nan, count: count), regions: [Int32](repeating: 0, count: count))
        let layout = self.layout, scene = self.scene, length = layout.dispersionLength
        g.signal.withUnsafeMutableBufferPointer { sp in
            g.alpha.withUnsafeMutableBufferPointer { ap in
                g.wavelength.withUnsafeMutableBufferPointer { wp in
                    g.regions.withUnsafeMutableBufferPointer { rp in
                        let signal = SharedBuffer(sp), alpha = SharedBuffer(ap)
                        let wave = SharedBuffer(wp), regions = SharedBuffer(rp)
                        Parallel.forEach(length) { range in
                            for t in range {
                                for slice in layout.slices where slice.dispersionRange.contains(t) {
                                    let c = slice.centre(at: Double(t), dispersionLength: length)
                                    let lambda = slice.wavelength(at: Double(t), dispersionLength: length)
                                    let column = scene.at(wavelength: lambda)
                                    for s in rows(of: slice, centre: c) {
                                        let i = layout.pixelIndex(t: t, s: s)
                                        let a = Double(s) - c
                                        regions[i] = slice.region
                                        alpha[i] = Float(a)
                                        wave[i] = Float(lambda)
                                        signal[i] = Float(column.boxAverage(alpha: a, sky: slice.skyIndex))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return g
    }

    /// The scene on the N-times finer along-slice grid (NaN outside slices).
    func renderOversampled(_ n: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: layout.width * layout.height * n)
        let layout = self.layout, scene = self.scene, length = layout.dispersionLength
        let shift = Double(n - 1) / Double(2 * n)
        out.withUnsafeMutableBufferPointer { op in
            let fine = SharedBuffer(op)
            Parallel.forEach(length) { range in
                for t in range {
                    for slice in layout.slices where slice.dispersionRange.contains(t) {
                        let c = slice.centre(at: Double(t), dispersionLength: length)
                        let lambda = slice.wavelength(at: Double(t), dispersionLength: length)
                        let native = rows(of: slice, centre: c)
                        guard !native.isEmpty else { continue }
                        let column = scene.at(wavelength: lambda)
                        for k in (native.lowerBound * n)..<(native.upperBound * n) {
                            let position = Double(k) / Double(n) - shift
                            fine[layout.pixelIndex(t: t, s: k, oversample: n)] =
                                Float(column.boxAverage(alpha: position - c, sky: slice.skyIndex))
                        }
                    }
                }
            }
        }
        return out
    }

    /// Builds the exposure (headers from the caller) and its truth for `seed`.
    public func build(seed: UInt64, name: String, primary: Header, science: Header, truthHeader: Header) -> SimulatedFile {
        let random = SeededRandom(seed: seed)
        let g = renderGeometry()
        let count = g.signal.count
        let length = layout.dispersionLength
        var sci = [Float](repeating: .nan, count: count), err = sci, vp = sci, vr = sci, vf = sci
        var dq = [UInt32](repeating: DataQuality([.doNotUse, .nonScience]).rawValue, count: count)
        let noise = self.noise, layout = self.layout
        sci.withUnsafeMutableBufferPointer { sciP in
            err.withUnsafeMutableBufferPointer { errP in
                vp.withUnsafeMutableBufferPointer { vpP in
                    vr.withUnsafeMutableBufferPointer { vrP in
                        vf.withUnsafeMutableBufferPointer { vfP in
                            dq.withUnsafeMutableBufferPointer { dqP in
                                let out = (
                                    SharedBuffer(sciP), SharedBuffer(errP), SharedBuffer(vpP),
                                    SharedBuffer(vrP), SharedBuffer(vfP), SharedBuffer(dqP)
                                )
                                g.signal.withUnsafeBufferPointer { signal in
                                    let truth = signal.baseAddress!
                                    nonisolated(unsafe) let truthPointer = truth
                                    Parallel.forEach(length) { range in
                                        for t in range {
                                            // One stream per dispersion index: the result does not depend on chunking.
                                            var rng = random.stream("noise-\(t)")
                                            for s in 0..<layout.spatialLength {
                                                let i = layout.pixelIndex(t: t, s: s)
                                                let value = Double(truthPointer[i])
                                                guard value.isFinite else { continue }
                                                let p = noise.poissonVariance(value), r = noise.readVariance
                                                let f = noise.flatVariance(value)
                                                out.0[i] = Float(noise.draw(value, &rng))
                                                out.1[i] = Float((p + r + f).squareRoot())
                                                out.2[i] = Float(p)
                                                out.3[i] = Float(r)
                                                out.4[i] = Float(f)
                                                out.5[i] = 0
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var cosmics = [Float](repeating: 0, count: count)
        var defectRandom = random.stream("defects")
        applyDefects(regions: g.regions, sci: &sci, dq: &dq, cosmics: &cosmics, random: &defectRandom)
        for i in 0..<count where sci[i].isNaN && g.signal[i].isFinite {
            err[i] = .nan; vp[i] = .nan; vr[i] = .nan; vf[i] = .nan
        }
        let axes = [layout.width, layout.height]
        var exposure = Exposure(name: ProductName(name), hdus: [HDU(header: primary)])
        exposure.hdus.append(HDU(name: "SCI", image: Image(axes: axes, pixels: sci), header: science))
        exposure.hdus.append(HDU(name: "ERR", image: Image(axes: axes, pixels: err), header: JWSTHeaders.unitHeader("MJy/sr")))
        exposure.hdus.append(HDU(name: "DQ", image: Image(axes: axes, pixels: dq)))
        exposure.hdus.append(HDU(name: "VAR_POISSON", image: Image(axes: axes, pixels: vp), header: JWSTHeaders.unitHeader("(MJy/sr)^2")))
        exposure.hdus.append(HDU(name: "VAR_RNOISE", image: Image(axes: axes, pixels: vr), header: JWSTHeaders.unitHeader("(MJy/sr)^2")))
        exposure.hdus.append(HDU(name: "VAR_FLAT", image: Image(axes: axes, pixels: vf), header: JWSTHeaders.unitHeader("(MJy/sr)^2")))
        exposure.hdus.append(HDU(name: "WAVELENGTH", image: Image(axes: axes, pixels: g.wavelength), header: JWSTHeaders.unitHeader("um")))
        if writesRegions { exposure.hdus.append(HDU(name: "REGIONS", image: Image(axes: axes, pixels: g.regions))) }

        var truth = [HDU(header: truthHeader)]
        var signalHeader = JWSTHeaders.unitHeader("MJy/sr")
        signalHeader.addComment("noiseless scene: mean over the one-pixel box at each pixel")
        truth.append(HDU(name: "SIGNAL", image: Image(axes: axes, pixels: g.signal), header: signalHeader))
        var alphaHeader = JWSTHeaders.unitHeader("pixel")
        alphaHeader.addComment("along-slice coordinate: signed distance from the slice centre line")
        truth.append(HDU(name: "ALPHA", image: Image(axes: axes, pixels: g.alpha), header: alphaHeader))
        for n in truthOversampling {
            var h = JWSTHeaders.unitHeader("MJy/sr")
            h.set("OVERSAMP", .integer(n), comment: "oversampling factor along the slice")
            h.addComment("index k of the spatial axis sits at native position k/N - (N-1)/(2N)")
            truth.append(
                HDU(
                    name: "SIGNAL_OS\(n)", image: Image(axes: layout.axes(oversample: n), pixels: renderOversampled(n)),
                    header: h))
        }
        if defects.cosmicRays > 0 {
            truth.append(HDU(name: "COSMICS", image: Image(axes: axes, pixels: cosmics), header: JWSTHeaders.unitHeader("MJy/sr")))
        }
        return SimulatedFile(exposure: exposure, truth: truth)
    }
}
