import Foundation
import Platform
import SystemPackage

/// A fast 64-bit content fingerprint of a file: FNV-1a in four lanes over the 8-byte words of each 1 MiB block
/// (then the block's tail bytes), the block digests folded in order with the length. For telling one version of a
/// file from another, not for security. Blocks are hashed independently, so bytes in memory are hashed on all cores:
/// one chain over a whole 84 MB rate file was the longest task of its reading (20 ms on one core while the other
/// decoded and verified).
public enum ContentHash {
    /// Bytes per independently hashed block.
    static let blockSize = 1 << 20

    /// Fingerprint of the file at `path`, read in 4 MiB chunks (the daemon hashes every candidate, however large,
    /// before it knows whether any step wants it).
    public static func of(path: String) throws -> String {
        // The reason open(2) gave, so that "permission denied" is not reported as a missing file.
        let descriptor = try SystemCallError.naming(path) { try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) }
        let handle = FileHandle(fileDescriptor: descriptor.rawValue, closeOnDealloc: true)
        defer { try? handle.close() }
        var fold = Fold()
        // Blocks are cut from what has been read, whatever sizes the reads return.
        var pending = Data()
        func digest(_ block: Data) { block.withUnsafeBytes { fold.add(Block.digest($0), bytes: $0.count) } }
        while let chunk = try handle.read(upToCount: 4 * blockSize), !chunk.isEmpty {
            let data = pending.isEmpty ? chunk : pending + chunk
            var start = data.startIndex
            while data.endIndex - start >= blockSize {
                digest(data[start..<(start + blockSize)])
                start += blockSize
            }
            pending = Data(data[start...])
        }
        if !pending.isEmpty { digest(pending) }
        return fold.text
    }

    /// Fingerprint of bytes already in memory, its blocks hashed on all cores: equal to `of(path:)` for a file holding them.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        let count = bytes.count, blocks = (count + blockSize - 1) / blockSize
        let address = Int(bitPattern: bytes.baseAddress)
        var digests = [UInt64](repeating: 0, count: blocks)
        digests.withUnsafeMutableBufferPointer { buffer in
            let output = SharedBuffer(buffer)
            Parallel.forEach(blocks) { range in
                for block in range {
                    let start = block * blockSize
                    output[block] = Block.digest(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address)! + start,
                                                                       count: min(blockSize, count - start)))
                }
            }
        }
        var fold = Fold()
        for (block, digest) in digests.enumerated() { fold.add(digest, bytes: min(blockSize, count - block * blockSize)) }
        return fold.text
    }

    /// The block digests folded in order, then the total length.
    private struct Fold {
        var hash = Block.basis
        var length = 0

        mutating func add(_ digest: UInt64, bytes: Int) {
            hash = (hash ^ digest) &* Block.prime
            length += bytes
        }

        var text: String { String((hash ^ UInt64(length)) &* Block.prime, radix: 16).leftPadded(to: 16) }
    }

    /// One block's digest: four FNV-1a lanes, word i going to lane i mod 4, then the tail bytes, folded into one.
    /// One lane is a chain of dependent multiplications (a few cycles each per 8 bytes); four independent ones keep
    /// the multiplier busy.
    private enum Block {
        static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
        static let prime: UInt64 = 0x0000_0100_0000_01b3

        static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
            let words = bytes.count / 32
            var (a, b, c, d) = (basis, basis &+ 1, basis &+ 2, basis &+ 3)
            for i in 0..<words {
                let offset = i &* 32
                a = (a ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* prime
                b = (b ^ bytes.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self)) &* prime
                c = (c ^ bytes.loadUnaligned(fromByteOffset: offset &+ 16, as: UInt64.self)) &* prime
                d = (d ^ bytes.loadUnaligned(fromByteOffset: offset &+ 24, as: UInt64.self)) &* prime
            }
            var tail = basis
            for i in (words * 32)..<bytes.count { tail = (tail ^ UInt64(bytes[i])) &* prime }
            return [a, b, c, d, tail].reduce(basis) { ($0 ^ $1) &* prime }
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
