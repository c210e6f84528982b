import FITS
import Foundation
import Pipeline
import Platform

/// `nirspec-rate`: NIRSpec `_rate` / `_rateints` files (DN/s, DMS orientation) with the correlated read noise
/// NSClean removes, for IFU, fixed-slit, MOS-like and bright-object scenes, full frame or subarray.
///
/// SCI = signal + Poisson noise + white read noise + 1/f banding (along the fast-read direction, quieter at the
/// edges, absent from the 4-px reference-pixel border) + picture frame. The truth file holds each term
/// separately: SIGNAL, POISSON_NOISE, READ_NOISE, ONE_OVER_F, PICTURE_FRAME (same shape as SCI).
/// ERR² = VAR_POISSON + VAR_RNOISE, where VAR_RNOISE counts the white and 1/f read noise actually added.
public struct NIRSpecRateRecipe: SimulationRecipe {
    public init() {}

    public var name: String { "nirspec-rate" }
    public var summary: String {
        "NIRSpec rate/rateints (DN/s) with 1/f banding, picture frame and read noise; IFU, FS, MOS, BOTS; subarrays"
    }

    public struct Settings: StepOptions {
        public var program = 4242
        public var detector = NIRSpecDetector.NRS1
        public var mode = RateScene.ifu
        public var subarray = "FULL"
        public var ints = 1
        public var segments = 1
        public var brightness = 1.0
        public var readNoise = 0.008
        public var oneOverF = 0.006
        public var slope = 1.0
        public var pictureFrame = 0.004
        public var edgeQuieting = 0.6
        public var exposureTime = 1050.6
        public var badPixels = 200

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] = [
            .program(\.program),
            .choice("detector", \.detector, help: "NRS1 or NRS2"),
            .choice("mode", \.mode, help: "illumination: ifu, fixedslit, mos or bots"),
            .text("subarray", \.subarray, help: "readout window", choices: NIRSpecSubarray.all.map(\.name)),
            .integer("ints", \.ints, help: "integrations; more than 1 writes a 3-D _rateints file", range: 1...50),
            .integer(
                "segments", \.segments, help: "files the integrations are split into (-segNNN), as jwst splits long time series",
                range: 1...50),
            .number("brightness", \.brightness, help: "peak source rate (DN/s); extended light scales with it", range: 0...1e4),
            .number("read_noise", \.readNoise, help: "white read noise per pixel (DN/s rms)", range: 0...100),
            .number("one_over_f", \.oneOverF, help: "1/f banding (DN/s rms in the interior)", range: 0...100),
            .number("slope", \.slope, help: "1/f power-spectrum slope alpha (P ∝ f^-alpha)", range: 0...3),
            .number("picture_frame", \.pictureFrame, help: "picture-frame amplitude at the edges (DN/s)", range: 0...100),
            .number("edge_quieting", \.edgeQuieting, help: "fraction of the banding missing at the detector edges", range: 0...1),
            .number("exposure_time", \.exposureTime, help: "effective exposure time (s), sets the Poisson noise", range: 1...1e6),
            .integer("bad_pixels", \.badPixels, help: "pixels set to NaN and flagged DO_NOT_USE", range: 0...100_000),
        ]
    }

    public func generate(seed: UInt64, settings: Settings) throws -> [SimulatedFile] {
        let detector = settings.detector.rawValue, scene = settings.mode
        guard let window = NIRSpecSubarray.named(settings.subarray) else { throw ParameterError("nirspec-rate: unknown subarray") }
        let ints = settings.ints, segments = settings.segments
        guard segments == 1 || segments <= ints else {
            throw ParameterError("nirspec-rate: \(segments) segments need at least as many integrations (ints=\(ints))")
        }
        let random = SeededRandom(seed: seed)
        let noise = RateNoiseSettings(
            readNoise: settings.readNoise, oneOverF: settings.oneOverF, slope: settings.slope,
            pictureFrame: settings.pictureFrame, edgeQuieting: settings.edgeQuieting,
            integrationTime: settings.exposureTime / Double(ints))
        let signal = scene.render(detector: detector, window: window, brightness: settings.brightness, random: random)
        let layers = (0..<ints).map { index in
            RateIntegration.simulate(
                signal: signal, window: window, detector: detector, noise: noise,
                random: random.stream("integration-\(index)"))
        }
        let badPixels = Self.badPixels(count: settings.badPixels, window: window, random: random.stream("bad-pixels"))
        // jwst splits an exposure into segments of equal length, the last one taking what is left.
        let perSegment = (ints + segments - 1) / segments
        return stride(from: 0, to: ints, by: perSegment).enumerated().map { index, first in
            let identity = ExposureIdentity(
                program: settings.program, observation: 7, visit: 1, exposure: 1, segment: segments > 1 ? index + 1 : nil,
                detector: detector)
            return file(
                identity: identity, integrations: first..<min(ints, first + perSegment), layers: layers, signal: signal,
                badPixels: badPixels, window: window, settings: settings, seed: seed)
        }
    }

    /// The file of `integrations` (all of them, or one segment's): rate when the exposure has one integration,
    /// rateints otherwise.
    private func file(
        identity: ExposureIdentity, integrations: Range<Int>, layers: [RateIntegration], signal: [Double], badPixels: [Int],
        window: NIRSpecSubarray, settings: Settings, seed: UInt64
    ) -> SimulatedFile {
        let scene = settings.mode, detector = settings.detector.rawValue
        let cube = settings.ints > 1
        let fileName = identity.fileName(suffix: cube ? "rateints" : "rate")
        let count = integrations.count
        let axes = cube ? [window.width, window.height, count] : [window.width, window.height]
        func stack(_ part: (RateIntegration) -> [Float]) -> Image<Float> {
            Image(axes: axes, pixels: layers[integrations].flatMap(part))
        }
        var science = stack(\.science)
        var dq = Image(axes: axes, pixels: [UInt32](repeating: 0, count: axes.reduce(1, *)))
        let planeSize = window.width * window.height
        for plane in 0..<count {
            for y in 0..<window.height {
                for x in 0..<window.width where Self.isReferencePixel(x: x + window.xStart - 1, y: y + window.yStart - 1) {
                    dq.pixels[plane * planeSize + y * window.width + x] = (DataQuality.referencePixel.union(.doNotUse)).rawValue
                }
            }
            for index in badPixels {
                science.pixels[plane * planeSize + index] = .nan
                dq.pixels[plane * planeSize + index] |= DataQuality.doNotUse.rawValue
            }
        }

        var primary = JWSTHeaders.primary(
            identity: identity, instrument: "NIRSPEC", exposureType: scene.exposureType,
            dataModel: cube ? "CubeModel" : "ImageModel", fileName: fileName, optics: scene.optics)
        Self.addReadout(to: &primary, window: window, detector: detector, ints: settings.ints, exposureTime: settings.exposureTime)
        if let segment = identity.segment {
            primary.set("EXSEGNUM", .integer(segment), comment: "Segment number")
            primary.set("EXSEGTOT", .integer(settings.segments), comment: "Total number of segments")
            primary.set("INTSTART", .integer(integrations.lowerBound + 1), comment: "Starting integration number in this segment")
            primary.set("INTEND", .integer(integrations.upperBound), comment: "Ending integration number in this segment")
        }
        let aperture: SIAFAperture = window.name == "FULL" ? .nirspec : .nirspecFixedSlit
        let rate = JWSTHeaders.science(unit: "DN/s", pointing: TelescopePointing(aperture: aperture, at: JWSTHeaders.defaultTarget))
        let variance = JWSTHeaders.unitHeader("(DN/s)^2")
        var hdus: [HDU] = [
            HDU(header: primary),
            HDU(name: "SCI", image: science, header: rate),
            HDU(name: "ERR", image: stack(\.error), header: JWSTHeaders.unitHeader("DN/s")),
            HDU(name: "DQ", image: dq),
            HDU(name: "VAR_POISSON", image: stack(\.poissonVariance), header: variance),
            HDU(name: "VAR_RNOISE", image: stack(\.readVariance), header: variance),
        ]
        if cube {
            let times = Self.integrationTimes(integrations, of: settings.ints, exposureTime: settings.exposureTime)
            hdus.insert(HDU(name: "INT_TIMES", table: times), at: 4)
        }
        var truthPrimary = Header()
        truthPrimary.set("ORIGIN", .string("Webbflow simulator"), comment: "noiseless components of \(fileName)")
        truthPrimary.set("SIMKIND", .string(name), comment: "simulation kind")
        truthPrimary.set("SIMSEED", .integer(Int(truncatingIfNeeded: seed)), comment: "random seed")
        for (key, value) in settings.values {
            truthPrimary.set("SIM_\(String(key.uppercased().prefix(4)))", value.headerValue, comment: "setting \(key)")
        }
        let unit = JWSTHeaders.unitHeader("DN/s")
        let signalImage = Image(axes: axes, pixels: [Float](integrations.flatMap { _ in signal.map { Float($0) } }))
        let truth: [HDU] = [
            HDU(header: truthPrimary),
            HDU(name: "SIGNAL", image: signalImage, header: unit),
            HDU(name: "POISSON_NOISE", image: stack(\.poissonNoise), header: unit),
            HDU(name: "READ_NOISE", image: stack(\.whiteNoise), header: unit),
            HDU(name: "ONE_OVER_F", image: stack(\.oneOverF), header: unit),
            HDU(name: "PICTURE_FRAME", image: stack(\.pictureFrame), header: unit),
        ]
        let exposure = Exposure(name: ProductName(fileName), hdus: hdus)
        return SimulatedFile(exposure: exposure, truth: truth)
    }

    /// The INT_TIMES table of a `_rateints` file: start, middle and end of each of its integrations, numbered within
    /// the exposure (MJD UTC and BJD TDB; the simulator does not model the barycentric correction, so both scales
    /// carry the same values).
    private static func integrationTimes(_ integrations: Range<Int>, of ints: Int, exposureTime: Double) -> Table {
        let start = 61055.13478, length = exposureTime / Double(ints) / 86400
        let starts = integrations.map { start + Double($0) * length }
        let columns = ["MJD_UTC", "BJD_TDB"].flatMap { scale in
            ["int_start", "int_mid", "int_end"].enumerated().map { index, name in
                TableColumn(name: "\(name)_\(scale)", data: .float64(starts.map { $0 + Double(index) * length / 2 }))
            }
        }
        return Table(columns: [TableColumn(name: "integration_number", data: .int32(integrations.map { Int32($0 + 1) }))] + columns)
    }

    /// The 4-px reference-pixel border of the full 2048×2048 detector.
    public static func isReferencePixel(x: Int, y: Int) -> Bool { x < 4 || y < 4 || x > 2043 || y > 2043 }

    private static func badPixels(count: Int, window: NIRSpecSubarray, random: SeededRandom) -> [Int] {
        var rng = random
        return (0..<count).map { _ in Int(rng.uniform() * Double(window.width * window.height)) }
    }

    private static func addReadout(to header: inout Header, window: NIRSpecSubarray, detector: String, ints: Int, exposureTime: Double) {
        let readout = NIRSpecReadout(width: window.width, height: window.height, detector: detector)
        header.addSection("Subarray parameters")
        header.set("SUBARRAY", .string(window.name), comment: "Subarray used")
        header.set("SUBSTRT1", .integer(window.xStart), comment: "Starting pixel in axis 1 direction")
        header.set("SUBSTRT2", .integer(window.yStart), comment: "Starting pixel in axis 2 direction")
        header.set("SUBSIZE1", .integer(window.width), comment: "Number of pixels in axis 1 direction")
        header.set("SUBSIZE2", .integer(window.height), comment: "Number of pixels in axis 2 direction")
        header.set("FASTAXIS", .integer(readout.fastAxis), comment: "Fast readout axis direction")
        header.set("SLOWAXIS", .integer(readout.slowAxis), comment: "Slow readout axis direction")
        header.addSection("Exposure parameters")
        header.set("READPATT", .string("NRSIRS2RAPID"), comment: "Readout pattern")
        header.set("NINTS", .integer(ints), comment: "Number of integrations in exposure")
        header.set("NGROUPS", .integer(20), comment: "Number of groups in integration")
        header.set("EXPTIME", .real(exposureTime), comment: "[s] exposure duration")
        header.addSection("Calibration step status")
        header.set("S_DQINIT", .string("COMPLETE"), comment: "Data Quality Initialization")
        header.set("S_REFPIX", .string("COMPLETE"), comment: "Reference Pixel Correction")
        header.set("S_JUMP", .string("COMPLETE"), comment: "Jump Detection")
        header.set("S_RAMP", .string("COMPLETE"), comment: "Ramp Fitting")
    }
}

