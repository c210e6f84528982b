/// One binary block of an ASDF file, kept byte for byte: magic, header (sizes, compression, MD5 checksum) and
/// allocated data. Arrays in the tree refer to blocks by their position (`source: 0`), so a tree carried from an
/// input keeps working as long as its blocks stay in order and unchanged.
public struct ASDFBlock: Sendable, Equatable {
    /// Every byte of the block, from the magic to the end of its allocated space.
    public let bytes: [UInt8]

    static let magic: [UInt8] = [0xD3, 0x42, 0x4C, 0x4B]
    /// Bytes before the header proper: the magic and the 16-bit header size.
    private static let preamble = 6
    /// The fixed part of a header: flags, compression, allocated, used and data sizes, checksum.
    private static let minimumHeader = 48

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The used data bytes, as stored (still compressed when the header names a compression).
    public var storedData: ArraySlice<UInt8> {
        let start = Self.preamble + Self.headerSize(bytes, at: 0)
        if isStreamed { return bytes[start...] }
        return bytes[start..<(start + Int(Self.integer(bytes, at: Self.preamble + 16)))]
    }

    /// Whether the block is streamed: the last of its file, its data running to the end.
    public var isStreamed: Bool { bytes[Self.preamble + 3] & 1 == 1 }

    /// The compression code of the header (empty when uncompressed).
    public var compression: String {
        String(decoding: bytes[(Self.preamble + 4)..<(Self.preamble + 8)].filter { $0 != 0 }, as: UTF8.self)
    }

    /// The blocks that start at `offset` in `bytes`, one after the other, until something other than a block
    /// magic follows (the optional block index, or the end).
    static func sequence(in bytes: ArraySlice<UInt8>, from offset: Int) throws(ASDFError) -> [ASDFBlock] {
        var blocks: [ASDFBlock] = []
        var position = offset
        while position + preamble <= bytes.endIndex, bytes[position..<(position + 4)].elementsEqual(magic) {
            let headerSize = Self.headerSize(bytes, at: position)
            guard headerSize >= minimumHeader, position + preamble + headerSize <= bytes.endIndex else {
                throw ASDFError("block \(blocks.count) has a truncated header")
            }
            // A streamed block (flag bit 0) is the last one and runs to the end of the file whatever its sizes say.
            let streamed = bytes[position + preamble + 3] & 1 == 1
            let allocated =
                streamed ? UInt64(bytes.endIndex - position - preamble - headerSize) : integer(bytes, at: position + preamble + 8)
            let end = position + preamble + headerSize + Int(clamping: allocated)
            guard allocated <= UInt64(bytes.endIndex - position), end <= bytes.endIndex else {
                throw ASDFError("block \(blocks.count) extends past the end of the ASDF data")
            }
            blocks.append(ASDFBlock(bytes: Array(bytes[position..<end])))
            position = end
        }
        return blocks
    }

    private static func headerSize<C: Collection<UInt8>>(_ bytes: C, at offset: C.Index) -> Int where C.Index == Int {
        Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])
    }

    /// A big-endian 64-bit integer of a block header.
    private static func integer<C: Collection<UInt8>>(_ bytes: C, at offset: Int) -> UInt64 where C.Index == Int {
        (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[offset + $1]) }
    }
}
