/// A buffer that parallel workers write into at disjoint indices (one detector column or slice each).
///
/// Swift cannot prove that workers touch disjoint elements, so this wrapper is `@unchecked Sendable`; callers
/// guarantee that no two workers write the same index and that the owning array outlives the parallel loop.
public struct SharedMutableBuffer<Element>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Element>
    public let count: Int

    public init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        base = buffer.baseAddress!
        count = buffer.count
    }

    @inline(__always)
    public subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
