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
            written.append(try AtomicFile.write(named: file.fileName, in: folder) { path in
                try FITSWriter.write(file.exposure.hdus, to: path)
            })
            if let truth = file.truth {
                try AtomicFile.write(named: file.truthFileName, in: folder) { path in try FITSWriter.write(truth, to: path) }
            }
        }
        return written
    }
}
