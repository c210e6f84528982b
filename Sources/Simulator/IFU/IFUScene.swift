import Foundation

/// A point source seen through an IFU: where it sits (along-slice α in px, across-slice sky position in slice
/// widths), its total flux (MJy/sr × px², so a pixel's value is flux × the PSF fraction it receives) and spectrum.
public struct IFUPointSource: Sendable, Equatable {
    public var alpha: Double
    public var sky: Double
    public var flux: Double
    public var spectrum: IFUSpectrum

    public init(alpha: Double, sky: Double, flux: Double, spectrum: IFUSpectrum) {
        self.alpha = alpha
        self.sky = sky
        self.flux = flux
        self.spectrum = spectrum
    }
}

/// Smooth extended emission that fills the field: a continuum (a constant floor plus a broad Gaussian blob) and
/// emission lines whose brightness varies slowly over the whole field (half constant, half a wider blob).
public struct IFUExtendedEmission: Sendable, Equatable {
    /// Continuum surface brightness (MJy/sr) at the blob centre at the spectrum's reference wavelength.
    public var level: Double
    public var continuum: IFUSpectrum
    /// Emission lines as a spectrum with zero continuum (slope and level ignored: only the lines count).
    public var lines: [IFUSpectrum.Line]
    /// Line brightness (MJy/sr) per unit line strength.
    public var lineLevel: Double
    public var blobAlpha: Double, blobSky: Double, blobWidth: Double

    public init(
        level: Double, continuum: IFUSpectrum, lines: [IFUSpectrum.Line], lineLevel: Double, blobAlpha: Double = 3,
        blobSky: Double = 2, blobWidth: Double = 8
    ) {
        self.level = level
        self.continuum = continuum
        self.lines = lines
        self.lineLevel = lineLevel
        self.blobAlpha = blobAlpha
        self.blobSky = blobSky
        self.blobWidth = blobWidth
    }

    /// The emission at one wavelength.
    func at(wavelength: Double) -> Monochromatic {
        var lineFlux = 0.0
        for line in lines {
            let d = (wavelength - line.centre) / line.width
            if abs(d) < 8 { lineFlux += line.strength * exp(-0.5 * d * d) }
        }
        return Monochromatic(
            continuum: level * continuum.value(at: wavelength), lines: lineLevel * lineFlux,
            blobAlpha: blobAlpha, blobSky: blobSky, blobWidth: blobWidth)
    }

    /// The emission at one wavelength: the continuum's and the lines' brightness there, and their shapes on the sky.
    struct Monochromatic {
        var continuum: Double
        var lines: Double
        var blobAlpha: Double, blobSky: Double, blobWidth: Double

        /// Mean surface brightness over the one-pixel box centred at along-slice α in the slice at sky position `sky`.
        func boxAverage(alpha: Double, sky: Double) -> Double {
            let root2pi = (2 * Double.pi).squareRoot()
            func blob(_ width: Double, _ ca: Double, _ cs: Double) -> Double {
                let ds = (sky - cs) / width
                return width * root2pi * IFUPointSpreadFunction.boxGaussian(alpha - ca, width) * exp(-0.5 * ds * ds)
            }
            let continuumShape = 0.3 + 0.7 * blob(blobWidth, blobAlpha, blobSky)
            let lineShape = lines == 0 ? 0 : 0.5 + 0.5 * blob(2.5 * blobWidth, -blobAlpha, -blobSky)
            return continuum * continuumShape + lines * lineShape
        }
    }
}

/// What the IFU looks at: point sources and optional extended emission, seen through one PSF.
public struct IFUScene: Sendable, Equatable {
    public var sources: [IFUPointSource]
    public var extended: IFUExtendedEmission?
    public var psf: IFUPointSpreadFunction

    public init(sources: [IFUPointSource], extended: IFUExtendedEmission? = nil, psf: IFUPointSpreadFunction) {
        self.sources = sources
        self.extended = extended
        self.psf = psf
    }

    /// Mean surface brightness (MJy/sr) over a one-pixel box centred at along-slice α (px) in the slice whose
    /// centre is at sky position `sky`, at `wavelength` (µm). This is what a detector pixel records, and what an
    /// oversampled pixel centred at α should hold. For many pixels at one wavelength, `at(wavelength:)` once.
    public func boxAverage(alpha: Double, sky: Double, wavelength: Double) -> Double {
        at(wavelength: wavelength).boxAverage(alpha: alpha, sky: sky)
    }

