import FITS
import Pipeline
import Yams

/// The input's ASDF tree edited the way jwst 3.0's adaptive_trace_model edits its data model: the step marked
/// complete and, when the planes are oversampled, the gwcs given the `coordinates` frame of the new grid
/// (`OversampledWCS`) and the pixel areas divided by N.
enum ProductTree {
    /// The edited tree, nil when the input has none or it cannot be read, and header comments on what the
    /// product's WCS is (or why it has none).
    static func edited(from exposure: Exposure, map: SlicePixelMap, alongX: Bool) -> (file: ASDFFile?, notes: [String]) {
        let file: ASDFFile?
        do { file = try ASDFExtension.file(in: exposure.hdus) } catch {
            return (nil, ["atm: the input's ASDF tree is unreadable (\(error.description)): the product has no gwcs."])
        }
        guard var file else { return (nil, ["atm: the input has no ASDF tree, hence no gwcs: neither has the product."]) }
        file.tree.set(GWCSNodes.plain("COMPLETE"), at: ["meta", "cal_step", "adaptive_trace_model"])
        guard map.factor > 1 else { return (file, []) }
        let note = oversample(&file.tree, map: map, alongX: alongX)
        return (file, [note])
    }

    /// The `ASDF` extension of a product made of `hdus`: `file` with its array references matched to them (the
    /// oversampled shapes, the planes that were dropped). Nil, with the reason, when it cannot be encoded.
    static func extensionHDU(_ file: ASDFFile, describing hdus: [HDU]) -> (hdu: HDU?, note: String?) {
        var file = file
        file.matchArrayReferences(to: hdus)
        do { return (try ASDFExtension.hdu(for: file), nil) } catch {
            return (nil, "atm: the edited ASDF tree could not be encoded (\(error.description)): the product has no gwcs.")
        }
    }

    /// Edits `meta.wcs` and `meta.photometry` for the oversampled grid; returns the note saying what became of the gwcs.
    private static func oversample(_ tree: inout ASDFTree, map: SlicePixelMap, alongX: Bool) -> String {
        for key in ["pixelarea_steradians", "pixelarea_arcsecsq"] {
            let path: [ASDFPathComponent] = ["meta", "photometry", .key(key)]
            if let area = tree.node(at: path)?.scalar.flatMap({ Double($0.string) }) {
                tree.set(ASDFTree.real(area / Double(map.factor)), at: path)
            }
        }
        guard let wcs = tree.node(at: ["meta", "wcs"]) else {
            return "atm: the input's ASDF tree has no gwcs (meta.wcs): neither has the product."
        }
        do {
            tree.set(try OversampledWCS(map: map, alongX: alongX).apply(to: wcs), at: ["meta", "wcs"])
            return "atm: gwcs kept; its coordinates frame maps the oversampled pixels to the detector's, as jwst's ATM does."
        } catch {
            tree.remove(at: ["meta", "wcs"])
            return "atm: the input's gwcs was removed, not edited: \(error.description)."
        }
    }
}
