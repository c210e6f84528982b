import FITS
import Pipeline

/// The layout of `<stem>_nsclean.fits`: the input's HDUs and headers, SCI replaced by the cleaned data,
/// S_CLNFNS set, and the optional MASK / BACKGROUND extensions placed before the ASDF extension (which is kept:
/// the geometry does not change).
enum NSCleanProduct {
    /// The product of `result`; `saveMask` and `saveBackground` add its MASK and BACKGROUND.
    static func hdus(of input: Exposure, result: CleaningResult, saveMask: Bool, saveBackground: Bool, userMask: String) -> [HDU] {
        hdus(
            of: input, result: Summary(result), cleaned: result.cleaned, mask: saveMask ? result.mask() : nil,
            background: saveBackground ? result.background() : nil, userMask: userMask)
    }

    /// The product's layout before cleaning (`Step.outline`): the same HDUs and cards, with the input's SCI in place
    /// of the cleaned one and zeros for MASK and BACKGROUND.
    static func outline(of input: Exposure, science: Image<Float>, saveMask: Bool, saveBackground: Bool, userMask: String) -> [HDU] {
        hdus(
            of: input, result: Summary(), cleaned: science,
            mask: saveMask ? Image(width: science.width, height: science.height, repeating: 0) : nil,
            background: saveBackground ? Image(axes: science.axes, repeating: 0) : nil,
            userMask: userMask)
    }

    /// The counts recorded in the primary header.
    struct Summary {
        var linesFitted = 0, linesReduced = 0, linesEmpty = 0
        var backgroundFraction = 0.0

        init() {}

        init(_ result: CleaningResult) {
            linesFitted = result.linesFitted
            linesReduced = result.linesReduced
            linesEmpty = result.linesEmpty
            backgroundFraction = result.backgroundFraction
        }
    }

    private static func hdus(
        of input: Exposure, result: Summary, cleaned: Image<Float>, mask: Image<UInt8>?,
        background: Image<Float>?, userMask: String
    ) -> [HDU] {
        var exposure = input
        exposure.setImage(cleaned, named: "SCI")
        var primary = exposure.primaryHeader
        let fitted = result.linesFitted + result.linesReduced
        primary.set("S_CLNFNS", .string(fitted > 0 ? "COMPLETE" : "SKIPPED"), comment: "Flicker (1/f) noise cleaning (Webbflow NSClean)")
        primary.addSection("NSClean background fit")
        primary.set(
            "NSCMASK", .string(userMask.isEmpty ? "automatic" : userMask.split(separator: "/").last.map(String.init) ?? userMask),
            comment: "background mask used")
        primary.set(
            "NSCBKGFR", .real(result.backgroundFraction),
            comment: "fraction of pixels used as background")
        primary.set("NSCLFIT", .integer(result.linesFitted), comment: "lines fitted with all frequencies")
        primary.set("NSCLRED", .integer(result.linesReduced), comment: "lines fitted with fewer frequencies")
        primary.set("NSCLEMP", .integer(result.linesEmpty), comment: "lines without background, left unchanged")
        exposure.primaryHeader = primary

        var extras: [HDU] = []
        if let mask {
            var header = Header()
            header.addComment("NSClean background mask: 1 = background pixel used in the fit")
            extras.append(HDU(name: "MASK", image: mask, header: header))
        }
        if let background {
            var header = Header()
            if let unit = input.hdu("SCI")?.header.string("BUNIT") {
                header.set("BUNIT", .string(unit), comment: "physical units of the array values")
            }
            header.addComment("NSClean background model subtracted from SCI")
            extras.append(HDU(name: "BACKGROUND", image: background, header: header))
        }
        var hdus = exposure.hdus
        let insertAt = hdus.index(named: "ASDF") ?? hdus.count
        hdus.insert(contentsOf: extras, at: insertAt)
        return hdus
    }
}
