import Foundation
import TestSupport
import XCTest
import Yams

@testable import FITS

final class ASDFTests: XCTestCase {
    /// A real NIRSpec MOS product whose ASDF extension carries a gwcs with 36 block-stored arrays.
    private let realProduct = SharedData.file("real-samples/jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits")
    private let software = ASDFSoftware(name: "webbflow", version: "test")

    func testPathsGetSetAndRemoveNodes() throws {
        var tree = ASDFTree()
        tree.set(ASDFTree.string("a.fits"), at: ["meta", "filename"])
        tree.set(ASDFTree.integer(3), at: ["meta", "list", 0])
        tree.set(ASDFTree.integer(4), at: ["meta", "list", 1])
        XCTAssertEqual(tree.string(at: ["meta", "filename"]), "a.fits")
        XCTAssertEqual(tree.node(at: ["meta", "list", 1])?.int, 4)
        XCTAssertNil(tree.node(at: ["meta", "list", 2]))
        XCTAssertEqual(tree.remove(at: ["meta", "list", 0])?.int, 3)
        XCTAssertEqual(tree.node(at: ["meta", "list"])?.sequence?.count, 1)
        tree.remove(at: ["meta", "filename"])
        XCTAssertNil(tree.node(at: ["meta", "filename"]))

        let bytes = try ASDFFile(tree: tree).bytes()
        XCTAssertEqual(
            String(decoding: bytes, as: UTF8.self),
            """
            #ASDF 1.0.0
            #ASDF_STANDARD 1.6.0
            %YAML 1.1
            %TAG ! tag:stsci.edu:asdf/
            --- !core/asdf-1.1.0
            meta:
              list: [4]
            ...

            """, "keys and numbers plain, as asdf writes them")
        let reread = try ASDFFile(bytes: bytes)
        XCTAssertEqual(reread.tree.node(at: ["meta", "list", 0])?.int, 4)
        XCTAssertEqual(reread.tree.root.tag.description, "tag:stsci.edu:asdf/core/asdf-1.1.0")
    }

    /// Strings that look like other YAML types, and text that needs escapes, read back as the same strings.
    func testScalarsReadBackUnchanged() throws {
        let texts = ["1.0", "yes", "null", "", "a: b", "#x", "- y", "line\nbreak \"quoted\" \\", "[1, 2]", "  padded "]
        var tree = ASDFTree()
        for (index, text) in texts.enumerated() { tree.set(ASDFTree.string(text), at: ["strings", .index(index)]) }
        tree.set(.scalar(Node.Scalar("deg", Tag(Tag.Name(rawValue: "tag:stsci.edu:asdf/unit/unit-1.0.0")), .plain)), at: ["unit"])
        let reread = try ASDFFile(bytes: try ASDFFile(tree: tree).bytes()).tree
        for (index, text) in texts.enumerated() {
            XCTAssertEqual(reread.node(at: ["strings", .index(index)])?.scalar?.string, text)
            XCTAssertEqual(reread.node(at: ["strings", .index(index)])?.tag.description, Tag.Name.str.rawValue)
        }
        XCTAssertEqual(reread.node(at: ["unit"])?.tag.description, "tag:stsci.edu:asdf/unit/unit-1.0.0", "scalar tags survive")
    }

    /// An alias inside the node its anchor names (astropy writes a transform whose inverse's inverse is itself) is
    /// read, survives an edit elsewhere in the tree and is written back as the same anchor and alias; aliases to
    /// complete nodes are read as copies.
    func testAliasInsideItsAnchoredNodeIsKept() throws {
        let yaml = """
            #ASDF 1.0.0
            #ASDF_STANDARD 1.5.0
            %YAML 1.1
            %TAG ! tag:stsci.edu:asdf/
            --- !core/asdf-1.1.0
            bounds: &id001 [-1, 1]
            transform: &id002 !transform/compose-1.4.0
              forward:
              - !transform/shift-1.2.0 {offset: 2.0, bounding_box: *id001}
              inverse: !transform/shift-1.2.0
                offset: -2.0
                inverse: *id002
            ...

            """
        var file = try ASDFFile(bytes: Array(yaml.utf8))
        XCTAssertEqual(file.tree.node(at: ["transform", "forward", 0, "bounding_box"])?.sequence?.count, 2, "alias read as a copy")
        file.tree.set(ASDFTree.string("edited"), at: ["meta", "filename"])
        let written = String(decoding: try file.bytes(), as: UTF8.self)
        XCTAssertTrue(written.contains("transform: &id002 !transform/compose-1.4.0"), written)
        XCTAssertTrue(written.contains("inverse: *id002"), written)
        let reread = try ASDFFile(bytes: Array(written.utf8))
        XCTAssertEqual(reread.tree.string(at: ["meta", "filename"]), "edited")
        XCTAssertEqual(reread.tree.node(at: ["transform", "inverse", "inverse"])?.anchor?.rawValue, "id002")

        let undefined = yaml.replacingOccurrences(of: "inverse: *id002", with: "inverse: *id009")
        XCTAssertThrowsError(try ASDFFile(bytes: Array(undefined.utf8))) { error in
            XCTAssertTrue("\(error)".contains("never defines"), "\(error)")
        }
    }

