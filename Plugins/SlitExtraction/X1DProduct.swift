import FITS
import Pipeline

/// One slit's extraction and the dithers it came from, as the x1d product records it.
struct ExtractedSlit {
    var result: ExtractionResult
    var slits: [SlitInput]
    var inputs: [Exposure]
}

/// Writes extractions as a jwst 3.0 x1d product (MultiSpecModel): the members' blended primary header (the product
/// writer names the file in it), one EXTRACT1D per slit (EXTVER 1…n) in jwst's exact layout, Webbflow's own
/// results per slit in `WBF_*` extensions with the same EXTVER, the members table `HDRTAB`, optionally every
/// dither's model and pixel DQ (EXTVER numbering the dithers of all slits in turn), and last an `ASDF` extension
/// with a new tree: the inputs' trees describe their slit images, not a spectrum. The product writer completes the
/// tree (file name, history, model type); stdatamodels takes the metadata from the headers.
enum X1DProduct {
    /// Slits that were not extracted are named, with the reason, in COMMENT cards of the primary header.
    static func hdus(
        _ extractions: [ExtractedSlit], skipped: [String] = [], options: ExtractionOptions,
        saveModel: Bool
    ) throws(ASDFError) -> [HDU] {
        let members = extractions.flatMap(\.inputs)
        var primary = BlendedPrimaryHeader.header(members: members.map(\.primaryHeader))
        primary.set("DATAMODL", .string("MultiSpecModel"), comment: "Type of data model")
        primary.set("S_EXTR1D", .string("COMPLETE"), comment: "Spectral extraction (Webbflow asset)")
        for reason in skipped { primary.addComment("Not extracted: \(reason)") }
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
        let hdus = [HDU(header: primary)] + spectra + extras + [MembersTable.hdu(members: members)] + models
        return hdus + [try ASDFExtension.hdu(for: ASDFFile.newProduct(writtenBy: Provenance.software))]
    }
}
