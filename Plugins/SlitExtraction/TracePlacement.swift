/// How the extraction places each dither's trace before the joint fit refines it.
public enum TracePlacement: String, Sendable, CaseIterable {
    /// Found on each dither by `TraceLocator`; a MOS source too faint for that is placed from the headers' nod
    /// pattern instead.
    case search
    /// From the headers' nod pattern (`NodPlacement`: SHUTSTA's 'x' and SRCYPOS) even where a trace stands out: for
    /// a slitlet where a brighter neighbour would be taken for the catalogued source.
    case headers
}
