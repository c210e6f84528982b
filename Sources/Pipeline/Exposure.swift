import FITS
import Foundation
import Numerics
import Platform

/// A JWST exposure or product held in memory: its HDUs (primary header first, then the named arrays) and its kind.
public struct Exposure: Sendable {
    /// Where it was read from; empty for exposures built in memory (the simulator's).
    public var path: String
    public var name: ProductName
    public var kind: ExposureKind
    public var hdus: [HDU]
    /// What reading the file noticed without refusing it (a header edited after its checksum was written), one
    /// sentence each, for the caller to log.
    public var warnings: [String] = []
    /// Content fingerprint of the file it was read from (`ContentHash`), taken once at load so provenance does not
    /// re-read the input for every product; nil for exposures built in memory. Reading it may wait for the
    /// computation, which `load` starts in the background.
    public var contentHash: String? { fingerprint?.value }
    private var fingerprint: Background<String>?

    public init(path: String = "", name: ProductName, hdus: [HDU], contentHash: String? = nil) {
        self.init(path: path, name: name, hdus: hdus, fingerprint: contentHash.map { Background(ready: $0) })
    }

    private init(path: String, name: ProductName, hdus: [HDU], fingerprint: Background<String>?) {
        self.path = path
        self.name = name
        self.hdus = hdus
        self.fingerprint = fingerprint
        self.kind = ExposureKind(primary: hdus.first?.header ?? Header(), science: hdus.hdu(named: "SCI")?.header, name: name)
    }

    /// Reads every HDU of `path`, verifying checksums where present (a header edited after its checksum was
    /// written is accepted and noted in `warnings`); the pixels of image extensions not named in
    /// `reads` (nil: all) are left encoded until asked for. The file is read from disk once: the same bytes give
    /// the HDUs and the content hash, which is computed in the background (its FNV chain is serial while the
    /// decoding uses every core, and it is needed only when the products are written). A caller that has just
    /// hashed this version of the file (the daemon, at intake) passes `contentHash` and the bytes are not hashed again.
    /// `clock` is told the time spent reading, verifying and decoding.
    public static func load(_ path: String, reads: Set<String>? = nil, contentHash: String? = nil, clock: PhaseClock? = nil) throws
        -> Exposure
    {
        let file = try clock.measure(.read) { () throws(FITSError) in try FileBytes(contentsOf: path) }
        let fingerprint = contentHash.map { Background(ready: $0) } ?? Background { file.withUnsafeBytes(ContentHash.of) }
        // A compressed input is streamed into a buffer the size its headers announce (cfitsio would decompress it
        // whole into buffers it grows as it goes, whatever the headers say).
        let bytes = file.isGzip ? try clock.measure(.read) { () throws(FITSError) in try FileBytes.decompressing(path) } : file
        let contents = try FITSFile(bytes: bytes, path: path).readContents(
            verifyChecksums: true,
            decode: { header in
                reads.map { names in header.extensionName.map(names.contains) ?? true } ?? true
            }, clock: clock)
        var exposure = Exposure(path: path, name: ProductName(path), hdus: contents.hdus, fingerprint: fingerprint)
        exposure.warnings = contents.warnings
        return exposure
    }

    public var primaryHeader: Header {
        get { hdus[0].header }
        set { hdus[0].header = newValue }
    }

    public func hdu(_ name: String, version: Int? = nil) -> HDU? { hdus.hdu(named: name, version: version) }

    /// The named image as 32-bit floats; throws a clear error when it is missing or not an image.
    public func floatImage(_ name: String, version: Int? = nil) throws(ExposureError) -> Image<Float> {
        guard let hdu = hdu(name, version: version) else { throw ExposureError.missing(name, in: self.name.fileName) }
        guard let image = hdu.image else { throw ExposureError.notImage(name, in: self.name.fileName) }
        return image.floats()
    }

    /// The named image as unsigned 32-bit integers (DQ).
    public func unsignedImage(_ name: String, version: Int? = nil) throws(ExposureError) -> Image<UInt32> {
        guard let hdu = hdu(name, version: version) else { throw ExposureError.missing(name, in: self.name.fileName) }
        guard let image = hdu.image else { throw ExposureError.notImage(name, in: self.name.fileName) }
        return image.unsigned32()
    }

    /// Replaces the image of the named extension (keeping its header) or appends a new extension.
    public mutating func setImage<P: FITSPixel>(_ image: Image<P>, named name: String, version: Int? = nil, header: Header? = nil) {
        if let index = hdus.index(named: name, version: version) {
            hdus[index].payload = .image(AnyImage(image))
            if let header { hdus[index].header = header }
        } else {
            var h = header ?? Header()
            if let version { h.set("EXTVER", .integer(version)) }
            hdus.append(HDU(name: name, image: image, header: h))
        }
    }

    /// Removes every extension named `name`.
    public mutating func removeExtension(_ name: String) { hdus.removeAll { $0.name == name.uppercased() } }
}

/// A required part of an exposure is missing or malformed.
public struct ExposureError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    public static func missing(_ name: String, in file: String) -> ExposureError { ExposureError("\(file): no \(name) extension") }
    public static func notImage(_ name: String, in file: String) -> ExposureError { ExposureError("\(file): \(name) is not an image") }
}
