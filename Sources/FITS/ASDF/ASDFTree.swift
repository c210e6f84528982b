import Yams

/// The YAML tree of an ASDF file as Yams nodes, with its tags, edited by path.
///
/// Paths name mapping keys and sequence indices (`["meta", "wcs"]`, `["history", "entries", 0]`). Setting a node
/// creates the mappings missing on its way; setting at the index one past a sequence's end appends.
public struct ASDFTree {
    /// The root: a mapping tagged `!core/asdf-1.1.0`.
    public var root: Node

    public init(root: Node) { self.root = root }

    /// An empty root mapping with the ASDF root tag.
    public init() {
        root = .mapping(Node.Mapping([], ASDFTree.tag("core/asdf-1.1.0")))
    }

    /// The node at `path`, nil when any step of it is missing.
    public subscript(path: [ASDFPathComponent]) -> Node? {
        get { Self.node(in: root, at: path[...]) }
        set {
            if let newValue { Self.set(newValue, in: &root, at: path[...]) } else { Self.remove(in: &root, at: path[...]) }
        }
    }

    /// The node at `path`, nil when any step of it is missing.
    public func node(at path: [ASDFPathComponent]) -> Node? { self[path] }

    /// Puts `node` at `path`, replacing what was there and creating missing mappings on the way.
    public mutating func set(_ node: Node, at path: [ASDFPathComponent]) { self[path] = node }

    /// Removes the node at `path` (a mapping entry, or a sequence element) and returns it.
    @discardableResult
    public mutating func remove(at path: [ASDFPathComponent]) -> Node? {
        let old = self[path]
        self[path] = nil
        return old
    }

    /// The string at `path`, nil when absent or not a scalar.
    public func string(at path: [ASDFPathComponent]) -> String? { self[path]?.scalar?.string }

    /// A tag of the ASDF standard (`core/ndarray-1.1.0` → `tag:stsci.edu:asdf/core/ndarray-1.1.0`).
    public static func tag(_ standardName: String) -> Tag { Tag(Tag.Name(rawValue: ASDFYAMLWriter.standardTagPrefix + standardName)) }

    /// A scalar that reads back as this string whatever it looks like (`"1.0"`, `"yes"` stay strings).
    public static func string(_ text: String) -> Node { .scalar(Node.Scalar(text, Tag(.str), .doubleQuoted)) }

    /// A plain integer scalar.
    public static func integer(_ value: Int) -> Node { .scalar(Node.Scalar(String(value), Tag(.implicit), .plain)) }

    /// A plain float scalar in the form YAML 1.1 readers (PyYAML, hence asdf) take for a float: a decimal point in
    /// the mantissa and a signed exponent (`1.0e-05`; Swift's own `1e-05` would read back as a string), and
    /// `.inf`, `-.inf`, `.nan`. Digits are Swift's shortest exact ones, so the value reads back unchanged.
    public static func real(_ value: Double) -> Node {
        let text: String
        if value.isNaN {
            text = ".nan"
        } else if value.isInfinite {
            text = value < 0 ? "-.inf" : ".inf"
        } else {
            let parts = "\(value)".split(separator: "e", maxSplits: 1)
            let mantissa = parts[0].contains(".") ? String(parts[0]) : parts[0] + ".0"
            if parts.count == 2 {
                let exponent = parts[1]
                text = mantissa + "e" + (exponent.hasPrefix("-") || exponent.hasPrefix("+") ? exponent : "+" + exponent)
            } else {
                text = mantissa
            }
        }
        return .scalar(Node.Scalar(text, Tag(.implicit), .plain))
    }

    /// A mapping with the given tag (untagged when nil), its entries in order.
    public static func mapping(_ entries: [(String, Node)], tag: Tag? = nil) -> Node {
        .mapping(Node.Mapping(entries.map { (Node($0.0), $0.1) }, tag ?? Tag(.implicit)))
    }

    private static func node(in node: Node, at path: ArraySlice<ASDFPathComponent>) -> Node? {
        guard let first = path.first else { return node }
        switch (first, node) {
        case (.key(let key), .mapping(let mapping)):
            return mapping[key].flatMap { Self.node(in: $0, at: path.dropFirst()) }
        case (.index(let index), .sequence(let sequence)) where sequence.indices.contains(index):
            return Self.node(in: sequence[index], at: path.dropFirst())
        default:
            return nil
        }
    }

    private static func set(_ value: Node, in node: inout Node, at path: ArraySlice<ASDFPathComponent>) {
        guard let first = path.first else { node = value; return }
        switch first {
        case .key(let key):
            var mapping = node.mapping ?? Node.Mapping([])
            var child = mapping[key] ?? .mapping(Node.Mapping([]))
            set(value, in: &child, at: path.dropFirst())
            mapping[key] = child
            node = .mapping(mapping)
        case .index(let index):
            var sequence = node.sequence ?? Node.Sequence([])
            guard index >= 0, index <= sequence.count else { return }
            if index == sequence.count {
                var child = Node.mapping(Node.Mapping([]))
                set(value, in: &child, at: path.dropFirst())
                sequence.append(child)
            } else {
                set(value, in: &sequence[index], at: path.dropFirst())
            }
            node = .sequence(sequence)
        }
    }

    private static func remove(in node: inout Node, at path: ArraySlice<ASDFPathComponent>) {
        guard let first = path.first else { return }
        let rest = path.dropFirst()
        switch (first, node) {
        case (.key(let key), .mapping(var mapping)):
            guard var child = mapping[key] else { return }
            if rest.isEmpty { mapping[key] = nil } else { remove(in: &child, at: rest); mapping[key] = child }
            node = .mapping(mapping)
        case (.index(let index), .sequence(var sequence)) where sequence.indices.contains(index):
            if rest.isEmpty { sequence.remove(at: index) } else { remove(in: &sequence[index], at: rest) }
            node = .sequence(sequence)
        default:
            return
        }
    }
}