/// Noise amplitudes of one simulated rate exposure (DN/s).
struct RateNoiseSettings: Sendable {
    var readNoise: Double
    var oneOverF: Double
    var slope: Double
    var pictureFrame: Double
    var edgeQuieting: Double
    /// Effective integration time (s) of one integration, for the Poisson noise.
    var integrationTime: Double
}

/// One integration's rate image and its noise terms, as float planes (`pixels[y * width + x]`).
struct RateIntegration: Sendable {
    var science: [Float]
    var error: [Float]
    var poissonVariance: [Float]
    var readVariance: [Float]
    var poissonNoise: [Float]
    var whiteNoise: [Float]
    var oneOverF: [Float]
    var pictureFrame: [Float]

    static func simulate(
        signal: [Double], window: NIRSpecSubarray, detector: String, noise: RateNoiseSettings,
        random: SeededRandom
    ) -> RateIntegration {
        let width = window.width, height = window.height, count = width * height
        let readout = NIRSpecReadout(width: width, height: height, detector: detector)
        let series = CorrelatedReadNoise.oneOverF(
            ticks: readout.totalTicks, slope: noise.slope, rms: noise.oneOverF,
            random: random.stream("one-over-f"))
        let frame = CorrelatedReadNoise.pictureFrame(window: window, amplitude: noise.pictureFrame, random: random)
        let envelope = CorrelatedReadNoise.bandingEnvelope(quieting: noise.edgeQuieting)
        var result = RateIntegration(
            science: .init(repeating: 0, count: count), error: .init(repeating: 0, count: count),
            poissonVariance: .init(repeating: 0, count: count), readVariance: .init(repeating: 0, count: count),
            poissonNoise: .init(repeating: 0, count: count), whiteNoise: .init(repeating: 0, count: count),
            oneOverF: .init(repeating: 0, count: count), pictureFrame: .init(repeating: 0, count: count))
        let time = noise.integrationTime
        // Rows are independent: each has its own random stream, so the result does not depend on the core count.
        withBuffers(&result) { planes in
            Parallel.forEach(height) { rows in
                for y in rows {
                    var rng = random.stream("row-\(y)")
                    let fy = y + window.yStart - 1
                    for x in 0..<width {
                        let i = y * width + x
                        let fx = x + window.xStart - 1
                        let reference = NIRSpecRateRecipe.isReferencePixel(x: fx, y: fy)
                        let rate = signal[i]
                        let poisson = rate > 0 ? (rng.poisson(rate * time) - rate * time) / time : 0
                        let white = noise.readNoise * rng.gaussian()
                        let gain = reference ? 0 : envelope[min(1023, CorrelatedReadNoise.edgeDistance(x: fx, y: fy))]
                        let banding = gain * series[readout.tick(x: x, y: y)]
                        let bandingSigma = gain * noise.oneOverF
                        let readVariance = noise.readNoise * noise.readNoise + bandingSigma * bandingSigma
                        let poissonVariance = max(rate, 0) / time
                        planes.science[i] = Float(rate + poisson + white + banding + frame[i])
                        planes.error[i] = Float((readVariance + poissonVariance).squareRoot())
                        planes.poissonVariance[i] = Float(poissonVariance)
                        planes.readVariance[i] = Float(readVariance)
                        planes.poissonNoise[i] = Float(poisson)
                        planes.whiteNoise[i] = Float(white)
                        planes.oneOverF[i] = Float(banding)
                        planes.pictureFrame[i] = Float(frame[i])
                    }
                }
            }
        }
        return result
    }

