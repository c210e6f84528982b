/// An output image plane that parallel column workers fill at disjoint indices; becomes an array at the end.
final class PlaneBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Element>

    init(count: Int, repeating value: Element) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: value)
    }

    deinit { pointer.deallocate() }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    var array: [Element] { Array(pointer) }
}
