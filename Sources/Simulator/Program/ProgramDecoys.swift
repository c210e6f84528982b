import FITS
import Pipeline

/// The files of a real download that Webbflow must not process, each small and each skipped for its own reason:
/// raw uncal data, a target-acquisition exposure, a CRDS reference file, an already-extracted x1d spectrum and a
/// preview image (named `.jpg` like MAST's previews; the watcher ignores it by name, so its bytes do not matter
/// and it is written as a tiny FITS image).
enum ProgramDecoys {
    static func files(program: Int) -> [SimulatedFile] {
        let uncalID = ExposureIdentity(program: program, observation: 7, visit: 1, exposure: 1, detector: "NRS1")
        let taID = ExposureIdentity(program: program, observation: 7, visit: 1, visitGroup: 2, exposure: 1, detector: "NRS1")
        let x1dID = ExposureIdentity(program: program, observation: 8, visit: 1, exposure: 1, detector: "NRS1")
        let nirspecOptics = ["FILTER": "F170LP", "GRATING": "G235H"]
        return [
            exposure(
                uncalID, suffix: "uncal", type: "NRS_IFU", model: "Level1bModel", optics: nirspecOptics, unit: "DN",
                image: AnyImage(Image(axes: [16, 16, 2, 1], pixels: [UInt16](repeating: 1000, count: 512)))),
            exposure(
                taID, suffix: "rate", type: "NRS_WATA", model: "ImageModel", optics: ["FILTER": "F110W", "GRATING": "MIRROR"],
                unit: "DN/s", image: AnyImage(Image<Float>(width: 16, height: 16, repeating: 1))),
            referenceFile(),
            spectrum(x1dID),
            preview(program: program),
        ]
    }

    /// A small exposure of `type` whose SCI is `image` (an uncal's is 4-D: integrations × groups × rows × columns).
    static func exposure(
        _ id: ExposureIdentity, suffix: String, type: String, model: String, optics: [String: String],
        unit: String, image: AnyImage
    ) -> SimulatedFile {
        let name = id.fileName(suffix: suffix)
        var primary = JWSTHeaders.primary(
            identity: id, instrument: "NIRSPEC", exposureType: type, dataModel: model,
            fileName: name, optics: optics)
        primary.set("SUBARRAY", .string("SUBS200A1"))
        var science = JWSTHeaders.science(unit: unit, pointing: TelescopePointing(aperture: .nirspec, at: JWSTHeaders.defaultTarget))
        science.set("EXTNAME", .string("SCI"))
        let hdus = [HDU(header: primary), HDU(header: science, payload: .image(image))]
        return SimulatedFile(
            exposure: Exposure(name: ProductName(name), hdus: hdus), truth: nil,
            folder: ProgramRecipe.folder(for: name))
    }

    static func referenceFile() -> SimulatedFile {
        let name = "jwst_nirspec_flat_0361.fits"
        var primary = Header()
        primary.set("TELESCOP", .string("JWST"))
        primary.set("INSTRUME", .string("NIRSPEC"))
        primary.set("DETECTOR", .string("NRS1"))
        primary.set("REFTYPE", .string("FLAT"), comment: "type of reference file")
        primary.set("USEAFTER", .string("2022-01-01T00:00:00"), comment: "use after this date")
        primary.set("PEDIGREE", .string("GROUND"), comment: "the pedigree of the reference file")
        primary.set("EXP_TYPE", .string("NRS_IFU"))
        let hdus = [HDU(header: primary), HDU(name: "SCI", image: Image<Float>(width: 16, height: 16, repeating: 1))]
        return SimulatedFile(exposure: Exposure(name: ProductName(name), hdus: hdus), truth: nil, folder: "mastDownload/JWST/references")
    }

    static func spectrum(_ id: ExposureIdentity) -> SimulatedFile {
        let name = id.fileName(suffix: "x1d")
        let primary = JWSTHeaders.primary(
            identity: id, instrument: "NIRSPEC", exposureType: "NRS_FIXEDSLIT", dataModel: "MultiSpecModel",
            fileName: name, optics: ["FILTER": "F290LP", "GRATING": "G395M", "FXD_SLIT": "S200A1"])
        let wavelengths = (0..<32).map { 2.9 + Double($0) * 0.05 }
        let table = SpectrumTableLayout.table(
            ["WAVELENGTH": wavelengths, "FLUX": wavelengths.map { 1e-3 * $0 }], dq: [UInt32](repeating: 0, count: wavelengths.count))
        var spectrum = Header()
        spectrum.set("EXTVER", .integer(1))
        spectrum.set("SLTNAME", .string("S200A1"), comment: "Name of the slit")
        let hdus = [HDU(header: primary), HDU(name: "EXTRACT1D", table: table, header: spectrum)]
        return SimulatedFile(exposure: Exposure(name: ProductName(name), hdus: hdus), truth: nil, folder: ProgramRecipe.folder(for: name))
    }

    static func preview(program: Int) -> SimulatedFile {
        let name = "jw\(String(format: "%05d", program))-o001_t001_nircam_clear-f200w_i2d.jpg"
        let hdus = [HDU(header: Header(), payload: .image(AnyImage(Image<Float>(width: 8, height: 8, repeating: 0))))]
        return SimulatedFile(
            exposure: Exposure(name: ProductName(name), hdus: hdus), truth: nil,
            folder: "mastDownload/JWST/jw\(String(format: "%05d", program))-o001_t001_nircam_clear-f200w")
    }
}
