import Dispatch
import Platform

/// The planes of a `BandSource` as HDU payloads (`plane(_:)`), each band computed once, by whoever needs it first.
///
/// A writer takes the bands in order and writes each one as soon as it is computed (`take`, `finish`), so the planes
/// never exist whole in memory, except the `kept` ones: those are filled in place and handed out as images (a
/// quick-look picture reads them while the file is being written). Whoever asks for a plane's pixels first computes
/// the bands no one has started, in order, and the writer then takes them as they are. Asking for a plane that is not
/// kept assembles it from the computed bands, or, once a writer has consumed them, computes it again: right, only
/// slower, like decoding a `DeferredImage` on every call.
public final class BandedPlanes: @unchecked Sendable {
    let source: any BandSource
    /// Axis lengths of every plane, FITS order.
    public let axes: [Int]
    let types: [any FITSPixel.Type]
    let bands: [Range<Int>]
    /// The kept planes' whole images, filled in place band by band, and where their pixels start (nil: not kept).
    private let keptImages: [AnyImage?]
    private let keptBases: [UnsafeMutableRawPointer?]
    /// Bytes one band of all the planes that are not kept takes, at most.
    private let transientBytes: Int
    private let state: Locked<State>
    /// One per band, left once the band has been computed for the first time.
    private let computed: [DispatchGroup]

    private struct State {
        var bands: [BandState]
        /// Storage of bands a writer has finished with, for the next bands.
        var pool: [BandStorage] = []
        /// Next band a helper (`image(of:)`) looks at.
        var helperCursor = 0
    }

    private enum BandState {
        case pending
        case computing
        /// Computed by a helper, waiting for a writer.
        case stored(BandBuffers)
        /// Handed to a writer.
        case taken
    }

    /// One band of every plane: the kept planes' views into their images, the others' views into `storage`.
    struct BandBuffers: @unchecked Sendable {
        let band: Int
        let planes: [UnsafeMutableRawBufferPointer]
        let storage: BandStorage
    }

