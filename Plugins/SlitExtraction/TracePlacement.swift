/// How the extraction places each dither's trace before the joint fit refines it.
public enum TracePlacement: String, Sendable, CaseIterable {
    /// Found on each dither by `TraceLocator`; a source too faint for that is placed from the headers' nod pattern
    /// instead (`NodPosition`: MOS slitlets, and fixed slits holding a point source).
    case search
    /// From the headers' nod pattern (`NodPlacement`) even where a trace stands out: for a slit where a brighter
    /// neighbour would be taken for the catalogued source.
    case headers
}
