import FITS

/// Gives a product its `ASDF` extension, last, as stdatamodels writes one: jwst steps called on a file name,
/// specutils and jdaviz all read it first.
///
/// The tree is the product's own when the step put one there (edited, or its input's passed through), else the
/// first input's, else a new one. A tree carried from an input loses its gwcs where the step changed the science
/// grid (`dropGWCS`). Whichever it is, it is made to describe the product (`ASDFFile.describeProduct`): its file
/// name, Webbflow's history entry, and array references that agree with the product's HDUs. Only the ASDF HDU is
/// re-encoded; the others keep their origin and are still copied verbatim.
enum ProductASDF {
    static func attach(to hdus: [HDU], fileName: String, inputs: [Exposure], history: String) -> [HDU] {
        var hdus = hdus
        // The product's own ASDF HDU is a tree the step edited, unless it equals its input's: then the step passed
        // the input's tree through.
        let own = hdus.hdu(named: ASDFExtension.extensionName)
        let stepEdited = own != nil && own != inputs.first?.hdu(ASDFExtension.extensionName)
        var found: ASDFFile?
        if let candidates = own.map({ [$0] }) ?? inputs.first?.hdus {
            do { found = try ASDFExtension.file(in: candidates) } catch {
                let source = stepEdited ? "the step's product" : "the input"
                hdus[0].header.addComment("The ASDF tree of \(source) is unreadable and was not carried: \(error.description)")
            }
        }
        if !stepEdited, var carried = found, let input = inputs.first, dropGWCS(of: &carried, from: input, onto: hdus) {
            hdus[0].header.addComment("The input's gwcs (ASDF meta.wcs) was not carried: it maps the input's pixel grid.")
            found = carried
        }
        var asdf = found ?? ASDFFile.newProduct(writtenBy: Provenance.software)
        asdf.describeProduct(hdus, fileName: fileName, history: history, software: Provenance.software)
        do {
            return try ASDFExtension.replacing(in: hdus, with: asdf)
        } catch {
            hdus[0].header.addComment("no ASDF extension: \(error.description)")
            return hdus.filter { $0.name != ASDFExtension.extensionName }
        }
    }

    /// Removes the gwcs (`meta.wcs`) from an input's tree when the product's SCI grid differs from the input's
    /// (resampled, or no SCI at all): it maps the input's science pixels and would place every product pixel
    /// wrongly. A step that transforms the gwcs puts its own tree in the product instead. True when removed.
    private static func dropGWCS(of file: inout ASDFFile, from input: Exposure, onto hdus: [HDU]) -> Bool {
        guard file.tree.node(at: ["meta", "wcs"]) != nil,
            input.hdu("SCI")?.imageAxes != hdus.hdu(named: "SCI")?.imageAxes
        else { return false }
        file.tree.remove(at: ["meta", "wcs"])
        return true
    }
}