    /// The scene at one wavelength, its spectra evaluated once for all the pixels of a detector column.
    public func at(wavelength: Double) -> IFUMonochromaticScene {
        IFUMonochromaticScene(
            wavelength: wavelength, psf: psf, extended: extended?.at(wavelength: wavelength),
            sources: sources.map { .init(alpha: $0.alpha, sky: $0.sky, brightness: $0.flux * $0.spectrum.value(at: wavelength)) })
    }
}

/// An `IFUScene` at one wavelength: each source reduced to its position and brightness there, the extended
/// emission to its continuum and line brightness. What is left per pixel is the spatial profile alone.
///
/// Rendering a column pixel by pixel from the scene itself evaluated every spectrum at every pixel, and every
/// source copied out of `sources` brought its spectrum's line array with it: reference counting (atomic, from both
/// threads at once), with the per-call array that `IFUPointSpreadFunction.pixelFraction` then had, took 40 % of an
/// IFU simulation's CPU. Plain numbers here.
public struct IFUMonochromaticScene: Sendable {
    /// A point source at this wavelength: flux × spectrum.
    struct Source: Sendable {
        var alpha: Double, sky: Double, brightness: Double
    }

    let wavelength: Double
    let psf: IFUPointSpreadFunction
    let extended: IFUExtendedEmission.Monochromatic?
    let sources: [Source]

    /// Mean surface brightness (MJy/sr) over a one-pixel box centred at along-slice α (px) in the slice whose
    /// centre is at sky position `sky` (`IFUScene.boxAverage`).
    public func boxAverage(alpha: Double, sky: Double) -> Double {
        var value = extended?.boxAverage(alpha: alpha, sky: sky) ?? 0
        for source in sources {
            value += source.brightness * psf.pixelFraction(along: alpha - source.alpha, across: sky - source.sky, wavelength: wavelength)
        }
        return value
    }
}

/// The scenes the IFU recipes offer (`--set scene=…`).
public enum IFUSceneKind: String, CaseIterable, Sendable {
    /// One undersampled point source.
    case point
    /// A point source on extended emission with emission lines filling the field.
    case pointOnExtended = "point-on-extended"
    /// Two close point sources with different spectra.
    case twoSources = "two-sources"

    /// The scene over `wavelengths` (µm) with the main source's total flux `flux`, core FWHM `fwhm` px at the
    /// short end, and the main source at along-slice position `alpha`.
    public func scene(wavelengths: ClosedRange<Double>, flux: Double, fwhm: Double, alpha: Double) -> IFUScene {
        let reference = wavelengths.lowerBound
        let span = wavelengths.upperBound - wavelengths.lowerBound
        let psf = IFUPointSpreadFunction(coreFWHM: fwhm, referenceWavelength: reference)
        let stellar = IFUSpectrum(
            slope: -1.5, referenceWavelength: reference,
            lines: [
                IFUSpectrum.Line(centre: reference + 0.42 * span, width: 0.004 * span, strength: -0.3)
            ])
        switch self {
        case .point:
            return IFUScene(sources: [IFUPointSource(alpha: alpha, sky: 0, flux: flux, spectrum: stellar)], psf: psf)
        case .pointOnExtended:
            let lines = [0.3, 0.55, 0.8].map { IFUSpectrum.Line(centre: reference + $0 * span, width: 0.0007 * span, strength: 1) }
            let extended = IFUExtendedEmission(
                level: 20, continuum: IFUSpectrum(slope: 1, referenceWavelength: reference),
                lines: lines, lineLevel: 400)
            return IFUScene(
                sources: [IFUPointSource(alpha: alpha, sky: 0, flux: flux, spectrum: stellar)], extended: extended,
                psf: psf)
        case .twoSources:
            let red = IFUSpectrum(
                slope: 2, referenceWavelength: reference,
                lines: [
                    IFUSpectrum.Line(centre: reference + 0.65 * span, width: 0.002 * span, strength: 0.8)
                ])
            return IFUScene(
                sources: [
                    IFUPointSource(alpha: alpha - 2.2, sky: 0, flux: flux, spectrum: stellar),
                    IFUPointSource(alpha: alpha + 1.6, sky: 0.2, flux: 0.5 * flux, spectrum: red),
                ], psf: psf)
        }
    }
}
