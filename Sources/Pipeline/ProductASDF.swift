import FITS

/// Gives a product its `ASDF` extension, last, as stdatamodels writes one: jwst steps called on a file name,
/// specutils and jdaviz all read it first.
///
/// The tree is the product's own when the step put one there (it carried or edited it), else the first input's,
/// else a new one. Whichever it is, it is made to describe the product (`ASDFFile.describeProduct`): its file
/// name, Webbflow's history entry, and array references that agree with the product's HDUs. Only the ASDF HDU is
/// re-encoded; the others keep their origin and are still copied verbatim.
enum ProductASDF {
    static func attach(to hdus: [HDU], fileName: String, inputs: [Exposure], history: String) -> [HDU] {
        var hdus = hdus
        let sources = [("the step's product", hdus)] + inputs.prefix(1).map { ($0.name.fileName, $0.hdus) }
        var carried: ASDFFile?
        for (source, candidates) in sources where carried == nil {
            do { carried = try ASDFExtension.file(in: candidates) } catch {
                hdus[0].header.addComment("The ASDF tree of \(source) is unreadable and was not carried: \(error.description)")
            }
        }
        var asdf = carried ?? ASDFFile.newProduct(writtenBy: Provenance.software)
        asdf.describeProduct(hdus, fileName: fileName, history: history, software: Provenance.software)
        do {
            return try ASDFExtension.replacing(in: hdus, with: asdf)
        } catch {
            hdus[0].header.addComment("no ASDF extension: \(error.description)")
            return hdus.filter { $0.name != ASDFExtension.extensionName }
        }
    }
}
