import FITS
import Foundation
import Pipeline

/// How one slit instrument writes its `_cal` files: identity, optics keywords, units and orientation.
///
/// Layout written (after jwst's MultiSlitModel/SlitModel): primary header; per slit a SCI, DQ, ERR, WAVELENGTH,
/// VAR_POISSON, VAR_RNOISE, VAR_FLAT tuple sharing the slit's EXTVER (1, 2, …) and holding the cut-out around it,
/// SCI carrying the slit keywords (SLTNAME, SLITID, SOURCEID, SRCTYPE, SRCYPOS, SLTSTRT/SLTSIZE, WAVSTART/WAVEND,
/// DISPAXIS, PIXAR_SR, BUNIT); then the ASDF extension `SimulationWriter` adds. WAVELENGTH is the geometry: the
/// tree holds no gwcs. An ImageModel holds one such set without EXTVER and slit keywords.
public struct SlitInstrumentSetup: Sendable {
    public var instrument: String
    public var exposureType: String
    public var detector: String
    public var dataModel: String
    /// False for an ImageModel (MIRI LRS before jwst 2.0): one unnumbered SCI/DQ/ERR… set without slit keywords.
    public var slitKeywords = true
    /// FILTER, GRATING, FXD_SLIT… as written in the primary header.
    public var optics: [String: String]
    /// The primary slit (the only one of a single-slit file).
    public var slitName: String
    public var subarray: String
    public var patternType: String
    /// True when wavelength runs along detector y (MIRI LRS, DISPAXIS = 2).
    public var dispersionAlongY: Bool
    /// Further primary keywords of the mode (MOS: MSAMETFL, MSAMETID, NOD_TYPE…).
    public var modeKeywords: [(keyword: String, value: HeaderValue)] = []
    /// Unit of the primary slit's point source.
    public var unit: String
    public var pixelArea: Double
    /// Cross-slit pixels per unit of SRCYPOS (the slit-relative coordinate, −0.5…0.5 over the slit length).
    public var slitLengthPixels: Double
    /// The aperture whose reference point the telescope put on the source.
    public var aperture: SIAFAperture
}

/// Builds the exposure and truth HDUs of one simulated slit dither.
enum SlitCalFile {
    static func make(
        cutouts: [SlitCutout], setup: SlitInstrumentSetup, frame: Int, nodSubtracted: Bool,
        identity: ExposureIdentity
    ) -> SimulatedFile {
        let fileName = identity.fileName(suffix: "cal")
        var primary = JWSTHeaders.primary(
            identity: identity, instrument: setup.instrument, exposureType: setup.exposureType,
            dataModel: setup.dataModel, fileName: fileName, optics: setup.optics)
        let frameCount = cutouts[0].observation.frameCount
        primary.addSection("Dither information")
        primary.set("PATTTYPE", .string(setup.patternType), comment: "Primary dither pattern type")
        primary.set("NUMDTHPT", .integer(frameCount), comment: "Total number of points in pattern")
        primary.set("PATT_NUM", .integer(frame + 1), comment: "Position number in primary pattern")
        primary.set("SUBARRAY", .string(setup.subarray), comment: "Subarray used")
        primary.addSection("Calibration step status")
        for key in ["S_ASSIGN", "S_FLAT", "S_PHOTOM", "S_EXTR2D", "S_WAVCOR", "S_SRCTYP"] {
            primary.set(key, .string("COMPLETE"))
        }
        for (keyword, value) in setup.modeKeywords { primary.set(keyword, value) }
        JWSTHeaders.association(stage: "spec2", identity: identity, into: &primary)
        if nodSubtracted { primary.set("S_BKDSUB", .string("COMPLETE"), comment: "Background subtraction") }

        var hdus = [HDU(header: primary)]
        var truth: [HDU] = []
        for (index, cutout) in cutouts.enumerated() {
            let drawn = nodSubtracted ? NodSubtraction.subtract(cutout.nods)[frame] : cutout.nods[frame]
            hdus += slitHDUs(cutout, drawn: drawn, setup: setup, frame: frame, version: index + 1)
            truth += truthHDUs(cutout, drawn: drawn, setup: setup, frame: frame, version: index + 1)
        }
        let exposure = Exposure(name: ProductName(fileName), hdus: hdus)
        return SimulatedFile(exposure: exposure, truth: [HDU(header: truthHeader(cutouts[0], frame: frame))] + truth, folder: "")
    }

