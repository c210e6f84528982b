/// A mutable buffer handed to `Parallel.forEach` workers that write disjoint parts of it (one line or block
/// each). The caller guarantees the memory outlives the loop and that no two workers touch the same element;
/// that is why this is `@unchecked Sendable`.
public struct SharedBuffer<Element>: @unchecked Sendable {
    public let base: UnsafeMutableBufferPointer<Element>

    public init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }

    public subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    public var count: Int { base.count }

    /// A sub-range of the buffer (one worker's part).
    public func slice(_ range: Range<Int>) -> UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(rebasing: base[range]) }
}
