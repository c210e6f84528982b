import FITS
import Foundation
import Pipeline
import Simulator

/// Small JWST-like files for daemon tests, built with the simulator's header builders and written as bytes,
/// so a test can put them into an inbox the way a given downloader does.
enum TestExposures {
    /// The bytes of a small exposure file.
    static func bytes(exposure: Int, type: String = "NRS_IFU", suffix: String = "rate", program: Int = 4242, observation: Int = 1,
                      target: String = "SIM-TARGET", size: Int = 64) throws -> (name: String, data: Data) {
        let id = ExposureIdentity(program: program, observation: observation, visit: 1, exposure: exposure, detector: "NRS1")
        let name = id.fileName(suffix: suffix)
        let primary = JWSTHeaders.primary(identity: id, instrument: "NIRSPEC", exposureType: type, dataModel: "ImageModel",
                                          fileName: name, optics: ["FILTER": "F170LP", "GRATING": "G235H"], target: target)
        let sci = Image<Float>(axes: [size, size], pixels: (0..<(size * size)).map { Float($0 % 97) + Float(exposure) })
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("webbflow-stage-\(UUID().uuidString).fits").path
        defer { unlink(staging) }
        try FITSWriter.write([HDU(header: primary), HDU(name: "SCI", image: sci, header: JWSTHeaders.science(unit: "DN/s"))], to: staging)
        return (name, try Data(contentsOf: URL(fileURLWithPath: staging)))
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
