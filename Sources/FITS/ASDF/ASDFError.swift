/// An ASDF file (or the FITS `ASDF` extension holding one) that cannot be read or written.
public struct ASDFError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