    /// The eight planes as shared buffers for the parallel fill.
    private struct Planes: Sendable {
        var science, error, poissonVariance, readVariance, poissonNoise, whiteNoise, oneOverF, pictureFrame: SharedBuffer<Float>
    }

    private static func withBuffers(_ r: inout RateIntegration, _ body: (Planes) -> Void) {
        r.science.withUnsafeMutableBufferPointer { a in
            r.error.withUnsafeMutableBufferPointer { b in
                r.poissonVariance.withUnsafeMutableBufferPointer { c in
                    r.readVariance.withUnsafeMutableBufferPointer { d in
                        r.poissonNoise.withUnsafeMutableBufferPointer { e in
                            r.whiteNoise.withUnsafeMutableBufferPointer { f in
                                r.oneOverF.withUnsafeMutableBufferPointer { g in
                                    r.pictureFrame.withUnsafeMutableBufferPointer { h in
                                        body(
                                            Planes(
                                                science: SharedBuffer(a), error: SharedBuffer(b), poissonVariance: SharedBuffer(c),
                                                readVariance: SharedBuffer(d),
                                                poissonNoise: SharedBuffer(e), whiteNoise: SharedBuffer(f), oneOverF: SharedBuffer(g),
                                                pictureFrame: SharedBuffer(h)))
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
