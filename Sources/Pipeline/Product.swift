import FITS

/// A file a step produced, held in memory until `ProductWriter` places it atomically.
public struct Product: Sendable {
    /// The file name (no directories); the writer sanitises it again.
    public var fileName: String
    public var hdus: [HDU]
    /// The program the product belongs to (the outbox sub-folder), from the inputs' PROGRAM keyword.
    public var program: String

    public init(fileName: String, hdus: [HDU], program: String) {
        self.fileName = fileName
        self.hdus = hdus
        self.program = program
    }
}
