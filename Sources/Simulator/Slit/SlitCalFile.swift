import FITS
import Foundation
import Pipeline

/// How one slit instrument writes its `_cal` files: identity, optics keywords, units and orientation.
///
/// Layout written (documented simplification of the JWST models): primary header; SCI, DQ, ERR, WAVELENGTH,
/// VAR_POISSON, VAR_RNOISE, VAR_FLAT image extensions, each with EXTVER = 1, holding the cut-out around the slit
/// as a single-slit MultiSlitModel/SlitModel does. SCI carries SLTNAME, SRCTYPE, DISPAXIS, SRCYPOS, SLTSTRT1/2,
/// PIXAR_SR and BUNIT. There is no ASDF extension (no gwcs tree): WAVELENGTH is the geometry.
public struct SlitInstrumentSetup: Sendable {
    public var instrument: String
    public var exposureType: String
    public var detector: String
    public var dataModel: String
    /// FILTER, GRATING, FXD_SLIT… as written in the primary header.
    public var optics: [String: String]
    public var slitName: String
    public var subarray: String
    public var patternType: String
    /// True when wavelength runs along detector y (MIRI LRS, DISPAXIS = 2).
    public var dispersionAlongY: Bool
    public var unit: String
    public var pixelArea: Double
    /// Cross-slit pixels per unit of SRCYPOS (the slit-relative coordinate, −0.5…0.5 over the slit length).
    public var slitLengthPixels: Double
}

/// Builds the exposure and truth HDUs of one simulated slit dither.
enum SlitCalFile {
    static func make(observation: SlitObservation, setup: SlitInstrumentSetup, frame: Int, drawn: SlitObservation.Frame,
                     identity: ExposureIdentity) -> SimulatedFile {
        let fileName = identity.fileName(suffix: "cal")
        var primary = JWSTHeaders.primary(identity: identity, instrument: setup.instrument, exposureType: setup.exposureType,
                                          dataModel: setup.dataModel, fileName: fileName, optics: setup.optics)
        primary.addSection("Dither information")
        primary.set("PATTTYPE", .string(setup.patternType), comment: "Primary dither pattern type")
        primary.set("NUMDTHPT", .integer(observation.frameCount), comment: "Total number of points in pattern")
        primary.set("PATT_NUM", .integer(frame + 1), comment: "Position number in primary pattern")
        primary.set("SUBARRAY", .string(setup.subarray), comment: "Subarray used")
        primary.addSection("Calibration step status")
        for key in ["S_ASSIGN", "S_FLAT", "S_PHOTOM", "S_EXTR2D", "S_WAVCOR", "S_SRCTYP"] {
            primary.set(key, .string("COMPLETE"))
        }

        let (width, height) = setup.dispersionAlongY ? (observation.crossPixels, observation.length)
            : (observation.length, observation.crossPixels)
        func detector<T: FITSPixel>(_ values: [T]) -> Image<T> {
            guard setup.dispersionAlongY else { return Image(axes: [width, height], pixels: values) }
            var out = values
            for j in 0..<observation.crossPixels {
                for k in 0..<observation.length { out[k * width + j] = values[j * observation.length + k] }
            }
            return Image(axes: [width, height], pixels: out)
        }
        var sci = JWSTHeaders.science(unit: setup.unit)
        sci.set("EXTVER", .integer(1))
        sci.set("SLTNAME", .string(setup.slitName), comment: "Name of the slit")
        sci.set("SRCTYPE", .string("POINT"), comment: "Source type used for calibration")
        sci.set("DISPAXIS", .integer(setup.dispersionAlongY ? 2 : 1), comment: "Dispersion axis")
        let centre = observation.traceCentres[frame]
        sci.set("SRCYPOS", .real(((Double(observation.crossPixels) - 1) / 2 - centre) / setup.slitLengthPixels),
                comment: "Source position in slit (fraction of slit length)")
        sci.set("SLTSTRT1", .integer(1), comment: "Starting pixel in x direction")
        sci.set("SLTSTRT2", .integer(1), comment: "Starting pixel in y direction")
        sci.set("PIXAR_SR", .real(setup.pixelArea), comment: "Nominal pixel area in steradians")
        func ext(_ name: String, unit: String?) -> Header {
            var h = Header()
            h.set("EXTVER", .integer(1))
            if let unit { h.set("BUNIT", .string(unit)) }
            return h
        }
        let squared = setup.unit == "MJy/sr" ? "(MJy/sr)^2" : "MJy^2"
        let err = zip(zip(drawn.varPoisson, drawn.varReadNoise), drawn.varFlat).map { ($0.0 + $0.1 + $1).squareRoot() }
        let hdus: [HDU] = [
            HDU(header: primary),
            HDU(name: "SCI", image: detector(drawn.science), header: sci),
            HDU(name: "DQ", image: detector(drawn.dq), header: ext("DQ", unit: nil)),
            HDU(name: "ERR", image: detector(err), header: ext("ERR", unit: setup.unit)),
            HDU(name: "WAVELENGTH", image: detector(drawn.wavelength), header: ext("WAVELENGTH", unit: "um")),
            HDU(name: "VAR_POISSON", image: detector(drawn.varPoisson), header: ext("VAR_POISSON", unit: squared)),
            HDU(name: "VAR_RNOISE", image: detector(drawn.varReadNoise), header: ext("VAR_RNOISE", unit: squared)),
            HDU(name: "VAR_FLAT", image: detector(drawn.varFlat), header: ext("VAR_FLAT", unit: squared)),
        ]
        let exposure = Exposure(name: ProductName(fileName), hdus: hdus)
        return SimulatedFile(exposure: exposure, truth: truth(observation: observation, frame: frame, drawn: drawn,
                                                              image: detector), folder: "")
    }

