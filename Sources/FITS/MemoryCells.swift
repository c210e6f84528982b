/// The buffer address and size that cfitsio's memory driver reads (and, when writing, updates as it grows the
/// buffer) through pointers for as long as a memory file is open; `owner` keeps a read buffer alive meanwhile.
final class MemoryCells {
    let owner: FileBytes?
    let address = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
    let size = UnsafeMutablePointer<Int>.allocate(capacity: 1)

    init(base: UnsafeMutableRawPointer, count: Int, owner: FileBytes? = nil) {
        self.owner = owner
        address.initialize(to: base)
        size.initialize(to: count)
    }

    deinit {
        address.deallocate()
        size.deallocate()
    }
}
