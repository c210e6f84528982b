import Yams

/// Writes an ASDF tree as block-style YAML 1.1, keeping every explicit tag.
///
/// Yams' own emitter marks every scalar's tag implicit, so tagged scalars such as the units of a gwcs frame
/// (`!unit/unit-1.0.0 deg`) would come back as plain strings and the gwcs would no longer load. This writer emits
/// the node structure itself and keeps each scalar's text: plain scalars stay plain (their text decides their type),
/// every other style is written double-quoted, which reads back as the same string.
enum ASDFYAMLWriter {
    /// The prefix the ASDF header's `%TAG !` directive stands for.
    static let standardTagPrefix = "tag:stsci.edu:asdf/"
    private static let yamlTagPrefix = "tag:yaml.org,2002:"
    /// Longest line a sequence of scalars is written on in flow style (`shape: [25, 341]`).
    private static let flowWidth = 100

    /// The document from `---` to `...`, for a root node (normally tagged `!core/asdf-1.1.0`).
    static func document(_ root: Node) throws(ASDFError) -> String {
        var out = "---"
        try value(root, indent: 0, into: &out)
        out += "...\n"
        return out
    }

    /// Writes `node` after a `key:`, a `-` or the `---` already in `out`, its nested lines at `indent`.
    private static func value(_ node: Node, indent: Int, into out: inout String) throws(ASDFError) {
        let tag = (node.anchor.map { " &" + $0.rawValue } ?? "") + (explicitTag(of: node).map { " " + $0 } ?? "")
        switch node {
        case .scalar(let scalar):
            out += tag + " " + text(of: scalar, inFlow: false) + "\n"
        case .alias(let alias):
            out += " *" + alias.anchor.rawValue + "\n"
        case .mapping(let mapping):
            guard !mapping.isEmpty else { out += tag + " {}\n"; return }
            out += tag + "\n"
            for (key, child) in mapping {
                guard case .scalar(let keyScalar) = key else { throw ASDFError("a mapping key that is not a scalar cannot be written") }
                out += String(repeating: " ", count: indent) + text(of: keyScalar, inFlow: false) + ":"
                try value(child, indent: indent + 2, into: &out)
            }
        case .sequence(let sequence):
            guard !sequence.isEmpty else { out += tag + " []\n"; return }
            if let flow = flowText(of: sequence), flow.count + indent + tag.count <= flowWidth {
                out += tag + " " + flow + "\n"
                return
            }
            out += tag + "\n"
            for child in sequence {
                out += String(repeating: " ", count: indent) + "-"
                try value(child, indent: indent + 2, into: &out)
            }
        }
    }

    /// `[a, b, c]` for a sequence of untagged scalars that can all stand in flow context; nil otherwise.
    private static func flowText(of sequence: Node.Sequence) -> String? {
        var items: [String] = []
        for child in sequence {
            guard case .scalar(let scalar) = child, explicitTag(of: child) == nil, child.anchor == nil, !scalar.string.isEmpty else {
                return nil
            }
            items.append(text(of: scalar, inFlow: true))
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// The tag to write before a node, in its short form, or nil when the node's type is implicit.
    private static func explicitTag(of node: Node) -> String? {
        let name: Tag.Name
        switch node {
        case .scalar(let scalar):
            // A str tag is carried by the quotes instead (see `text(of:inFlow:)`); a tag its plain text implies
            // (Yams resolves tags in place when it compares nodes) needs no writing.
            name = scalar.tag.fullName
            guard name != .implicit, name != .str, !(isPlainStyle(scalar) && impliedTag(of: scalar.string) == name) else { return nil }
        case .mapping(let mapping):
            guard mapping.tag.fullName != .implicit, mapping.tag.fullName != .map else { return nil }
            name = mapping.tag.fullName
        case .sequence(let sequence):
            guard sequence.tag.fullName != .implicit, sequence.tag.fullName != .seq else { return nil }
            name = sequence.tag.fullName
        case .alias:
            return nil
        }
        return shortForm(of: name.rawValue)
    }

    private static func shortForm(of tag: String) -> String {
        if tag.hasPrefix(standardTagPrefix) { return "!" + tag.dropFirst(standardTagPrefix.count) }
        if tag.hasPrefix(yamlTagPrefix) { return "!!" + tag.dropFirst(yamlTagPrefix.count) }
        if tag.hasPrefix("!") { return tag }
        return "!<\(tag)>"
    }

    /// A scalar's text: plain when it was plain (or left to the writer) and reads back unchanged that way,
    /// double-quoted otherwise.
    private static func text(of scalar: Node.Scalar, inFlow: Bool) -> String {
        let isString = scalar.tag.fullName == .str
        if isPlainStyle(scalar), canStandPlain(scalar.string, inFlow: inFlow), !isString || impliedTag(of: scalar.string) == .str {
            return scalar.string
        }
        return doubleQuoted(scalar.string)
    }

    private static func isPlainStyle(_ scalar: Node.Scalar) -> Bool { scalar.style == .plain || scalar.style == .any }

    /// The type YAML 1.1 gives `text` written plain. Yams' rules accept a little more as numbers than PyYAML
    /// (asdf's parser) does, never less, so a text they call a string is one for asdf too.
    private static func impliedTag(of text: String) -> Tag.Name { Resolver.default.resolveTag(of: Node(text)) }

    /// Whether `text` reads back as the same scalar when written without quotes.
    private static func canStandPlain(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.first else { return !inFlow }
        if first == " " || text.last == " " || text.last == ":" { return false }
        if "?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        if first == "-", text.count == 1 || text.dropFirst().first == " " { return false }
        if text.contains(": ") || text.contains(" #") || text.contains(where: { $0.isNewline || $0 == "\t" }) { return false }
        if inFlow, text.contains(where: { ",[]{}".contains($0) }) { return false }
        return true
    }

    private static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension Tag {
    /// The tag's full name (Yams keeps `name` internal; its description is the raw name).
    var fullName: Tag.Name { Tag.Name(rawValue: description) }
}