    /// Memory for the planes of a band that are not kept, owned by whoever holds it (the pool, a stored band, a
    /// writer), hence the unchecked sendability.
    struct BandStorage: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer
    }

    /// The planes of `source`, of `axes` and pixel types `types` (one per plane); the planes in `kept` are also
    /// kept whole in memory.
    public init(source: any BandSource, axes: [Int], types: [any FITSPixel.Type], kept: Set<Int>) {
        let bands = source.bands
        precondition(bands.first?.lowerBound == 0 && bands.last?.upperBound == axes.reduce(1, *), "bands must cover the planes")
        self.source = source
        self.axes = axes
        self.types = types
        self.bands = bands
        let largest = bands.map(\.count).max() ?? 0
        transientBytes = types.indices.filter { !kept.contains($0) }.reduce(0) { $0 + largest * Self.stride(of: types[$1]) }
        var images: [AnyImage?] = [], bases: [UnsafeMutableRawPointer?] = []
        for (p, type) in types.enumerated() {
            let whole = kept.contains(p) ? Self.unfilledImage(type, axes: axes) : nil
            images.append(whole?.image)
            bases.append(whole?.base)
        }
        keptImages = images
        keptBases = bases
        state = Locked(State(bands: [BandState](repeating: .pending, count: bands.count)))
        computed = bands.map { _ in
            let group = DispatchGroup()
            group.enter()
            return group
        }
    }

    deinit {
        state.withLock { state in
            for storage in state.pool { storage.bytes.deallocate() }
            for case .stored(let buffers) in state.bands { buffers.storage.bytes.deallocate() }
            // libdispatch refuses to free a group that is still entered: bands never computed leave theirs now.
            for (band, current) in state.bands.enumerated() {
                if case .pending = current { computed[band].leave() }
            }
        }
    }

    public var planeCount: Int { types.count }

    /// Plane `p` as an HDU payload.
    public func plane(_ p: Int) -> BandedPlane { BandedPlane(planes: self, index: p) }

    /// Bytes per pixel of plane `p`.
    func stride(_ p: Int) -> Int { Self.stride(of: types[p]) }

    /// A one-pixel image of plane `p`'s pixel type: the type as `AnyImage` knows it, and its header's size.
    func standIn(_ p: Int) -> AnyImage {
        func one<P: FITSPixel>(_ type: P.Type) -> AnyImage { AnyImage(Image(axes: axes.map { _ in 1 }, pixels: [P.zero])) }
        return one(types[p])
    }

    // MARK: writer

    /// Band `band` of every plane for a writer, who gives it back with `finish`: computed now if no one has started
    /// it, waited for if someone is computing it, as stored if a helper computed it, and computed again (into fresh
    /// buffers, the kept images untouched) if a writer already had it.
    func take(band: Int) -> BandBuffers {
        while true {
            let current = state.withLock { state -> BandState in
                let current = state.bands[band]
                switch current {
                case .pending: state.bands[band] = .computing
                case .stored: state.bands[band] = .taken
                case .computing, .taken: break
                }
                return current
            }
            switch current {
            case .pending:
                let buffers = compute(band, intoKept: true)
                state.withLock { $0.bands[band] = .taken }
                computed[band].leave()
                return buffers
            case .stored(let buffers):
                return buffers
            case .computing:
                computed[band].wait()
            case .taken:
                return compute(band, intoKept: false)
            }
        }
    }

    /// Gives back the buffers of a band taken with `take`.
    func finish(_ buffers: BandBuffers) {
        state.withLock { $0.pool.append(buffers.storage) }
    }

    // MARK: readers

    /// The pixels of plane `p`, after computing every band no one has started.
    func image(of p: Int) -> AnyImage {
        help()
        for group in computed { group.wait() }
        if let kept = keptImages[p] { return kept }
        let stored = state.withLock { state in
            state.bands.compactMap { band -> BandBuffers? in if case .stored(let buffers) = band { buffers } else { nil } }
        }
        let stride = self.stride(p)
        return Self.filledImage(types[p], axes: axes) { whole in
            if stored.count == bands.count {
                for buffers in stored {
                    (whole.baseAddress! + bands[buffers.band].lowerBound * stride).copyMemory(
                        from: buffers.planes[p].baseAddress!, byteCount: buffers.planes[p].count)
                }
                return
            }
            let target = SharedBuffer(whole.bindMemory(to: UInt8.self))
            Parallel.forEach(bands.count) { range in
                for band in range {
                    let buffers = self.compute(band, intoKept: false)
                    let view = target.slice(
                        (self.bands[band].lowerBound * stride)..<(self.bands[band].upperBound * stride))
                    UnsafeMutableRawBufferPointer(view).copyMemory(from: UnsafeRawBufferPointer(buffers.planes[p]))
                    buffers.storage.bytes.deallocate()
                }
            }
        }
    }

    /// Computes, on all cores, every band no one has started yet, in order, leaving them for a writer.
    private func help() {
        Parallel.forEach(ProcessInfoCores.count, chunks: ProcessInfoCores.count) { _ in
            while let band = self.state.withLock({ state -> Int? in
                while state.helperCursor < state.bands.count {
                    let band = state.helperCursor
                    state.helperCursor += 1
                    if case .pending = state.bands[band] {
                        state.bands[band] = .computing
                        return band
                    }
                }
                return nil
            }) {
                let buffers = self.compute(band, intoKept: true)
                self.state.withLock { $0.bands[band] = .stored(buffers) }
                self.computed[band].leave()
            }
        }
    }

    // MARK: computing

    /// Computes band `band` into buffers for every plane: the kept planes into their images when `intoKept`, else
    /// into the fresh storage like the others.
    private func compute(_ band: Int, intoKept: Bool) -> BandBuffers {
        let range = bands[band]
        let bytes = intoKept ? transientBytes : types.indices.reduce(0) { $0 + bands.map(\.count).max()! * stride($1) }
        let storage =
            (intoKept ? state.withLock { $0.pool.popLast() } : nil)
            ?? BandStorage(bytes: .allocate(byteCount: max(1, bytes), alignment: 64))
        var planes: [UnsafeMutableRawBufferPointer] = []
        var used = 0
        for p in types.indices {
            let count = range.count * stride(p)
            if intoKept, let base = keptBases[p] {
                planes.append(UnsafeMutableRawBufferPointer(start: base + range.lowerBound * stride(p), count: count))
            } else {
                planes.append(UnsafeMutableRawBufferPointer(rebasing: storage.bytes[used..<(used + count)]))
                used += count
            }
        }
        source.compute(band: band, into: planes)
        return BandBuffers(band: band, planes: planes, storage: storage)
    }

    private static func stride(of type: any FITSPixel.Type) -> Int {
        func size<P: FITSPixel>(_ type: P.Type) -> Int { MemoryLayout<P>.stride }
        return size(type)
    }

    /// An image of `type` whose pixels are not written yet, and where they start: they are filled in place (every
    /// pixel, before anyone reads the image), the array being kept unchanged meanwhile.
    private static func unfilledImage(_ type: any FITSPixel.Type, axes: [Int]) -> (image: AnyImage, base: UnsafeMutableRawPointer) {
        func make<P: FITSPixel>(_ type: P.Type) -> (image: AnyImage, base: UnsafeMutableRawPointer) {
            var base: UnsafeMutableRawPointer?
            let pixels = [P](hugePagesCount: axes.reduce(1, *)) { base = UnsafeMutableRawPointer($0.baseAddress) }
            return (AnyImage(Image(axes: axes, pixels: pixels)), base!)
        }
        return make(type)
    }

    /// An image of `type` whose pixels `fill` writes, all of them.
    private static func filledImage(
        _ type: any FITSPixel.Type, axes: [Int], fill: (UnsafeMutableRawBufferPointer) -> Void
    ) -> AnyImage {
        func make<P: FITSPixel>(_ type: P.Type) -> AnyImage {
            AnyImage(Image(axes: axes, pixels: [P](hugePagesCount: axes.reduce(1, *)) { fill(UnsafeMutableRawBufferPointer($0)) }))
        }
        return make(type)
    }
}

/// One plane of a `BandedPlanes`: the payload of an HDU whose pixels are computed band by band
/// (`HDU.Payload.banded`).
public struct BandedPlane: Sendable, Equatable {
    public let planes: BandedPlanes
    public let index: Int

    public var axes: [Int] { planes.axes }

    /// The pixels (computed now if they were not yet; see `BandedPlanes`).
    public func image() -> AnyImage { planes.image(of: index) }

    public static func == (a: BandedPlane, b: BandedPlane) -> Bool { a.planes === b.planes && a.index == b.index }
}