    /// Detector order (x fastest) of a spectrograph-ordered plane, transposed when the dispersion runs along y.
    private static func detector<T: FITSPixel>(_ values: [T], _ o: SlitObservation, alongY: Bool) -> Image<T> {
        guard alongY else { return Image(axes: [o.length, o.crossPixels], pixels: values) }
        var out = values
        for j in 0..<o.crossPixels {
            for k in 0..<o.length { out[k * o.crossPixels + j] = values[j * o.length + k] }
        }
        return Image(axes: [o.crossPixels, o.length], pixels: out)
    }

    private static func slitHDUs(
        _ cutout: SlitCutout, drawn: SlitObservation.Frame, setup: SlitInstrumentSetup, frame: Int,
        version: Int
    ) -> [HDU] {
        let o = cutout.observation, alongY = setup.dispersionAlongY
        func image<T: FITSPixel>(_ values: [T]) -> Image<T> { detector(values, o, alongY: alongY) }
        let (width, height) = alongY ? (o.crossPixels, o.length) : (o.length, o.crossPixels)
        var sci = JWSTHeaders.science(
            unit: cutout.unit, pointing: TelescopePointing(aperture: setup.aperture, at: JWSTHeaders.defaultTarget))
        sci.set("SRCTYPE", .string(cutout.sourceType), comment: "Source type used for calibration")
        sci.set("DISPAXIS", .integer(alongY ? 2 : 1), comment: "Dispersion axis")
        if setup.slitKeywords { slitKeywords(cutout, into: &sci, frame: frame, version: version, width: width, height: height) }
        sci.set("PIXAR_SR", .real(setup.pixelArea), comment: "Nominal pixel area in steradians")
        func ext(_ unit: String?) -> Header {
            var h = Header()
            if setup.slitKeywords { h.set("EXTVER", .integer(version)) }
            if let unit { h.set("BUNIT", .string(unit)) }
            return h
        }
        let squared = cutout.unit == "MJy/sr" ? "(MJy/sr)^2" : "MJy^2"
        var drawn = drawn
        if let shadow = cutout.barShadow {
            // jwst's barshadow step divides the slitlet (and its errors) by the correction and records BARSHDW.
            drawn.applyBarShadow(shadow)
            sci.set("BARSHDW", .logical(true), comment: "Bar shadow correction applied")
        }
        let err = zip(zip(drawn.varPoisson, drawn.varReadNoise), drawn.varFlat).map { ($0.0 + $0.1 + $1).squareRoot() }
        let barShadow = cutout.barShadow.map { [HDU(name: "BARSHADOW", image: image($0), header: ext(nil))] } ?? []
        return [
            HDU(name: "SCI", image: image(drawn.science), header: sci),
            HDU(name: "DQ", image: image(drawn.dq), header: ext(nil)),
            HDU(name: "ERR", image: image(err), header: ext(cutout.unit)),
            HDU(name: "WAVELENGTH", image: image(drawn.wavelength), header: ext("um")),
        ] + barShadow + [
            HDU(name: "VAR_POISSON", image: image(drawn.varPoisson), header: ext(squared)),
            HDU(name: "VAR_RNOISE", image: image(drawn.varReadNoise), header: ext(squared)),
            HDU(name: "VAR_FLAT", image: image(drawn.varFlat), header: ext(squared)),
        ]
    }

    /// The keywords of a slit of a SlitModel or MultiSlitModel (jwst's slitmeta), numbered by EXTVER.
    private static func slitKeywords(_ cutout: SlitCutout, into sci: inout Header, frame: Int, version: Int, width: Int, height: Int) {
        sci.set("EXTVER", .integer(version))
        sci.set("SLTNAME", .string(cutout.name), comment: "Name of the slit")
        sci.set("SLITID", .integer(cutout.number), comment: "Slit ID")
        sci.set("SOURCEID", .integer(cutout.sourceID), comment: "Source ID")
        sci.set("SRCNAME", .string(cutout.sourceName), comment: "Source name")
        sci.set("SRCALIAS", .string(cutout.sourceAlias), comment: "Source alias")
        sci.set("STLARITY", .real(cutout.hasSource && cutout.sourceType == "POINT" ? 1 : 0), comment: "Source stellarity")
        sci.set("SPORDER", .integer(1), comment: "Spectral order number")
        sci.set("SRCXPOS", .real(0), comment: "Source position in slit (fraction of slit width)")
        let planned = cutout.observation.plannedCentres[frame]
        if let slitlet = cutout.slitlet {
            slitlet.keywords(plannedRow: planned, into: &sci)
        } else {
            sci.set(
                "SRCYPOS", .real(((Double(cutout.observation.crossPixels) - 1) / 2 - planned) / cutout.slitLengthPixels),
                comment: "Source position in slit (fraction of slit length)")
        }
        sci.set("SRCRA", .real(JWSTHeaders.defaultTarget.ra), comment: "Right ascension of the source")
        sci.set("SRCDEC", .real(JWSTHeaders.defaultTarget.dec), comment: "Declination of the source")
        sci.set("SLTSTRT1", .integer(1), comment: "Starting pixel in x direction")
        sci.set("SLTSIZE1", .integer(width), comment: "Number of pixels in x direction")
        sci.set("SLTSTRT2", .integer(1), comment: "Starting pixel in y direction")
        sci.set("SLTSIZE2", .integer(height), comment: "Number of pixels in y direction")
        let lambdas = cutout.observation.dispersion.wavelengths
        sci.set("WAVSTART", .real(lambdas.min()! * 1e-6), comment: "[m] Shortest wavelength in the cut-out")
        sci.set("WAVEND", .real(lambdas.max()! * 1e-6), comment: "[m] Longest wavelength in the cut-out")
    }

