import Platform

/// An output image that parallel column workers fill at disjoint indices. The array is allocated without being
/// initialised — the background pass writes every element before anything reads it — and is handed to the
/// product as is (no copy, no transpose: it is already in the detector layout).
final class PlaneBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    var array: [Element]

    init(count: Int) {
        array = [Element](hugePagesCount: count) { _ in }
    }

    /// Runs `body` with shared pointers to all `planes` at once (each plane is its own object, so the nested
    /// accesses are to distinct arrays).
    static func withShared<R>(_ planes: [PlaneBuffer<Element>], _ body: ([SharedBuffer<Element>]) -> R) -> R {
        func nest(_ i: Int, _ pointers: [SharedBuffer<Element>]) -> R {
            if i == planes.count { return body(pointers) }
            return planes[i].array.withUnsafeMutableBufferPointer { nest(i + 1, pointers + [SharedBuffer($0)]) }
        }
        return nest(0, [])
    }
}
