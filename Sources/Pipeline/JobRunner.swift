import FITS
import Foundation
import Logging
import Numerics
import Platform
import QuickLook

/// Runs one job: loads its inputs, resolves parameters, runs the step and writes the products atomically. Products
/// the step outlines are begun before it runs, so that what they pass through unchanged is written meanwhile.
public struct JobRunner: Sendable {
    public var registry: StepRegistry
    /// Whether each product gets its quick-look picture (`<product stem>.png` beside it).
    public var pictures: Bool

    public init(registry: StepRegistry, pictures: Bool = true) {
        self.registry = registry
        self.pictures = pictures
    }

    /// Runs `job` and returns the paths of the products written (their pictures, when drawn, lie beside them).
    /// Parameter assignments are `KEY=VALUE` strings; `contentHashes` holds the inputs whose content hash is already
    /// known (by path), which are then not hashed again. A job being timed (`context.clock`) has its reading, the
    /// step's computation and the writing of its products marked on the clock.
    public func run(
        _ job: Job, assignments: [String] = [], contentHashes: [String: String] = [:], writer: ProductWriter,
        context: StepContext
    ) async throws -> [String] {
        guard let step = registry.step(named: job.step) else { throw StepFailure(.unsupported, "step '\(job.step)' is not registered") }
        let parameters = try step.manifest.values(assignments)
        let clock = context.clock
        var inputs: [Exposure] = []
        for path in job.inputs {
            let input: Exposure
            do { input = try Exposure.load(path, reads: step.manifest.reads, contentHash: contentHashes[path], clock: clock) } catch let
                error as FITSError
            {
                throw StepFailure(FailureKind.of(error), "cannot read \(path): \(error.message)")
            }
            for warning in input.warnings { context.logger.warning("\(path): \(warning)") }
            inputs.append(input)
        }
        var writer = writer
        writer.namesPicture = pictures
        let drafts = step.outline(inputs, parameters: parameters).compactMap { outline in
            writer.begin(outline, step: step.manifest, parameters: parameters, inputs: inputs, clock: clock)
        }
        defer { for draft in drafts { draft.discard() } }
        let products = try await clock.measure(.compute) { try await step.run(inputs, parameters: parameters, context: context) }
        var written: [String] = []
        let inputHDUs = inputs.map(\.hdus)
        for product in products {
            // The picture is drawn and encoded while the product is written and synced.
            let manifest = step.manifest
            let picture =
                pictures
                ? Background {
                    Result { () throws(QuickLookError) in
                        try QuickLook.png(
                            product: product.hdus, inputs: inputHDUs, sheet: manifest.sheet, fileName: product.fileName, step: manifest.name
                        )
                    }
                } : nil
            let path = try writer.write(product, step: step.manifest, parameters: parameters, inputs: inputs, drafts: drafts, clock: clock)
            written.append(path)
            if let picture { place(picture.value, besideProductAt: path, logger: context.logger) }
        }
        return written
    }

    /// Where the quick-look picture of the product at `path` goes: `<product stem>.png` beside it.
    public static func picturePath(besideProductAt path: String) -> String {
        (path as NSString).deletingPathExtension + ".png"
    }

    /// Places the product's quick-look sheet beside it as `<product stem>.png`, atomically like the product. A picture
    /// that could not be drawn or placed costs the job nothing but a warning: the product is what matters. It is not a
    /// product, so the placement observer is not told: the daemon recognises a finished job by its FITS products'
    /// provenance, which a picture has none of.
    private func place(_ picture: Result<[UInt8], QuickLookError>, besideProductAt path: String, logger: Logger) {
        let url = URL(fileURLWithPath: Self.picturePath(besideProductAt: path))
        do {
            let png = Data(try picture.get())
            try AtomicFile.$placementObserver.withValue(AtomicFile.PlacementObserver { _ in }) {
                try AtomicFile.write(png, named: url.lastPathComponent, in: url.deletingLastPathComponent().path)
            }
        } catch {
            logger.warning("no quick-look picture for \((path as NSString).lastPathComponent): \(error)")
        }
    }
}
