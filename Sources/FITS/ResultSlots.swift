/// One result slot per item of a parallel loop; each slot is written by exactly one worker, which is what makes
/// the unsynchronised storage safe (`@unchecked Sendable`).
final class ResultSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<Value, FITSError>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func store(_ index: Int, _ result: Result<Value, FITSError>) { slots[index] = result }

    /// The values in order; the first failure (by index) is thrown.
    func values() throws(FITSError) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(slots.count)
        for slot in slots {
            guard let slot else { throw FITSError(.invalidArgument, "a parallel read left a slot empty", file: "") }
            values.append(try slot.get())
        }
        return values
    }
}
