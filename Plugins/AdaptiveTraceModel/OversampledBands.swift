import FITS
import Platform

/// A part of the oversampled grid computed at once: whole output rows (NIRSpec, where the slice axis is the slow
/// one) or whole output columns (MIRI MRS), so that its pixels are consecutive in the planes' memory order, and
/// the slices that lie in it.
struct OutputBand: Sendable {
    var columns: Range<Int>
    var rows: Range<Int>
    /// Indices of the spans whose pixels lie in the band.
    var spans: [Int]
}

/// The oversampled planes of one run as a `BandSource`, so that the product's writer has each band written as soon
/// as it is computed, and no plane needs to be whole in memory (`BandedPlanes`).
///
/// With the slice axis slow (NIRSpec), a band is a run of output rows that no slice straddles (each slice's rows are
/// computed together, from all its native rows), about a megabyte of each plane; with the slice axis fast (MIRI) it
/// is a run of columns.
struct OversampledBands: BandSource {
    /// Pixels of one plane a band holds, about: a megabyte of four-byte pixels.
    static let targetPixels = 1 << 18

    let job: OversamplingJob
    let outputBands: [OutputBand]
    let bands: [Range<Int>]
    let planes: PlaneIndex

    init(job: OversamplingJob) {
        self.job = job
        outputBands = Self.outputBands(job)
        let layout = job.layout
        bands = outputBands.map { band in
            let first = layout.index(band.columns.lowerBound, band.rows.lowerBound)
            return first..<(first + band.columns.count * band.rows.count)
        }
        planes = PlaneIndex(
            errors: job.errorInputs.count, wavelength: job.input.wavelength != nil,
            intermediates: job.settings.saveIntermediate ? OutputPlanes.intermediateCount : 0)
    }

    func compute(band: Int, into buffers: [UnsafeMutableRawBufferPointer]) {
        func floats(_ p: Int) -> SharedBuffer<Float> { SharedBuffer(buffers[p].bindMemory(to: Float.self)) }
        let out = OutputPlanes(
            flux: floats(planes.flux), trace: floats(planes.trace), errors: planes.errors.map(floats),
            wavelength: planes.wavelength.map(floats), intermediates: planes.intermediates.map(floats),
            dq: SharedBuffer(buffers[planes.dq].bindMemory(to: UInt32.self)))
        job.fill(outputBands[band], into: out, regionsOut: SharedBuffer(buffers[planes.regions].bindMemory(to: Int32.self)))
    }

    /// The bands of `job`'s output, in memory order.
    private static func outputBands(_ job: OversamplingJob) -> [OutputBand] {
        let layout = job.layout, n = job.settings.oversample
        if layout.sliceAxisIsFast {
            let width = max(
                ColumnOversampler.block, targetPixels / max(1, layout.height) / ColumnOversampler.block * ColumnOversampler.block)
            return stride(from: 0, to: layout.width, by: width).map { x in
                OutputBand(columns: x..<min(layout.width, x + width), rows: 0..<layout.height, spans: Array(job.spans.indices))
            }
        }
        // Each slice's output rows, over all its columns.
        let extents = job.spans.map { span -> Range<Int> in
            let rows = (0..<span.columns.count).filter { span.rowMin[$0] >= 0 }
            let low = rows.map { Int(span.rowMin[$0]) }.min()!, high = rows.map { Int(span.rowMax[$0]) }.max()!
            return (low * n)..<((high + 1) * n)
        }
        let height = max(1, targetPixels / max(1, layout.width))
        var bands: [OutputBand] = []
        var start = 0
        while start < layout.height {
            var end = min(layout.height, start + height)
            while end < layout.height && extents.contains(where: { $0.lowerBound < end && end < $0.upperBound }) { end += 1 }
            let rows = start..<end
            bands.append(
                OutputBand(
                    columns: 0..<layout.width, rows: rows,
                    spans: extents.indices.filter { rows.contains(extents[$0].lowerBound) }))
            start = end
        }
        return bands
    }
}

/// Where each oversampled plane is among the planes of `OversampledBands`: the float planes (flux, trace, the error
/// planes, the wavelength, the intermediates), then DQ and REGIONS.
struct PlaneIndex: Sendable {
    let flux = 0
    let trace = 1
    let errors: Range<Int>
    let wavelength: Int?
    let intermediates: Range<Int>
    let dq: Int
    let regions: Int

    init(errors: Int, wavelength: Bool, intermediates: Int) {
        self.errors = 2..<(2 + errors)
        self.wavelength = wavelength ? self.errors.upperBound : nil
        let intermediateStart = self.errors.upperBound + (wavelength ? 1 : 0)
        self.intermediates = intermediateStart..<(intermediateStart + intermediates)
        dq = self.intermediates.upperBound
        regions = dq + 1
    }

    /// The pixel type of each plane, in order.
    var types: [any FITSPixel.Type] { [any FITSPixel.Type](repeating: Float.self, count: dq) + [UInt32.self, Int32.self] }
}
