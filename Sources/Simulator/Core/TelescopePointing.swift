import FITS
import Foundation

/// A science aperture's reference point in the telescope's V2/V3 frame (arcsec), the angle of its y axis from V3
/// and its parity, as the SIAF gives them and the SCI headers of real files repeat them.
public struct SIAFAperture: Sendable {
    public var name: String
    public var v2: Double
    public var v3: Double
    public var v3yAngle: Double
    public var parity: Int

    /// Values from real MAST headers: NRS_FULL_MSA (CEERS MOS; the simulator uses it for the IFU too), NRS_S200A2_SLIT
    /// (a fixed-slit cal file),
    /// NRCA2_FULL_MASK210R's detector (a NIRCam uncal file), the MRS and the LRS reference points of jwst's
    /// simulated test data.
    public static let nirspec = SIAFAperture(name: "NRS_FULL_MSA", v2: 378.563202, v3: -428.402832, v3yAngle: 138.5745697, parity: -1)
    public static let nirspecFixedSlit = SIAFAperture(
        name: "NRS_S200A2_SLIT", v2: 314.984863, v3: -489.450562, v3yAngle: 138.83282471, parity: -1)
    public static let nircam = SIAFAperture(name: "NRCA2_FULL", v2: 127.341286, v3: -405.197041, v3yAngle: 0.03188519, parity: -1)
    public static let miriMRS = SIAFAperture(name: "MIRIFU_CHANNEL1A", v2: -503.65447, v3: -318.74246, v3yAngle: 0, parity: -1)
    public static let miriLRS = SIAFAperture(name: "MIRIM_SLIT", v2: -378.832074, v3: -344.944543, v3yAngle: 0, parity: -1)
}

/// Where the telescope pointed for an exposure, as jwst's pointing step writes it into the SCI header: the V1 axis
/// and the V3 position angle (`meta.pointing`), and the aperture's reference point with its sky position and roll
/// (`meta.wcsinfo`). The simulator points the aperture's reference point at the scene.
public struct TelescopePointing: Sendable {
    public var aperture: SIAFAperture
    /// Sky position (degrees) of the aperture's reference point.
    public var reference: (ra: Double, dec: Double)
    /// Position angle of V3 east of north (degrees).
    public var positionAngle: Double

    public init(aperture: SIAFAperture, at reference: (ra: Double, dec: Double), roll: Double = 310.5) {
        self.aperture = aperture
        self.reference = reference
        positionAngle = roll
    }

    /// The V1 axis on the sky: the reference point's V2/V3 offset taken back through the tangent plane, with V3
    /// along the position angle and V2 along its perpendicular (on a CEERS header this lands 2.1" from its RA_V1/DEC_V1,
    /// 9' away: the local roll, taken here as the position angle, is what it leaves out).
    public var v1: (ra: Double, dec: Double) {
        let angle = positionAngle * .pi / 180
        let dv2 = -aperture.v2, dv3 = -aperture.v3
        let east = dv3 * sin(angle) + dv2 * cos(angle), north = dv3 * cos(angle) - dv2 * sin(angle)
        return TangentPlane(centre: reference).sky(east: east, north: north)
    }

    /// Writes the pointing and reference-point keywords. The local roll at the reference point differs from the
    /// V3 position angle by the convergence of meridians over the V1 offset (0.2° in the CEERS header); the
    /// simulator's scenes are small enough to take them as equal.
    public func apply(to header: inout Header) {
        let v1 = v1
        header.set("RA_V1", .real(v1.ra), comment: "[deg] RA of telescope V1 axis")
        header.set("DEC_V1", .real(v1.dec), comment: "[deg] Dec of telescope V1 axis")
        header.set("PA_V3", .real(positionAngle), comment: "[deg] Position angle of telescope V3 axis")
        header.set("V2_REF", .real(aperture.v2), comment: "[arcsec] Telescope V2 coord of reference point")
        header.set("V3_REF", .real(aperture.v3), comment: "[arcsec] Telescope V3 coord of reference point")
        header.set("VPARITY", .integer(aperture.parity), comment: "Relative sense of rotation between Ideal xy and V2V3")
        header.set("V3I_YANG", .real(aperture.v3yAngle), comment: "[deg] Angle from V3 axis to Ideal y axis")
        header.set("RA_REF", .real(reference.ra), comment: "[deg] Right ascension of the reference point")
        header.set("DEC_REF", .real(reference.dec), comment: "[deg] Declination of the reference point")
        header.set("ROLL_REF", .real(positionAngle), comment: "[deg] V3 roll angle at the ref point (N over E)")
        let aperturePA = (positionAngle + aperture.v3yAngle).truncatingRemainder(dividingBy: 360)
        header.set("PA_APER", .real(aperturePA), comment: "[deg] Position angle of aperture used")
    }
}
