import FITS
import Pipeline

/// JWST-format files of a fusion pair: level-3 names, primary headers with the level-3 association, SCI/ERR/DQ/
/// WMAP/WCS-TABLE for the `_s3d` cube (in the `S3DLayout` asked for) and SCI/ERR/CON/WHT/VAR_* for the `_i2d`
/// images, each SCI with its celestial WCS and the pointing.
enum FusionFiles {
    static let target = "SIM-FUSION"

    static func cube(
        program: Int, cube: [Double], noiseless: [Double], sigma: Double, badSpaxels: Set<Int>, frame: InstrumentFrame,
        wavelengths: [Double], layout: S3DLayout, truth: [Double], scene: FusionScene
    ) -> SimulatedFile {
        let fileName = "jw\(ExposureIdentity.padded(program, 5))-o002_t001_nirspec_g235h-f170lp_s3d.fits"
        let identity = ExposureIdentity(program: program, observation: 2, detector: "MULTIPLE")
        var primary = JWSTHeaders.primary(
            identity: identity, instrument: "NIRSPEC", exposureType: "NRS_IFU", dataModel: "IFUCubeModel",
            fileName: fileName, optics: ["FILTER": "F170LP", "GRATING": "G235H"], target: target,
            targetRA: FusionPairRecipe.target.ra, targetDec: FusionPairRecipe.target.dec)
        primary.set("FLUXEXT", .string("SCI"), comment: "Name of the extension holding the flux")
        primary.set("ERREXT", .string("ERR"), comment: "Name of the extension holding the error")
        primary.set("ERRTYPE", .string("ERR"), comment: "Type of the error")
        primary.set("MASKEXT", .string("DQ"), comment: "Name of the extension holding the mask")
        primary.set("S_IFUCUB", .string("COMPLETE"), comment: "IFU cube build")
        JWSTHeaders.association(stage: "spec3", identity: identity, into: &primary)
        let shape = [frame.width, frame.height, wavelengths.count]
        var science = JWSTHeaders.science(unit: "MJy/sr", pointing: frame.pointing(.nirspec), region: frame.footprint)
        frame.celestialCards(into: &science, axes: 3)
        for key in ["PC1_3", "PC2_3", "PC3_1", "PC3_2"] { science.set(key, .real(0), comment: "linear transformation matrix element") }
        science.set("PC3_3", .real(1), comment: "linear transformation matrix element")
        layout.spectralAxis(wavelengths, into: &science)
        science.set("SPECSYS", .string("BARYCENT"), comment: "Spectral reference frame")
        var dq = [UInt32](repeating: 0, count: cube.count)
        var err = [Float](repeating: Float(sigma), count: cube.count)
        let plane = frame.width * frame.height
        for p in badSpaxels {
            for l in 0..<wavelengths.count { dq[l * plane + p] = DataQuality.doNotUse.rawValue; err[l * plane + p] = .nan }
        }
        let hdus = [
            HDU(header: primary),
            HDU(name: "SCI", image: Image(axes: shape, pixels: cube.map(Float.init)), header: science),
            HDU(name: "ERR", image: Image(axes: shape, pixels: err), header: JWSTHeaders.unitHeader("MJy/sr")),
            HDU(name: "DQ", image: Image(axes: shape, pixels: dq)),
            HDU(name: "WMAP", image: Image(axes: shape, pixels: dq.map { $0 == 0 ? Float(1) : 0 })),
            layout.wavelengthTable(wavelengths),
        ]
        let fineShape = [3 * frame.width, 3 * frame.height, wavelengths.count]
        let spectra = (0..<scene.count).flatMap { e in wavelengths.map { Float(scene.spectrum(e, at: $0)) } }
        var truthPrimary = Header()
        truthPrimary.set("ORIGIN", .string("Webbflow simulator"))
        truthPrimary.addComment("TRUTH: the scene averaged over the fused grid (spaxel/3, fine pixel 3i+1 centred on spaxel i), MJy/sr")
        truthPrimary.addComment("NOISELESS: the cube without noise; SPECTRA: the endmember spectra (MJy/sr) on the cube wavelengths")
        let truthHDUs = [
            HDU(header: truthPrimary),
            HDU(name: "TRUTH", image: Image(axes: fineShape, pixels: truth.map(Float.init)), header: JWSTHeaders.unitHeader("MJy/sr")),
            HDU(name: "NOISELESS", image: Image(axes: shape, pixels: noiseless.map(Float.init)), header: JWSTHeaders.unitHeader("MJy/sr")),
            HDU(
                name: "SPECTRA", image: Image(axes: [wavelengths.count, scene.count], pixels: spectra),
                header: JWSTHeaders.unitHeader("MJy/sr")),
        ]
        let exposure = Exposure(name: ProductName(fileName), hdus: hdus)
        return SimulatedFile(exposure: exposure, truth: truthHDUs, folder: "")
    }

