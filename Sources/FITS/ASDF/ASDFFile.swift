import Foundation
import Yams

/// A whole ASDF file in memory: its YAML tree and its binary blocks, as the FITS `ASDF` extension carries it.
///
/// Reading keeps the tree's tags and every block byte for byte; writing puts the standard header
/// (`#ASDF 1.0.0`, `#ASDF_STANDARD`, `%YAML 1.1`, `%TAG ! tag:stsci.edu:asdf/`) before the tree and the blocks
/// after it, in their order, without a block index (it is optional, and readers rebuild it).
public struct ASDFFile {
    public var tree: ASDFTree
    public var blocks: [ASDFBlock]
    /// The version of the ASDF standard the tree's tags belong to.
    public var standardVersion: String

    /// The standard version jwst 3.0 (asdf 5) writes.
    public static let currentStandard = "1.6.0"

    public init(tree: ASDFTree = ASDFTree(), blocks: [ASDFBlock] = [], standardVersion: String = ASDFFile.currentStandard) {
        self.tree = tree
        self.blocks = blocks
        self.standardVersion = standardVersion
    }

    /// Reads an ASDF file from its bytes.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) throws(ASDFError) {
        let bytes = ArraySlice(bytes)
        guard bytes.starts(with: Array("#ASDF ".utf8)) else { throw ASDFError("not an ASDF file (no #ASDF header line)") }
        let yamlStart = Self.find(Array("%YAML".utf8), in: bytes, from: bytes.startIndex)
        standardVersion = Self.headerValue("#ASDF_STANDARD ", in: bytes[..<(yamlStart ?? bytes.endIndex)]) ?? "1.0.0"
        guard let yamlStart else {
            tree = ASDFTree()
            blocks = try ASDFBlock.sequence(
                in: bytes, from: Self.find(ASDFBlock.magic, in: bytes, from: bytes.startIndex) ?? bytes.endIndex)
            return
        }
        guard let end = Self.find(Array("\n...".utf8), in: bytes, from: yamlStart) else {
            throw ASDFError("the YAML tree has no end marker (...)")
        }
        let yamlEnd = Self.lineEnd(in: bytes, after: end + 4)
        let text = String(decoding: bytes[yamlStart..<yamlEnd], as: UTF8.self)
        tree = try ASDFRecursiveAliases.compose(text).map(ASDFTree.init(root:)) ?? ASDFTree()
        blocks = try ASDFBlock.sequence(in: bytes, from: Self.find(ASDFBlock.magic, in: bytes, from: yamlEnd) ?? bytes.endIndex)
    }

    /// The file's bytes: header, tree, blocks.
    public func bytes() throws(ASDFError) -> [UInt8] {
        let header = "#ASDF 1.0.0\n#ASDF_STANDARD \(standardVersion)\n%YAML 1.1\n%TAG ! \(ASDFYAMLWriter.standardTagPrefix)\n"
        var out = Array((header + (try ASDFYAMLWriter.document(tree.root))).utf8)
        for block in blocks { out += block.bytes }
        return out
    }

    /// The value after `prefix` on the header line that starts with it.
    private static func headerValue(_ prefix: String, in bytes: ArraySlice<UInt8>) -> String? {
        guard let start = find(Array(prefix.utf8), in: bytes, from: bytes.startIndex) else { return nil }
        let valueStart = start + prefix.utf8.count
        let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        return String(decoding: bytes[valueStart..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// Just past the line break that ends the line containing `index` (or the end of the bytes).
    private static func lineEnd(in bytes: ArraySlice<UInt8>, after index: Int) -> Int {
        guard let newline = bytes[min(index, bytes.endIndex)...].firstIndex(of: UInt8(ascii: "\n")) else { return bytes.endIndex }
        return newline + 1
    }

    static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = start
        let last = bytes.endIndex - needle.count
        while index <= last {
            guard let candidate = bytes[index...last].firstIndex(of: first) else { return nil }
            if bytes[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }
}
