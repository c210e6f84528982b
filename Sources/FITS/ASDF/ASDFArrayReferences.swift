import Yams

/// Keeps the arrays a tree says live in FITS HDUs (`!core/ndarray` with `source: fits:NAME,VER`, the way
/// stdatamodels writes them) true to the HDUs a file actually has.
///
/// A step may reshape an array (ATM oversamples a plane), change its type or drop an extension its input had.
/// stdatamodels reads such arrays from the HDUs, but resolves every reference when it opens the file, so a
/// reference to a missing HDU breaks the open and a stale shape or type contradicts the data. References to HDUs
/// that are gone are removed; the others get the shape, type and byte order of their HDU. Images left encoded
/// (`DeferredImage`) are the input's pixels unchanged, so only their shape is checked against the tree.
enum ASDFArrayReferences {
    static let sourcePrefix = "fits:"

    static func match(_ node: Node, to hdus: [HDU]) -> Node? {
        switch node {
        case .mapping(var mapping):
            if isNDArray(mapping.tag), let source = mapping["source"]?.scalar?.string, source.hasPrefix(sourcePrefix) {
                guard let hdu = hdu(for: String(source.dropFirst(sourcePrefix.count)), in: hdus) else { return nil }
                describe(hdu, in: &mapping)
                return .mapping(mapping)
            }
            var out = Node.Mapping([], mapping.tag, mapping.style, mapping.mark, mapping.anchor)
            for (key, value) in mapping {
                if let kept = match(value, to: hdus) { out[key] = kept }
            }
            return .mapping(out)
        case .sequence(let sequence):
            var out = Node.Sequence([], sequence.tag, sequence.style, sequence.mark, sequence.anchor)
            for element in sequence {
                if let kept = match(element, to: hdus) { out.append(kept) }
            }
            return .sequence(out)
        case .scalar, .alias:
            return node
        }
    }

    /// The attribute of a jwst data model that holds each standard image extension, as stdatamodels' core
    /// schemas name them.
    static let standardAttributes: [(extensionName: String, attribute: String)] = [
        ("SCI", "data"), ("DQ", "dq"), ("ERR", "err"),
        ("VAR_POISSON", "var_poisson"), ("VAR_RNOISE", "var_rnoise"), ("VAR_FLAT", "var_flat"),
    ]

    /// An `!core/ndarray-1.1.0` reference to `hdu`, describing its array.
    static func node(referringTo hdu: HDU) -> Node {
        var mapping = Node.Mapping([(Node("source"), ASDFTree.string(reference(to: hdu)))], ASDFTree.tag("core/ndarray-1.1.0"))
        describe(hdu, in: &mapping)
        return .mapping(mapping)
    }

    private static func isNDArray(_ tag: Tag) -> Bool {
        tag.description.hasPrefix(ASDFYAMLWriter.standardTagPrefix + "core/ndarray-")
    }

    /// The HDU a reference names: `NAME,VER`, or a bare index into the file.
    static func hdu(for reference: String, in hdus: [HDU]) -> HDU? {
        let parts = reference.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count == 1, let index = Int(parts[0]) { return hdus.indices.contains(index) ? hdus[index] : nil }
        guard parts.count >= 2, let version = Int(parts.last!) else { return nil }
        return hdus.hdu(named: parts.dropLast().joined(separator: ","), version: version)
    }

    /// A reference to `hdu` (`fits:SCI,1`).
    static func reference(to hdu: HDU) -> String { "\(sourcePrefix)\(hdu.name ?? ""),\(hdu.version)" }

    /// Sets shape, datatype and byte order of an ndarray mapping to those of `hdu`.
    static func describe(_ hdu: HDU, in mapping: inout Node.Mapping) {
        switch hdu.payload {
        case .image(let image):
            mapping["datatype"] = ASDFTree.string(datatype(of: image))
            mapping["byteorder"] = ASDFTree.string("big")
            mapping["shape"] = shape(image.axes)
        case .deferred(let image):
            mapping["shape"] = shape(image.axes)
        case .banded(let plane):
            mapping["datatype"] = ASDFTree.string(datatype(of: plane.planes.standIn(plane.index)))
            mapping["byteorder"] = ASDFTree.string("big")
            mapping["shape"] = shape(plane.axes)
        case .table(let table):
            mapping["datatype"] = .sequence(Node.Sequence(table.columns.map(field)))
            mapping["byteorder"] = ASDFTree.string("big")
            mapping["shape"] = shape([table.rowCount])
        case .empty:
            mapping["shape"] = shape([0])
        }
    }

    /// numpy's order: slowest axis first, the reverse of FITS's NAXISn.
    private static func shape(_ fitsAxes: [Int]) -> Node {
        .sequence(Node.Sequence(fitsAxes.reversed().map(ASDFTree.integer), Tag(.implicit), .flow))
    }

    static func datatype(of image: AnyImage) -> String {
        switch image {
        case .uint8: "uint8"
        case .int16: "int16"
        case .uint16: "uint16"
        case .int32: "int32"
        case .uint32: "uint32"
        case .int64: "int64"
        case .float32: "float32"
        case .float64: "float64"
        }
    }

    /// One field of a table's record datatype.
    private static func field(_ column: TableColumn) -> Node {
        let type: Node
        switch column.data {
        case .logical: type = ASDFTree.string("bool8")
        case .uint8: type = ASDFTree.string("uint8")
        case .int16: type = ASDFTree.string("int16")
        case .uint16: type = ASDFTree.string("uint16")
        case .int32: type = ASDFTree.string("int32")
        case .uint32: type = ASDFTree.string("uint32")
        case .int64: type = ASDFTree.string("int64")
        case .float32: type = ASDFTree.string("float32")
        case .float64: type = ASDFTree.string("float64")
        case .string(_, let width):
            type = .sequence(Node.Sequence([ASDFTree.string("ascii"), ASDFTree.integer(width)], Tag(.implicit), .flow))
        }
        var entries: [(String, Node)] = [("byteorder", ASDFTree.string("big")), ("datatype", type), ("name", ASDFTree.string(column.name))]
        if case .string = column.data {
        } else if column.repeatCount != 1 {
            entries.append(("shape", .sequence(Node.Sequence([ASDFTree.integer(column.repeatCount)], Tag(.implicit), .flow))))
        }
        return ASDFTree.mapping(entries)
    }
}
