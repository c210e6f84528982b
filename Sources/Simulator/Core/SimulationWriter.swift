import FITS
import Foundation
import Pipeline

/// Writes simulated files and their truth atomically into an output folder.
public enum SimulationWriter {
    /// Writes every file (and its truth beside it) under `directory`, returning the paths of the exposures.
    @discardableResult
    public static func write(_ files: [SimulatedFile], to directory: String) throws -> [String] {
        var written: [String] = []
        for file in files {
            let folder = file.folder.isEmpty ? directory : "\(directory)/\(file.folder)"
            let hdus = try withASDF(file.exposure.hdus, fileName: file.fileName)
            written.append(
                try AtomicFile.write(named: file.fileName, in: folder) { path in
                    try FITSWriter.write(hdus, to: path)
                })
            if let truth = file.truth {
                try AtomicFile.write(named: file.truthFileName, in: folder) { path in try FITSWriter.write(truth, to: path) }
            }
        }
        return written
    }

    /// The exposure's HDUs with an ASDF extension like the one MAST files carry: the model type and file name of
    /// its headers, references to its standard arrays, and a history entry saying it was simulated.
    public static func withASDF(_ hdus: [HDU], fileName: String) throws -> [HDU] {
        var asdf = ASDFFile.newProduct(writtenBy: Provenance.software)
        asdf.tree.set(ASDFTree.string(fileName), at: ["meta", "filename"])
        if let model = hdus.first?.header.string("DATAMODL") { asdf.tree.set(ASDFTree.string(model), at: ["meta", "model_type"]) }
        asdf.addArrayReferences(for: hdus)
        asdf.describeProduct(
            hdus, fileName: fileName, history: "Simulated by Webbflow \(WebbflowVersion.current)",
            software: Provenance.software)
        return try ASDFExtension.replacing(in: hdus, with: asdf)
    }
}
