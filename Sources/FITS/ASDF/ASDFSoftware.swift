import Yams

/// A program named in an ASDF tree (`!core/software-1.0.0`): the library that wrote the file, or the one that
/// made an entry of its history.
public struct ASDFSoftware: Sendable, Equatable {
    public var name: String
    public var version: String
    public var author: String?
    public var homepage: String?

    public init(name: String, version: String, author: String? = nil, homepage: String? = nil) {
        self.name = name
        self.version = version
        self.author = author
        self.homepage = homepage
    }

    /// The tagged mapping, keys in the order asdf writes them.
    public var node: Node {
        var entries: [(String, Node)] = []
        if let author { entries.append(("author", ASDFTree.string(author))) }
        if let homepage { entries.append(("homepage", ASDFTree.string(homepage))) }
        entries.append(("name", ASDFTree.string(name)))
        entries.append(("version", ASDFTree.string(version)))
        return ASDFTree.mapping(entries, tag: ASDFTree.tag("core/software-1.0.0"))
    }
}
