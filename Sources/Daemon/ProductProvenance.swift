import FITS
import Foundation

/// Whether a product found in the outbox was made from given inputs: it is whole, and the input content hashes its
/// provenance records (WBFHS1, WBFHS2, …, in the order of the job's inputs) are the inputs' hashes.
enum ProductProvenance {
    static func isWhole(_ product: String, madeFrom inputHashes: [String]) -> Bool {
        guard FITSStructure.inspect(product).isComplete, let header = try? FITSFile(path: product).header(at: 0) else { return false }
        var recorded: [String] = []
        while let hash = header.string("WBFHS\(recorded.count + 1)") { recorded.append(hash) }
        return recorded == inputHashes
    }
}
