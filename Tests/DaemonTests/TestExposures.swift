import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

/// Small JWST-like files for daemon tests, built with the simulator's header builders and written as bytes,
/// so a test can put them into an inbox the way a given downloader does.
enum TestExposures {
    /// The bytes of a small exposure file.
    static func bytes(
        exposure: Int, type: String = "NRS_IFU", suffix: String = "rate", program: Int = 4242, observation: Int = 1,
        target: String = "SIM-TARGET", size: Int = 64
    ) throws -> (name: String, data: Data) {
        let id = ExposureIdentity(program: program, observation: observation, visit: 1, exposure: exposure, detector: "NRS1")
        let name = id.fileName(suffix: suffix)
        let primary = JWSTHeaders.primary(
            identity: id, instrument: "NIRSPEC", exposureType: type, dataModel: "ImageModel",
            fileName: name, optics: ["FILTER": "F170LP", "GRATING": "G235H"], target: target)
        let sci = Image<Float>(axes: [size, size], pixels: (0..<(size * size)).map { Float($0 % 97) + Float(exposure) })
        let err = Image<Float>(axes: [size, size], pixels: [Float](repeating: 1, count: size * size))
        let variance = Image<Float>(axes: [size, size], pixels: [Float](repeating: 0.5, count: size * size))
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("webbflow-stage-\(UUID().uuidString).fits").path
        defer { unlink(staging) }
        // Every extension a rate or cal file's data model implies, and the ASDF extension last, so that the daemon
        // takes it as complete.
        try FITSWriter.write(
            SimulationWriter.withASDF(
                [
                    HDU(header: primary), HDU(name: "SCI", image: sci, header: JWSTHeaders.science(unit: "DN/s")),
                    HDU(name: "ERR", image: err),
                    HDU(name: "DQ", image: Image<UInt32>(axes: [size, size], pixels: [UInt32](repeating: 0, count: size * size))),
                    HDU(name: "VAR_POISSON", image: variance), HDU(name: "VAR_RNOISE", image: variance),
                    HDU(name: "VAR_FLAT", image: variance),
                ], fileName: name), to: staging)
        return (name, try Data(contentsOf: URL(fileURLWithPath: staging)))
    }

    /// A rate exposure whose SCI header announces `side` × `side` floats, in three parts: the bytes before the SCI
    /// data, the length of that data (padded), and the other extensions after it. Built from a small exposure whose
    /// SCI axes are rewritten in place; checksum cards, which would no longer hold, are blanked.
    static func huge(exposure: Int, side: Int) throws -> (name: String, head: Data, dataBytes: Int, tail: Data) {
        let smallSide = 64
        let small = try bytes(exposure: exposure, size: smallSide)
        var data = [UInt8](small.data)
        let block = FITSStructure.blockSize
        let extensionStart = try XCTUnwrap(
            stride(from: block, to: data.count, by: block).first {
                data[$0..<($0 + 9)].elementsEqual("XTENSION=".utf8)
            })
        var headerEnd = extensionStart
        for card in stride(from: extensionStart, to: data.count, by: 80) {
            let keyword = String(decoding: data[card..<(card + 8)], as: UTF8.self)
            if keyword == "END     " { headerEnd = (card / block + 1) * block; break }
            if keyword == "NAXIS1  " || keyword == "NAXIS2  " {
                let value = String(repeating: " ", count: 20 - String(side).count) + String(side)
                data.replaceSubrange((card + 10)..<(card + 30), with: Array(value.utf8))
            }
            if keyword == "CHECKSUM" || keyword == "DATASUM " {
                data.replaceSubrange(card..<(card + 80), with: Array(String(repeating: " ", count: 80).utf8))
            }
        }
        let padded = { (bytes: Int) in (bytes + block - 1) / block * block }
        return (
            small.name, Data(data[..<headerEnd]), padded(side * side * 4), Data(data[(headerEnd + padded(smallSide * smallSide * 4))...])
        )
    }

    /// `huge` written into `folder` as a sparse file: huge as its headers and length say, a few kilobytes on disk.
    static func sparse(exposure: Int, side: Int, in folder: String) throws -> String {
        let parts = try huge(exposure: exposure, side: side)
        let path = "\(folder)/\(parts.name)"
        try parts.head.write(to: URL(fileURLWithPath: path))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(parts.head.count + parts.dataBytes))
        try handle.write(contentsOf: parts.tail)
        return path
    }

    /// `huge` written into `folder` gzip-compressed (`<name>.gz`): its zero data compresses about a thousandfold,
    /// a gzip bomb.
    static func gzipBomb(exposure: Int, side: Int, in folder: String) throws -> String {
        let parts = try huge(exposure: exposure, side: side)
        let path = "\(folder)/\(parts.name).gz"
        let head = "\(path).head", tail = "\(path).tail"
        try parts.head.write(to: URL(fileURLWithPath: head))
        try parts.tail.write(to: URL(fileURLWithPath: tail))
        defer { unlink(head); unlink(tail) }
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/bash")
        gzip.arguments = [
            "-c", "{ cat \"$1\"; head -c \(parts.dataBytes) /dev/zero; cat \"$2\"; } | gzip -1 > \"$3\"", "bomb", head, tail, path,
        ]
        try gzip.run()
        gzip.waitUntilExit()
        XCTAssertEqual(gzip.terminationStatus, 0, "gzip made the bomb")
        return path
    }

    /// Writes in place, the way astroquery and curl do: open the final name, write chunks, close.
    static func writeInPlace(_ data: Data, to path: String, chunk: Int = 8192, pause: Double = 0) throws {
        let handle = try open(path, append: false)
        defer { try? handle.close() }
        var offset = 0
        while offset < data.count {
            try handle.write(contentsOf: data[offset..<min(data.count, offset + chunk)])
            offset += chunk
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
    }

    /// Appends bytes, the way a resumed download (`'ab'`, `curl -C -`) does.
    static func append(_ data: Data, to path: String) throws {
        let handle = try open(path, append: true)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
    }

    /// Writes a temporary name beside the target and renames it, the way s3transfer (cloud downloads) does.
    static func writeThenRename(_ data: Data, to path: String) throws {
        let temporary = path + ".a1B2c3D4"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    private static func open(_ path: String, append: Bool) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        if append { try handle.seekToEnd() } else { try handle.truncate(atOffset: 0) }
        return handle
    }
}
