import CXXHash

/// An XXH3-128 digest (xxHash's 128-bit hash, from libxxhash): a fast fingerprint of bytes, for telling one content
/// from another, not for security. Its text is the canonical big-endian hex that `xxh128sum` prints.
public struct XXH128: Sendable, Hashable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    /// The digest of `bytes` in one call.
    public init(of bytes: UnsafeRawBufferPointer) {
        self.init(Self.oneShot(bytes.baseAddress, bytes.count))
    }

    fileprivate init(_ hash: XXH128_hash_t) {
        high = hash.high64
        low = hash.low64
    }

    /// 32 lowercase hex digits, high half first.
    public var description: String { Self.hex(high) + Self.hex(low) }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// On x86-64 the library's dispatching entry points pick SSE2, AVX2 or AVX-512 at run time.
    private static func oneShot(_ start: UnsafeRawPointer?, _ count: Int) -> XXH128_hash_t {
        #if arch(x86_64)
        XXH3_128bits_dispatch(start, count)
        #else
        XXH3_128bits(start, count)
        #endif
    }

    fileprivate static func update(_ state: OpaquePointer, _ start: UnsafeRawPointer?, _ count: Int) {
        #if arch(x86_64)
        _ = XXH3_128bits_update_dispatch(state, start, count)
        #else
        _ = XXH3_128bits_update(state, start, count)
        #endif
    }

    /// The digest of bytes that arrive in pieces (a file read in chunks): equal to the digest of them all at once.
    public final class Hasher {
        private let state: OpaquePointer

        public init() {
            guard let state = XXH3_createState() else { fatalError("XXH3_createState: out of memory") }
            XXH3_128bits_reset(state)
            self.state = state
        }

        deinit { XXH3_freeState(state) }

        public func update(_ bytes: UnsafeRawBufferPointer) {
            XXH128.update(state, bytes.baseAddress, bytes.count)
        }

        public var digest: XXH128 { XXH128(XXH3_128bits_digest(state)) }
    }
}
