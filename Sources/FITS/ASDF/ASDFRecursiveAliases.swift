import Yams

/// Composes a YAML tree in which an alias may stand inside the node its anchor names, as asdf writes an astropy
/// transform whose inverse's inverse is the transform itself (`transform: &id003 …` … `inverse: *id003`).
///
/// Yams composes each alias as a copy of its anchor's node, which exists only once that node is complete: an alias
/// inside it is "undefined" to Yams and the whole tree fails to parse. Such an alias is taken out of the text before
/// composing (Yams names its position), and put back afterwards as an alias node to an anchor set on the node it
/// names; the writer then writes both, so the tree reads back in asdf as the same cycle. Aliases to complete nodes
/// are left to Yams, which copies them.
enum ASDFRecursiveAliases {
    /// The root node, nil for an empty document. Each alias node holds its anchor, which keeps the anchor that Yams
    /// holds weakly on the node it names alive for as long as an alias needs it.
    static func compose(_ yaml: String) throws(ASDFError) -> Node? {
        var text = yaml
        var names: [String] = []
        while true {
            let root: Node?
            do {
                root = try Yams.compose(yaml: text)
            } catch YamlError.composer(_, let problem, let mark, _) where problem == "found undefined alias" {
                guard names.count < maximumAliases, let name = takeAlias(at: mark, from: &text) else {
                    throw ASDFError("the YAML tree has an alias that names no anchor (line \(mark.line))")
                }
                names.append(name)
                continue
            } catch {
                // Yams quotes the offending line whole, which in a hostile tree can be megabytes long.
                let first = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
                throw ASDFError("the YAML tree does not parse: \(first.prefix(300))")
            }
            if let root { try ensureBounded(root) }
            guard !names.isEmpty, let root else { return root }
            return try restore(names, in: root, text: text)
        }
    }

    /// Most nodes a tree may hold once its aliases are expanded. Yams shares an alias's nodes with its anchor's, so
    /// composing costs no more than the text, but whatever walks or writes the tree visits every copy: ten
    /// aliases of ten aliases, nine levels deep (a "billion laughs" of a few hundred bytes), would take gigabytes.
    /// jwst's trees, gwcs included, hold tens of thousands of nodes.
    static let maximumNodes = 2_000_000

    /// Refuses a tree whose expanded node count passes `maximumNodes`, counting no further than that.
    private static func ensureBounded(_ root: Node) throws(ASDFError) {
        var budget = maximumNodes
        func count(_ node: Node) -> Bool {
            budget -= 1
            guard budget >= 0 else { return false }
            switch node {
            case .scalar, .alias: return true
            case .mapping(let mapping): return mapping.allSatisfy { count($0.value) }
            case .sequence(let sequence): return sequence.allSatisfy(count)
            }
        }
        guard count(root) else {
            throw ASDFError("the YAML tree's aliases expand it beyond \(maximumNodes) nodes; it is not read")
        }
    }

    /// More recursive aliases than any real tree has (a few per gwcs) means the text is not what it seems; each one
    /// costs a parse of the whole text, so the bound also bounds the time a hostile tree can take.
    private static let maximumAliases = 100
    /// The tag of the scalar that holds an alias's place while Yams composes.
    private static let placeholderTag = Tag.Name(rawValue: "tag:webbflow.invalid:recursive-alias")

    /// Replaces the alias token `*name` at `mark` with a placeholder scalar naming the anchor; returns the name.
    private static func takeAlias(at mark: Mark, from text: inout String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        var scalars = Array(lines[mark.line - 1].unicodeScalars)
        let start = mark.column - 1
        guard start >= 0, start < scalars.count, scalars[start] == "*" else { return nil }
        var end = start + 1
        while end < scalars.count, !" \t,[]{}".unicodeScalars.contains(scalars[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(scalars[(start + 1)..<end]))
        guard !name.isEmpty else { return nil }
        scalars.replaceSubrange(start..<end, with: "!<\(placeholderTag.rawValue)> \(name)".unicodeScalars)
        lines[mark.line - 1] = String(String.UnicodeScalarView(scalars))
        text = lines.joined(separator: "\n")
        return name
    }

    /// Turns the placeholders back into aliases and anchors the nodes they name: the node that starts where the
    /// text defines `&name`.
    private static func restore(_ names: [String], in root: Node, text: String) throws(ASDFError) -> Node {
        var anchors: [String: Anchor] = [:]
        var starts: [String: (line: Int, column: Int)] = [:]
        for name in Set(names) {
            guard let start = definition(of: name, in: text) else {
                throw ASDFError("the YAML tree aliases \(name), which it never defines")
            }
            anchors[name] = Anchor(rawValue: name)
            starts[name] = start
        }
        var anchored = Set<String>()
        let restored = rewrite(root, anchors: anchors, starts: starts, anchored: &anchored)
        guard anchored.count == anchors.count else {
            throw ASDFError("the YAML tree's anchors \(Set(anchors.keys).subtracting(anchored).sorted()) name no node")
        }
        return restored
    }

    /// Line and column (1-based, in Unicode scalars, as Yams marks nodes) of the anchor token `&name`.
    private static func definition(of name: String, in text: String) -> (line: Int, column: Int)? {
        let token = Array("&\(name)".unicodeScalars)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let scalars = Array(line.unicodeScalars)
            guard scalars.count >= token.count else { continue }
            for start in 0...(scalars.count - token.count) where scalars[start] == "&" {
                let end = start + token.count
                guard Array(scalars[start..<end]) == token, end == scalars.count || " \t,[]{}".unicodeScalars.contains(scalars[end]) else {
                    continue
                }
                return (index + 1, start + 1)
            }
        }
        return nil
    }

    private static func rewrite(
        _ node: Node, anchors: [String: Anchor], starts: [String: (line: Int, column: Int)], anchored: inout Set<String>
    ) -> Node {
        let name = node.mark.flatMap { mark in starts.first { $0.value == (mark.line, mark.column) }?.key }
        if let name { anchored.insert(name) }
        let anchor = name.flatMap { anchors[$0] }
        switch node {
        case .scalar(var scalar):
            if scalar.tag.fullName == placeholderTag, let target = anchors[scalar.string] { return .alias(Node.Alias(target)) }
            if let anchor { scalar.anchor = anchor }
            return .scalar(scalar)
        case .mapping(let mapping):
            let pairs = mapping.map { ($0.key, rewrite($0.value, anchors: anchors, starts: starts, anchored: &anchored)) }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark, anchor))
        case .sequence(let sequence):
            let nodes = sequence.map { rewrite($0, anchors: anchors, starts: starts, anchored: &anchored) }
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark, anchor))
        case .alias:
            return node
        }
    }
}
