/// A computation that yields several image planes of one shape together, one band of consecutive pixels at a
/// time (in the planes' memory order, which is also their order in a file): the oversampled planes of ATM, which all
/// come out of the same column fits. Wrapped in `BandedPlanes`, its planes become HDU payloads that a writer
/// fills the file with as the bands are computed, instead of waiting for whole planes first.
public protocol BandSource: Sendable {
    /// The pixel ranges of the bands, in order: consecutive, from 0 to the planes' pixel count.
    var bands: [Range<Int>] { get }

    /// Computes band `band` of every plane: `planes[p]` has room for the band's pixels of plane p, which are
    /// written in native byte order, each pixel exactly once. Called from any thread, for different bands at once.
    func compute(band: Int, into planes: [UnsafeMutableRawBufferPointer])
}
