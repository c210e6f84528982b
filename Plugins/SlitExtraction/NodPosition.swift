import FITS
import Foundation

/// Where the headers place the source along the slit in one nod, in the unit the nod pattern is planned in: MOS
/// shutter pitches from the slitlet's first shutter (SHUTSTA's 'x' marks the source's shutter, SRCYPOS its position
/// in it), or, for a fixed slit holding a point source, slit lengths (SRCYPOS). What the unit is on the cut-out, and
/// which way it runs, is in the gwcs, not the header: `NodPlacement` finds it from the data.
public struct NodPosition: Sendable, Equatable {
    /// The unit of a nod position and the sizes it may have on the cut-out.
    public enum Unit: Sendable, Equatable {
        /// NIRSpec's MSA shutter pitch, 0.53" at ~0.1"/px: 4–7 px allowing for the detector's scale and anamorphism.
        case shutterPitch
        /// A fixed slit's length: 1.6" (NIRSpec S1600A1) to 4.7" (MIRI LRS), 14–50 px.
        case slitLength

        var pixels: ClosedRange<Double> { self == .shutterPitch ? 4.0...7.0 : 14.0...50.0 }
        /// Search step of the unit's size, about 1 % of it.
        var step: Double { self == .shutterPitch ? 0.05 : 0.2 }
        /// Where position 0 may lie on a cut-out of `cross` rows: SRCYPOS counts from a fixed slit's centre, and the
        /// cut-out is the slit's bounding box, so within 3 px of its middle row (allowing for the trace's tilt and
        /// the box's rounding); a MOS slitlet's first shutter may lie anywhere.
        func originWindow(cross: Int) -> ClosedRange<Double>? {
            guard self == .slitLength else { return nil }
            let middle = Double(cross - 1) / 2
            return (middle - 3)...(middle + 3)
        }
    }

    public var value: Double
    public var unit: Unit

    /// From a slit's SCI header: a MOS slitlet's SHUTSTA and SRCYPOS, or a fixed slit's SRCYPOS when it holds a point
    /// source; nil when the header says neither.
    static func read(_ science: Header) -> NodPosition? {
        guard let offset = science.real("SRCYPOS") else { return nil }
        if let state = science.string("SHUTSTA")?.trimmingCharacters(in: .whitespaces).lowercased() {
            guard let mark = state.firstIndex(of: "x") else { return nil }
            return NodPosition(value: Double(state.distance(from: state.startIndex, to: mark)) + offset, unit: .shutterPitch)
        }
        guard science.string("SRCTYPE")?.trimmingCharacters(in: .whitespaces).uppercased() == "POINT" else { return nil }
        return NodPosition(value: offset, unit: .slitLength)
    }
}