    static func image(
        program: Int, target: String, image: [Double], noiseless: [Double], sigma: Double, filter: String, frame: InstrumentFrame
    ) -> SimulatedFile {
        let fileName = "jw\(ExposureIdentity.padded(program, 5))-o001_t001_nircam_clear-\(filter.lowercased())_i2d.fits"
        let identity = ExposureIdentity(program: program, observation: 1, detector: "MULTIPLE")
        var primary = JWSTHeaders.primary(
            identity: identity, instrument: "NIRCAM", exposureType: "NRC_IMAGE", dataModel: "ImageModel",
            fileName: fileName, optics: ["FILTER": filter, "PUPIL": "CLEAR", "CHANNEL": "SHORT", "MODULE": "B"],
            target: target, targetRA: FusionPairRecipe.target.ra, targetDec: FusionPairRecipe.target.dec)
        primary.set("S_RESAMP", .string("COMPLETE"), comment: "Resample step")
        primary.set("SUBARRAY", .string("FULL"), comment: "Subarray used")
        primary.set("NDRIZ", .integer(1), comment: "Number of drizzled inputs")
        primary.set("PIXFRAC", .real(1), comment: "Pixel shrinkage factor used")
        JWSTHeaders.association(stage: "image3", identity: identity, into: &primary)
        var science = JWSTHeaders.science(unit: "MJy/sr", pointing: frame.pointing(.nircam), region: frame.footprint)
        frame.celestialCards(into: &science)
        let shape = [frame.width, frame.height]
        let variance = Float(sigma * sigma)
        func plane(_ value: Float) -> [Float] { [Float](repeating: value, count: image.count) }
        // One drizzled input: its context bit is set in every pixel it covers (all of them), and the noise, one
        // level everywhere, is read noise.
        let hdus = [
            HDU(header: primary),
            HDU(name: "SCI", image: Image(axes: shape, pixels: image.map(Float.init)), header: science),
            HDU(name: "ERR", image: Image(axes: shape, pixels: plane(Float(sigma))), header: JWSTHeaders.unitHeader("MJy/sr")),
            HDU(name: "CON", image: Image(axes: shape + [1], pixels: [Int32](repeating: 1, count: image.count))),
            HDU(name: "WHT", image: Image(axes: shape, pixels: plane(1))),
            HDU(name: "VAR_POISSON", image: Image(axes: shape, pixels: plane(0)), header: JWSTHeaders.unitHeader("(MJy/sr)^2")),
            HDU(name: "VAR_RNOISE", image: Image(axes: shape, pixels: plane(variance)), header: JWSTHeaders.unitHeader("(MJy/sr)^2")),
            HDU(name: "VAR_FLAT", image: Image(axes: shape, pixels: plane(0)), header: JWSTHeaders.unitHeader("(MJy/sr)^2")),
        ]
        var truthPrimary = Header()
        truthPrimary.set("ORIGIN", .string("Webbflow simulator"))
        let truthHDUs = [
            HDU(header: truthPrimary),
            HDU(name: "NOISELESS", image: Image(axes: shape, pixels: noiseless.map(Float.init)), header: JWSTHeaders.unitHeader("MJy/sr")),
        ]
        return SimulatedFile(exposure: Exposure(name: ProductName(fileName), hdus: hdus), truth: truthHDUs, folder: "")
    }
}
