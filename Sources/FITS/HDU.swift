/// One header-data unit held in memory: its header and its image, table or nothing.
public struct HDU: Sendable, Equatable {
    /// What follows the header.
    public enum Payload: Sendable, Equatable {
        case empty
        case image(AnyImage)
        /// An image not decoded yet (see `DeferredImage`).
        case deferred(DeferredImage)
        /// An image computed band by band with others of its shape (see `BandedPlanes`).
        case banded(BandedPlane)
        case table(Table)
    }

    // Any change to the header or payload, in place or by assignment, drops the origin: a writer may copy the
    // original bytes only while the HDU is exactly as it was read.
    public var header: Header { didSet { origin = nil } }
    public var payload: Payload { didSet { origin = nil } }
    /// The verbatim bytes this HDU was read from, while it is unchanged (see `HDUOrigin`). Not part of equality.
    public internal(set) var origin: HDUOrigin?

    public init(header: Header = Header(), payload: Payload = .empty) {
        self.header = header
        self.payload = payload
    }

    /// An image extension named `name`.
    public init<P: FITSPixel>(name: String, image: Image<P>, header: Header = Header()) {
        var h = header
        h.set("EXTNAME", .string(name))
        self.init(header: h, payload: .image(AnyImage(image)))
    }

    /// A binary-table extension named `name`.
    public init(name: String, table: Table, header: Header = Header()) {
        var h = header
        h.set("EXTNAME", .string(name))
        self.init(header: h, payload: .table(table))
    }

    public var name: String? { header.extensionName }
    public var version: Int { header.extensionVersion }

    /// The image, decoded or computed now if it was left encoded or not computed yet (nil for a table, an empty HDU, or undecodable bytes).
    public var image: AnyImage? {
        switch payload {
        case .image(let i): i
        case .deferred(let d): try? d.decode()
        case .banded(let b): b.image()
        case .empty, .table: nil
        }
    }
    /// The axis lengths of the image (FITS order), without decoding an encoded one; nil for a table or an empty HDU.
    public var imageAxes: [Int]? {
        switch payload {
        case .image(let i): i.axes
        case .deferred(let d): d.axes
        case .banded(let b): b.axes
        case .empty, .table: nil
        }
    }
    public var table: Table? { if case .table(let t) = payload { t } else { nil } }

    public static func == (a: HDU, b: HDU) -> Bool { a.header == b.header && a.payload == b.payload }
}

extension Array where Element == HDU {
    /// Index of the first HDU named `name` (and with EXTVER `version` when given).
    public func index(named name: String, version: Int? = nil) -> Int? {
        let key = name.uppercased()
        return firstIndex { $0.name == key && (version == nil || $0.version == version) }
    }

    public func hdu(named name: String, version: Int? = nil) -> HDU? { index(named: name, version: version).map { self[$0] } }
}
