import Platform

/// Writes the image HDUs whose payloads are planes of one `BandedPlanes` into their places in a file, band by band.
///
/// Each worker (one per core) takes the next band, has it computed (or takes it as a reader left it), converts,
/// sums and writes that band of every plane, and gives its buffers back before taking another. So no plane is ever
/// whole in memory for the writing, the disk takes the first bands while later ones are computed, and the headers go
/// in last, once the data sums are known (as `LargeImageEncoder` does for a whole image).
enum BandedImageWriter {
    /// One HDU to write: its header, which plane of the set it holds, and where it goes.
    struct Target: Sendable {
        let hdu: HDU
        let plane: Int
        let placement: LargeImageEncoder.DataPlacement
    }

    /// Whether `planes` can be written this way: every band must start on a 4-byte word of every plane's data, so
    /// that the bands' checksums add up to the plane's.
    static func canWrite(_ planes: BandedPlanes) -> Bool {
        planes.bands.allSatisfy { band in (0..<planes.planeCount).allSatisfy { band.lowerBound * planes.stride($0) % 4 == 0 } }
    }

    /// Writes `targets`, planes of `planes`, into `file`. `clock` is told the time spent computing the bands, as
    /// `compute`, and converting, summing, writing them as `encode` and `write`.
    static func write(_ planes: BandedPlanes, targets: [Target], to file: FileOutput, clock: PhaseClock?) throws(FITSError) {
        let bands = planes.bands
        let workers = min(ProcessInfoCores.count, bands.count)
        let next = Locked(0)
        let sums = Locked([UInt32](repeating: 0, count: targets.count))
        let failure = Locked<FITSError?>(nil)
        let flips = targets.map { LargeImageEncoder.flip(of: planes.standIn($0.plane)) }
        Parallel.forEach(workers, chunks: workers) { _ in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: LargeImageEncoder.chunkBytes, alignment: 64)
            defer { buffer.deallocate() }
            while failure.current == nil,
                let band = next.withLock({ next -> Int? in
                    guard next < bands.count else { return nil }
                    next += 1
                    return next - 1
                })
            {
                let buffers = clock.measure(.compute) { planes.take(band: band) }
                defer { planes.finish(buffers) }
                for (t, target) in targets.enumerated() {
                    let data = target.placement, pixels = buffers.planes[target.plane]
                    let first = bands[band].lowerBound * data.bytesPerPixel
                    let last = band == bands.count - 1 ? data.padded : bands[band].upperBound * data.bytesPerPixel
                    var sum: UInt32 = 0
                    do throws(FITSError) {
                        for chunk in data.chunks(of: first..<last) {
                            let end = min(chunk.upperBound, data.dataBytes)
                            let part = UnsafeRawBufferPointer(rebasing: pixels[(min(chunk.lowerBound, end) - first)..<(end - first)])
                            sum = OnesComplementSum.add(
                                sum, try data.writeChunk(part, bytes: chunk, flip: flips[t], buffer: buffer, to: file, clock: clock))
                        }
                    } catch {
                        failure.withLock { $0 = $0 ?? error }
                        return
                    }
                    sums.withLock { $0[t] = OnesComplementSum.add($0[t], sum) }
                }
            }
        }
        if let error = failure.current { throw error }
        let dataSums = sums.current
        for (t, target) in targets.enumerated() {
            try LargeImageEncoder.writeHeader(
                of: target.hdu, standIn: planes.standIn(target.plane), axes: planes.axes, dataSum: dataSums[t],
                at: target.placement, to: file, clock: clock)
        }
    }
}
