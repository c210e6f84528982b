/// Every HDU of a file as read, and what reading noticed that does not stop it (a header edited after its
/// checksum was written: see `ChecksumVerdict`), for the caller to log.
public struct FITSContents: Sendable {
    public var hdus: [HDU]
    /// One sentence per finding, naming the HDU.
    public var warnings: [String]

    public init(hdus: [HDU], warnings: [String] = []) {
        self.hdus = hdus
        self.warnings = warnings
    }
}
