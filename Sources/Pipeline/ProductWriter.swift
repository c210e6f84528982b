import FITS
import Foundation

/// Writes products durably and atomically into an output folder, stamping their provenance.
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

    public init(directory: String, layout: Layout = .flat) {
        self.directory = directory
        self.layout = layout
    }

    /// Writes `product`, returning the final path. The name and program are sanitised before they touch the filesystem.
    @discardableResult
    public func write(_ product: Product, step: StepInfo, parameters: ParameterValues, inputs: [Exposure]) throws -> String {
        var hdus = product.hdus
        Provenance.stamp(&hdus[0].header, step: step, parameters: parameters, inputs: inputs)
        let folder = switch layout {
        case .flat: directory
        case .byProgram: "\(directory)/\(SafeName.component(product.program))"
        }
        let name = SafeName.component(product.fileName, fallback: "product.fits")
        return try AtomicFile.write(named: name, in: folder) { path in try FITSWriter.write(hdus, to: path) }
    }
}
