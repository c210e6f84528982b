import Dispatch

/// A FITS file begun before all its pixels exist (`FITSWriter.begin`): its layout is fixed from an outline, and
/// the HDUs copied verbatim from an input are written in the background while the caller computes the others.
///
/// A step that changes one plane of a file and passes the rest through (NSClean cleans SCI; ERR, DQ and the
/// variances are 80 % of the bytes) thereby has most of its product on disk before it finishes computing, instead
/// of waiting for all of it after. `FITSWriter.write(_:to:continuing:)` finishes the file when the final HDUs have
/// the outline's layout, and writes it afresh when they do not, so a wrong outline costs time, never correctness.
public final class FITSDraft: @unchecked Sendable {
    let output: FileOutput
    /// Size of each HDU in the file, in order.
    let sizes: [Int]
    /// The HDUs written ahead, by index, and the bytes they were copied from.
    let early: [Int: HDUBytes]
    private let done = DispatchGroup()
    /// Set once, before `done` is left; read only after waiting on it.
    private var failure: FITSError?
    /// Whether a final write finished this draft (rather than writing its file afresh).
    var wasContinued = false

    init(output: FileOutput, sizes: [Int], early: [Int: HDUBytes], offsets: [Int]) {
        self.output = output
        self.sizes = sizes
        self.early = early
        done.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do throws(FITSError) {
                for index in early.keys.sorted() { try output.write(early[index]!, at: offsets[index]) }
            } catch {
                failure = error
            }
            done.leave()
        }
    }

    /// Waits until the early HDUs are written, and returns what stopped them, if anything did.
    @discardableResult
    public func waitForEarlyWrites() -> FITSError? {
        done.wait()
        return failure
    }
}