    /// The truth's primary header: the PSF law and the first slit's traces.
    private static func truthHeader(_ cutout: SlitCutout, frame: Int) -> Header {
        let o = cutout.observation
        var h = Header()
        h.addSection("Simulated truth")
        h.set("PSFSHAPE", .string(o.psf.shape.rawValue), comment: "PSF shape across the slit")
        h.set("PSF_A", .real(o.psf.a), comment: "[px2/um2] sigma^2 = a lambda^2 + b")
        h.set("PSF_B", .real(o.psf.b), comment: "[px2] width floor (before pixel integration)")
        h.set("PSF_BETA", .real(o.psf.beta), comment: "Moffat wing index")
        h.set("FRAME", .integer(frame + 1), comment: "this file's dither (1-based)")
        h.set("NFRAMES", .integer(o.frameCount), comment: "dithers in the observation")
        traceKeywords(o, into: &h)
        return h
    }

    private static func traceKeywords(_ o: SlitObservation, into h: inout Header) {
        h.set("TRCREF", .real(o.referencePixel), comment: "dispersion pixel (0-based) the trace refers to")
        h.set("TRCSLOPE", .real(o.traceSlope), comment: "trace tilt, cross px per dispersion px")
        h.set("TRCCURV", .real(o.traceCurvature), comment: "trace curvature, cross px per px^2")
        for (i, c) in o.traceCentres.enumerated() {
            h.set("TRCY\(i + 1)", .real(c), comment: "trace centre (0-based cross px) of dither \(i + 1) at TRCREF")
        }
    }

    /// Truth of one slit (EXTVER = the slit's): the noiseless image and the defect map (1 unflagged cosmic ray,
    /// 2 flagged cosmic ray, 4 flagged bad pixel) as this file holds them, and the spectrum on a grid 8× finer than
    /// the pixels, whose header names the slit, says whether it holds a source and gives its traces.
    private static func truthHDUs(
        _ cutout: SlitCutout, drawn: SlitObservation.Frame, setup: SlitInstrumentSetup, frame: Int,
        version: Int
    ) -> [HDU] {
        let o = cutout.observation, alongY = setup.dispersionAlongY
        var lambdas: [Double] = [], fluxes: [Double] = []
        for s in 0..<(8 * (o.length - 1) + 1) {
            let l = o.dispersion.wavelength(atPixel: Double(s) / 8)
            lambdas.append(l)
            fluxes.append(o.spectrum.flux(at: l))
        }
        let spectrum = Table(columns: [
            TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(lambdas)),
            TableColumn(name: "FLUX", unit: "Jy", data: .float64(fluxes)),
        ])
        var h = Header()
        h.set("EXTVER", .integer(version))
        h.set("SLTNAME", .string(cutout.name), comment: "slit")
        h.set("SOURCEID", .integer(cutout.sourceID), comment: "source in the slit")
        h.set("HASSRC", .logical(cutout.hasSource), comment: "a source lies in the slit")
        traceKeywords(o, into: &h)
        var versioned = Header()
        versioned.set("EXTVER", .integer(version))
        let defects = detector(drawn.defects.map(Float.init), o, alongY: alongY).pixels.map { Int32($0) }
        let noiseless = detector(drawn.noiseless, o, alongY: alongY)
        return [
            HDU(name: "NOISELESS", image: noiseless, header: versioned),
            HDU(name: "DEFECTS", image: Image(axes: noiseless.axes, pixels: defects), header: versioned),
            HDU(name: "SPECTRUM", table: spectrum, header: h),
        ]
    }
}
