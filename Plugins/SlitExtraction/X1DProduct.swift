import FITS
import Pipeline

/// One slit's extraction and the dithers it came from, as the x1d product records it.
struct ExtractedSlit {
    var result: ExtractionResult
    var slits: [SlitInput]
    var inputs: [Exposure]
}

/// Writes extractions as a jwst 3.0 x1d product (MultiSpecModel): the members' blended primary header, one
/// EXTRACT1D per slit (EXTVER 1…n) in jwst's exact layout, Webbflow's own results per slit in `WBF_*` extensions
/// with the same EXTVER, the members table `HDRTAB`, optionally every dither's model and pixel DQ (EXTVER
/// numbering the dithers of all slits in turn), and last the `ASDF` extension jwst reads a file name by: a new
/// tree (the inputs' trees describe their slit images, not a spectrum), whose metadata stdatamodels then takes from
/// the headers.
enum X1DProduct {
    static func hdus(_ extractions: [ExtractedSlit], fileName: String, options: ExtractionOptions, saveModel: Bool) throws(ASDFError) -> [HDU] {
        let members = extractions.flatMap(\.inputs)
        var primary = BlendedPrimaryHeader.header(members: members.map(\.primaryHeader))
        primary.set("FILENAME", .string(fileName), comment: "Name of the file")
        primary.set("DATAMODL", .string("MultiSpecModel"), comment: "Type of data model")
        primary.set("S_EXTR1D", .string("COMPLETE"), comment: "Spectral extraction (Webbflow asset)")
        let detector = primary.string("DETECTOR")
        let spectra = extractions.enumerated().map { i, e in
            SpectrumTable.hdu(e.result, slits: e.slits, detector: detector, version: i + 1, backgroundFitted: options.fitBackground)
        }
        let extras = extractions.enumerated().flatMap { i, e in
            FitExtensions.hdus(e.result, slits: e.slits, inputs: e.inputs, version: i + 1, boxHalfWidth: options.boxHalfWidth)
        }
        var models: [HDU] = []
        for e in extractions where saveModel {
            models += FitExtensions.modelHDUs(e.result, slits: e.slits, inputs: e.inputs, firstVersion: models.count / 2 + 1)
        }
        let hdus = [HDU(header: primary)] + spectra + extras + [MembersTable.hdu(members: members.map(\.primaryHeader))] + models
        let webbflow = ASDFSoftware(name: "webbflow", version: WebbflowVersion.current)
        var tree = ASDFFile.newProduct(writtenBy: webbflow)
        tree.describeProduct(hdus, fileName: fileName, history: "asset: joint extraction of \(members.count) exposure(s)", software: webbflow)
        return try ASDFExtension.replacing(in: hdus, with: tree)
    }
}