    /// Truth: the PSF law, every dither's trace, the spectrum on a grid 8× finer than the pixels, the noiseless
    /// image and the defect map (1 unflagged cosmic ray, 2 flagged cosmic ray, 4 flagged bad pixel).
    private static func truth(observation o: SlitObservation, frame: Int, drawn: SlitObservation.Frame,
                              image: ([Float]) -> Image<Float>) -> [HDU] {
        var h = Header()
        h.addSection("Simulated truth")
        h.set("PSFSHAPE", .string(o.psf.shape.rawValue), comment: "PSF shape across the slit")
        h.set("PSF_A", .real(o.psf.a), comment: "[px2/um2] sigma^2 = a lambda^2 + b")
        h.set("PSF_B", .real(o.psf.b), comment: "[px2] width floor (before pixel integration)")
        h.set("PSF_BETA", .real(o.psf.beta), comment: "Moffat wing index")
        h.set("TRCREF", .real(o.referencePixel), comment: "dispersion pixel (0-based) the trace refers to")
        h.set("TRCSLOPE", .real(o.traceSlope), comment: "trace tilt, cross px per dispersion px")
        h.set("TRCCURV", .real(o.traceCurvature), comment: "trace curvature, cross px per px^2")
        h.set("FRAME", .integer(frame + 1), comment: "this file's dither (1-based)")
        h.set("NFRAMES", .integer(o.frameCount), comment: "dithers in the observation")
        for (i, c) in o.traceCentres.enumerated() {
            h.set("TRCY\(i + 1)", .real(c), comment: "trace centre (0-based cross px) of dither \(i + 1) at TRCREF")
        }
        var lambdas: [Double] = [], fluxes: [Double] = []
        for s in 0..<(8 * (o.length - 1) + 1) {
            let l = o.dispersion.wavelength(atPixel: Double(s) / 8)
            lambdas.append(l)
            fluxes.append(o.spectrum.flux(at: l))
        }
        let spectrum = Table(columns: [TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(lambdas)),
                                       TableColumn(name: "FLUX", unit: "Jy", data: .float64(fluxes))])
        return [HDU(header: h), HDU(name: "NOISELESS", image: image(drawn.noiseless)),
                HDU(name: "DEFECTS", image: Image(axes: image(drawn.noiseless).axes, pixels: reorder(drawn.defects, like: image))),
                HDU(name: "SPECTRUM", table: spectrum)]
    }

    /// Puts an Int32 map in detector order using the float reordering (values are small integers, exact in Float).
    private static func reorder(_ values: [Int32], like image: ([Float]) -> Image<Float>) -> [Int32] {
        image(values.map(Float.init)).pixels.map { Int32($0) }
    }
}
