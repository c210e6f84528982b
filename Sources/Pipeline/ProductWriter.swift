import FITS
import Foundation
import Platform

/// Writes products durably and atomically into an output folder, stamping their provenance and giving each an
/// ASDF extension (`ProductASDF`).
public struct ProductWriter: Sendable {
    /// Where products go.
    public enum Layout: Sendable {
        /// Directly into the folder (`webbflow process --out DIR`).
        case flat
        /// Into `<folder>/<program>/` (the daemon's outbox).
        case byProgram
    }

    public var directory: String
    public var layout: Layout
    /// Whether each product's provenance names its quick-look picture (`<product stem>.png`, drawn beside it).
    public var namesPicture = false

    public init(directory: String, layout: Layout = .flat) {
        self.directory = directory
        self.layout = layout
    }

    /// Writes `product`, returning the final path. The name and program are sanitised before they touch the
    /// filesystem. The one of `drafts` begun from the product's outline, if any, is finished rather than started over.
    /// `clock` is told the time spent encoding, writing and syncing.
    @discardableResult
    public func write(
        _ product: Product, step: StepManifest, parameters: ParameterValues, inputs: [Exposure],
        drafts: [ProductDraft] = [], clock: PhaseClock? = nil
    ) throws -> String {
        let (folder, name) = place(product)
        let hdus = clock.measure(.encode) { stamped(product, name: name, step: step, parameters: parameters, inputs: inputs) }
        guard let draft = drafts.first(where: { $0.folder == folder && $0.name == name }) else {
            return try AtomicFile.write(named: name, in: folder, clock: clock, writeSyncs: true) { path in
                try FITSWriter.write(hdus, to: path, clock: clock)
            }
        }
        return try AtomicFile.write(named: name, in: folder, temporary: draft.temporary, clock: clock, writeSyncs: true) { path in
            try FITSWriter.write(hdus, to: path, continuing: draft.fits, clock: clock)
        }
    }

    /// Begins writing a product from the step's `outline` of it, before the step has run: the HDUs the outline
    /// passes through unchanged go to disk meanwhile. Nil when it cannot be begun; the product is then simply
    /// written whole once it exists. `clock` is told the time spent encoding and writing.
    ///
    /// The draft leaves out the ASDF extension, which comes last: its tree describes the final product, so building
    /// it here too (parsing the input's tree and encoding it) would only be done again by `write`.
    public func begin(
        _ outline: Product, step: StepManifest, parameters: ParameterValues, inputs: [Exposure],
        clock: PhaseClock? = nil
    ) -> ProductDraft? {
        let (folder, name) = place(outline)
        let hdus = clock.measure(.encode) {
            var hdus = outline.hdus.filter { $0.name != ASDFExtension.extensionName }
            Provenance.stamp(
                &hdus[0].header, fileName: name, step: step, parameters: parameters, inputs: inputs,
                picture: picture(for: name))
            return hdus
        }
        guard let temporary = try? AtomicFile.temporaryPath(for: name, in: folder),
            let fits = try? FITSWriter.begin(hdus, at: temporary, clock: clock)
        else { return nil }
        return ProductDraft(folder: folder, name: name, temporary: temporary, fits: fits)
    }

    /// The product's HDUs as they are written: provenance in the primary header, and the ASDF extension last.
    private func stamped(_ product: Product, name: String, step: StepManifest, parameters: ParameterValues, inputs: [Exposure]) -> [HDU] {
        var hdus = product.hdus
        let history = Provenance.stamp(
            &hdus[0].header, fileName: name, step: step, parameters: parameters, inputs: inputs,
            picture: picture(for: name))
        return ProductASDF.attach(to: hdus, fileName: name, inputs: inputs, history: history)
    }

    /// The quick-look picture the provenance of the product `name` names, if it names one.
    private func picture(for name: String) -> String? {
        namesPicture ? (name as NSString).deletingPathExtension + ".png" : nil
    }

    /// The folder and sanitised file name of `product`.
    private func place(_ product: Product) -> (folder: String, name: String) {
        let folder =
            switch layout {
            case .flat: directory
            case .byProgram: "\(directory)/\(SafeName.component(product.program))"
            }
        return (folder, SafeName.component(product.fileName, fallback: "product.fits"))
    }
}
