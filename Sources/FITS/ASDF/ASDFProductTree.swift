import Foundation
import Yams

/// What a product's ASDF tree must say, whether it was carried from an input, edited by a step, or made new.
extension ASDFFile {
    /// The core extension of the standard version jwst 3.0 writes; listed in a new tree's history as asdf does.
    static let coreExtensionURI = "asdf://asdf-format.org/core/extensions/core-1.6.0"

    /// A tree for a product that has no input tree: what stdatamodels writes for a new model (`asdf_library`,
    /// `history` with the core extension), with no `meta`: stdatamodels takes that from the FITS headers.
    public static func newProduct(writtenBy software: ASDFSoftware) -> ASDFFile {
        var file = ASDFFile()
        file.tree.set(software.node, at: ["asdf_library"])
        let core = ASDFTree.mapping(
            [
                ("extension_class", ASDFTree.string("asdf.extension._manifest.ManifestExtension")),
                ("extension_uri", ASDFTree.string(coreExtensionURI)),
            ], tag: ASDFTree.tag("core/extension_metadata-1.0.0"))
        file.tree.set(.sequence(Node.Sequence([core])), at: ["history", "extensions"])
        return file
    }

    /// Makes the tree describe the product `hdus` written as `fileName` by `software`:
    /// - `asdf_library` names `software`, which writes the file;
    /// - `meta.filename` and `meta.model_type`, where the tree has them, name the product and the model its
    ///   primary header's DATAMODL names (a model type the header does not name is removed);
    /// - a history entry records `description`;
    /// - array references match the HDUs (`ASDFArrayReferences`);
    /// - the `_fits_hash` stdatamodels stored for the headers it wrote is dropped: the product's headers differ, and
    ///   without it stdatamodels reads them instead of trusting the tree.
    public mutating func describeProduct(
        _ hdus: [HDU], fileName: String, history description: String,
        software: ASDFSoftware, time: Date = Date()
    ) {
        tree.remove(at: ["_fits_hash"])
        tree.set(software.node, at: ["asdf_library"])
        if tree.node(at: ["meta", "filename"]) != nil { tree.set(ASDFTree.string(fileName), at: ["meta", "filename"]) }
        if tree.node(at: ["meta", "model_type"]) != nil {
            if let model = hdus.first?.header.string("DATAMODL") {
                tree.set(ASDFTree.string(model), at: ["meta", "model_type"])
            } else {
                tree.remove(at: ["meta", "model_type"])
            }
        }
        addHistoryEntry(description, software: software, time: time)
        matchArrayReferences(to: hdus)
    }

    /// Appends a `!core/history_entry-1.0.0` to the tree's history (its `entries`, or the list an older tree
    /// keeps as `history` itself).
    public mutating func addHistoryEntry(_ description: String, software: ASDFSoftware, time: Date = Date()) {
        let entry = ASDFTree.mapping(
            [
                ("description", ASDFTree.string(description)),
                ("software", software.node),
                ("time", ASDFTree.string(Self.historyTime(time))),
            ], tag: ASDFTree.tag("core/history_entry-1.0.0"))
        if let old = tree.node(at: ["history"])?.sequence {
            tree.set(.sequence(old + [entry]), at: ["history"])
        } else {
            let entries = tree.node(at: ["history", "entries"])?.sequence ?? Node.Sequence([])
            tree.set(.sequence(entries + [entry]), at: ["history", "entries"])
        }
    }

    /// Adds references for the standard image extensions `hdus` has once (SCI as `data`, DQ, ERR, the
    /// variances), where the tree has none at their attribute yet, as stdatamodels writes them for a new model.
    public mutating func addArrayReferences(for hdus: [HDU]) {
        for (name, attribute) in ASDFArrayReferences.standardAttributes where tree.node(at: [.key(attribute)]) == nil {
            let matching = hdus.filter { $0.name == name }
            guard matching.count == 1, let hdu = matching.first, hdu.imageAxes != nil else { continue }
            tree.set(ASDFArrayReferences.node(referringTo: hdu), at: [.key(attribute)])
        }
    }

    /// Removes array references to HDUs `hdus` lacks and gives the others their HDU's shape and type.
    public mutating func matchArrayReferences(to hdus: [HDU]) {
        tree.root = ASDFArrayReferences.match(tree.root, to: hdus) ?? tree.root
    }

    /// asdf's history time format (UTC, milliseconds).
    private static func historyTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return formatter.string(from: date)
    }
}
