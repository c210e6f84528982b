import FITS
import Foundation
import Pipeline

/// The products an external program left in its output folder, checked before they are placed: each must be a
/// whole FITS file whose stored checksums hold.
enum ExternalProducts {
    /// Loads every `*_<suffix>.fits` in `folder`; throws when there is none or one is damaged. `program` is the
    /// outbox folder for a product whose own PROGRAM keyword is missing.
    static func collect(in folder: String, suffix: String, program: String) throws -> [Product] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { ProductName($0, productSuffixes: [suffix]).suffix == suffix && $0.hasSuffix(".fits") }.sorted()
        guard !names.isEmpty else { throw ExternalStepFailure(.invalidInput, "it wrote no *_\(suffix).fits product") }
        return try names.map { name in
            let path = "\(folder)/\(name)"
            switch FITSStructure.inspect(path) {
            case .incomplete(let why): throw ExternalStepFailure(.invalidInput, "its product \(name) is incomplete: \(why)")
            case .notFITS(let why): throw ExternalStepFailure(.invalidInput, "its product \(name) is not FITS: \(why)")
            case .complete: break
            }
            let product: Exposure
            do { product = try Exposure.load(path) } catch {
                throw ExternalStepFailure(.invalidInput, "its product \(name) cannot be read: \(error)")
            }
            let own = product.kind.program
            return Product(fileName: name, hdus: product.hdus, program: own.isEmpty ? program : own)
        }
    }
}