    /// A hostile tree is refused quickly and with a short reason: aliases that expand it a billionfold (a few
    /// hundred bytes, gigabytes once walked), and nesting deep enough to stop the YAML parser.
    func testHostileTreesAreRefusedQuicklyWithAShortReason() {
        let header = "#ASDF 1.0.0\n#ASDF_STANDARD 1.5.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\n"
        var laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<10 {
            laughs.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let started = Date()
        XCTAssertThrowsError(try ASDFFile(bytes: Array((header + laughs.joined(separator: "\n") + "\n...\n").utf8))) { error in
            XCTAssertTrue("\(error)".contains("expand it beyond"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "refused without walking the expansion")

        let deep = header + "deep: " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "\n...\n"
        XCTAssertThrowsError(try ASDFFile(bytes: Array(deep.utf8))) { error in
            XCTAssertLessThan("\(error)".count, 500, "the reason does not quote the offending line whole")
        }
    }

    /// Blocks are found after the tree by their headers: a regular one by its allocated size (padding included),
    /// a streamed one to the end; the optional block index after them is not a block.
    func testBlocksAreDelimitedByTheirHeaders() throws {
        func block(flags: UInt8, allocated: UInt8, used: UInt8, data: [UInt8]) -> [UInt8] {
            let size = { (value: UInt8) in [UInt8](repeating: 0, count: 7) + [value] }
            return [0xD3, 0x42, 0x4C, 0x4B, 0, 48, 0, 0, 0, flags, 0, 0, 0, 0] + size(allocated) + size(used) + size(used)
                + [UInt8](repeating: 9, count: 16) + data
        }
        let regular = block(flags: 0, allocated: 6, used: 4, data: [1, 2, 3, 4, 0, 0])
        let streamed = block(flags: 1, allocated: 0, used: 0, data: [5, 6, 7])
        let tree = Array("#ASDF 1.0.0\n#ASDF_STANDARD 1.5.0\n%YAML 1.1\n--- {a: 1}\n...\n".utf8)
        let index = Array("#ASDF BLOCK INDEX\n%YAML 1.1\n--- [40]\n...\n".utf8)

        let indexed = try ASDFFile(bytes: tree + regular + index)
        XCTAssertEqual(indexed.blocks.map(\.bytes), [regular])
        XCTAssertEqual(Array(indexed.blocks[0].storedData), [1, 2, 3, 4])
        XCTAssertEqual(indexed.standardVersion, "1.5.0")
        XCTAssertEqual(indexed.tree.node(at: ["a"])?.int, 1)

        let withStream = try ASDFFile(bytes: tree + regular + streamed)
        XCTAssertEqual(withStream.blocks.map(\.bytes), [regular, streamed])
        XCTAssertTrue(withStream.blocks[1].isStreamed)
        XCTAssertEqual(Array(withStream.blocks[1].storedData), [5, 6, 7])
        XCTAssertEqual(try ASDFFile(bytes: try withStream.bytes()).blocks, withStream.blocks, "written back unchanged")

        XCTAssertThrowsError(try ASDFFile(bytes: tree + regular.dropLast(3)), "a block cut short is an error")
    }

    /// Reals are written the way YAML 1.1 readers take for floats, and read back to the same value.
    func testRealsAreYAMLFloats() {
        XCTAssertEqual(ASDFTree.real(1e-5).scalar?.string, "1.0e-05")
        XCTAssertEqual(ASDFTree.real(2.5e20).scalar?.string, "2.5e+20")
        XCTAssertEqual(ASDFTree.real(-3).scalar?.string, "-3.0")
        XCTAssertEqual(ASDFTree.real(-.infinity).scalar?.string, "-.inf")
        for value in [1e-5, 0.1, -3, 2.5e20, 1.0 / 3.0, 6.02214076e23] {
            XCTAssertEqual(ASDFTree.real(value).float, value)
        }
    }

    /// A real jwst-written extension goes through read → edit → write with its tags, its gwcs and every block
    /// byte for byte; asdf and gwcs read the result back to the same values.
    func testRealExtensionRoundTripKeepsTagsAndBlocks() throws {
        guard FileManager.default.fileExists(atPath: realProduct) else { throw XCTSkip("no real sample at \(realProduct)") }
        let hdus = try FITSFile(path: realProduct).readAll()
        let original = try XCTUnwrap(try ASDFExtension.file(in: hdus))
        XCTAssertEqual(original.blocks.count, 36)
        XCTAssertEqual(original.standardVersion, "1.5.0")
        XCTAssertEqual(original.tree.node(at: ["meta", "wcs"])?.tag.description, "tag:stsci.edu:gwcs/wcs-1.2.0")

        var edited = original
        edited.tree.set(ASDFTree.string("edited.fits"), at: ["meta", "filename"])
        let dir = try TemporaryDirectory()
        let path = dir.file("edited.fits")
        try FITSWriter.write(try ASDFExtension.replacing(in: hdus, with: edited), to: path)

        let written = try FITSFile(path: path).readAll()
        XCTAssertEqual(written.last?.name, "ASDF")
        let reread = try XCTUnwrap(try ASDFExtension.file(in: written))
        XCTAssertEqual(reread.blocks, original.blocks, "blocks are carried byte for byte")
        XCTAssertEqual(reread.tree.string(at: ["meta", "filename"]), "edited.fits")
        let unitTags = { (file: ASDFFile) in
            try String(decoding: file.bytes(), as: UTF8.self).components(separatedBy: "!unit/unit-1.0.0 ").count
        }
        XCTAssertEqual(try unitTags(reread), try unitTags(original))
        XCTAssertGreaterThan(try unitTags(reread), 1)

        try InteropPython.check("asdf_checks.py", ["same-tree", realProduct, path], printing: "36 blocks identical; filename edited.fits")
    }

    /// A jwst-written tree whose gwcs shares nodes through YAML anchors and aliases (a spectral frame in every
    /// step, transforms reused as inverses, one bounding box 95 times) is carried and reads back the same in asdf.
    func testTreeWithAnchorsAndAliasesRoundTrips() throws {
        let realCal = SharedData.file("real-samples/test1_cal.fits")
        guard FileManager.default.fileExists(atPath: realCal) else { throw XCTSkip("no real sample at \(realCal)") }
        let hdus = try FITSFile(path: realCal).readAll()
        let original = try XCTUnwrap(try ASDFExtension.file(in: hdus))
        XCTAssertNotNil(original.tree.node(at: ["slits", 0, "meta", "wcs"]))
        var edited = original
        edited.tree.set(ASDFTree.string("anchored.fits"), at: ["meta", "filename"])
        let dir = try TemporaryDirectory()
        let path = dir.file("anchored.fits")
        try FITSWriter.write(try ASDFExtension.replacing(in: hdus, with: edited), to: path)
        let reread = try XCTUnwrap(try ASDFExtension.file(in: try FITSFile(path: path).readAll()))
        XCTAssertEqual(reread.tree.string(at: ["meta", "filename"]), "anchored.fits")
        try InteropPython.check("asdf_checks.py", ["same-tree", realCal, path], printing: "slit 0 gwcs frames")
    }

    /// References to FITS arrays take their HDU's shape and type; those to HDUs that are gone are removed.
    func testArrayReferencesFollowTheHDUs() throws {
        var file = ASDFFile.newProduct(writtenBy: software)
        let reference = { (source: String) in
            ASDFTree.mapping(
                [
                    ("source", ASDFTree.string(source)), ("datatype", ASDFTree.string("float64")),
                    ("byteorder", ASDFTree.string("big")), ("shape", .sequence([ASDFTree.integer(5)])),
                ],
                tag: ASDFTree.tag("core/ndarray-1.1.0"))
        }
        file.tree.set(reference("fits:SCI,1"), at: ["data"])
        file.tree.set(reference("fits:DQ,1"), at: ["dq"])
        let hdus = [HDU(), HDU(name: "SCI", image: Image(axes: [4, 3], pixels: [Float](repeating: 0, count: 12)))]
        file.matchArrayReferences(to: hdus)
        XCTAssertEqual(file.tree.node(at: ["data", "shape"])?.sequence?.map(\.int), [3, 4], "numpy order")
        XCTAssertEqual(file.tree.string(at: ["data", "datatype"]), "float32")
        XCTAssertNil(file.tree.node(at: ["dq"]))
    }

    /// A new product tree with a history entry makes a file stdatamodels opens as the class its headers name and
    /// validates without a warning.
    func testNewProductTreeOpensInStdatamodels() throws {
        var primary = Header()
        primary.set("TELESCOP", "JWST")
        primary.set("DATAMODL", "ImageModel")
        var hdus = [HDU(header: primary), HDU(name: "SCI", image: Image(axes: [10, 8], pixels: (0..<80).map { Float($0) }))]
        var file = ASDFFile.newProduct(writtenBy: software)
        file.describeProduct(hdus, fileName: "new.fits", history: "made by a test", software: software)
        XCTAssertEqual(file.tree.node(at: ["history", "entries"])?.sequence?.count, 1)
        hdus = try ASDFExtension.replacing(in: hdus, with: file)
        let dir = try TemporaryDirectory()
        let path = dir.file("new.fits")
        try FITSWriter.write(hdus, to: path)
        try InteropPython.check("asdf_checks.py", ["open-model", path, "ImageModel"], printing: "class ImageModel")
    }
}
