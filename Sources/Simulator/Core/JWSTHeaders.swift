import FITS
import Foundation

/// Builders for the headers real JWST products carry, so simulated files classify, route and open like real ones.
public enum JWSTHeaders {
    /// A primary header in the layout of a `jwst` pipeline product: section titles, identity, instrument
    /// configuration, exposure timing and step status.
    public static func primary(
        identity: ExposureIdentity, instrument: String, exposureType: String, dataModel: String,
        fileName: String, optics: [String: String] = [:], target: String = "SIM-TARGET",
        targetRA: Double = defaultTarget.ra, targetDec: Double = defaultTarget.dec, date: String = "2026-01-15T03:14:15.000",
        calibrationVersion: String = "1.19.1"
    ) -> Header {
        var h = Header()
        h.set("DATE", .string(date), comment: "UTC date file created")
        h.set("ORIGIN", .string("STSCI"), comment: "Organization responsible for creating file")
        h.set("TIMESYS", .string("UTC"), comment: "principal time system for time-related keywords")
        h.set("FILENAME", .string(fileName), comment: "Name of the file")
        h.set("FILETYPE", .string("calibrated"), comment: "Type of data in the file")
        h.set("DATAMODL", .string(dataModel), comment: "Type of data model")
        h.set("TELESCOP", .string("JWST"), comment: "Telescope used to acquire the data")
        h.set("CAL_VER", .string(calibrationVersion), comment: "Calibration software version number")
        h.set("CRDS_CTX", .string("jwst_1413.pmap"), comment: "CRDS context (.pmap) used to select ref files")
        h.addSection("Program information")
        h.set("TITLE", .string("Webbflow simulated observation"), comment: "Proposal title")
        h.set("PI_NAME", .string("Simulator, Webbflow"), comment: "Principal investigator name")
        h.addSection("Observation identifiers")
        identity.apply(to: &h)
        h.set("DATE-OBS", .string(String(date.prefix(10))), comment: "[yyyy-mm-dd] UTC date at start of exposure")
        h.set("TIME-OBS", .string(String(date.dropFirst(11))), comment: "[hh:mm:ss.sss] UTC time at start of exposure")
        h.addSection("Target information")
        h.set("TARGPROP", .string(target), comment: "Proposer's name for the target")
        h.set("TARGNAME", .string(target), comment: "Standard astronomical catalog name for target")
        h.set("TARGTYPE", .string("FIXED"), comment: "Type of target (fixed, moving, generic)")
        h.set("TARG_RA", .real(targetRA), comment: "Target RA at mid time of exposure")
        h.set("TARG_DEC", .real(targetDec), comment: "Target Dec at mid time of exposure")
        h.addSection("Instrument configuration information")
        h.set("INSTRUME", .string(instrument.uppercased()), comment: "Instrument used to acquire the data")
        h.set("DETECTOR", .string(identity.detector.uppercased()), comment: "Name of detector used to acquire the data")
        for key in optics.keys.sorted() { h.set(key, .string(optics[key]!)) }
        h.addSection("Exposure parameters")
        h.set("EXP_TYPE", .string(exposureType.uppercased()), comment: "Type of data in the exposure")
        h.set("EXPSTART", .real(61055.13478), comment: "[d] exposure start time in MJD")
        h.set("EFFEXPTM", .real(1050.6), comment: "[s] Effective exposure time")
        return h
    }

    /// Where simulated exposures point unless a recipe places its scene elsewhere.
    public static let defaultTarget = (ra: 53.16, dec: -27.78)

    /// The association a pipeline stage read its inputs from (ASNPOOL, ASNTABLE), named as jwst names them:
    /// `stage` is `spec2`, `spec3`, `image3`…
    public static func association(stage: String, identity: ExposureIdentity, into header: inout Header) {
        let program = ExposureIdentity.padded(identity.program, 5), stamp = "20260115t031415"
        header.set("ASNPOOL", .string("jw\(program)_\(stamp)_pool.csv"), comment: "Name of the ASN pool")
        header.set(
            "ASNTABLE", .string("jw\(program)-o\(ExposureIdentity.padded(identity.observation, 3))_\(stamp)_\(stage)_00001_asn.json"),
            comment: "Name of the ASN table")
    }

    /// A SCI extension header: units, the pointing, and the footprint S_REGION as real products carry it.
    public static func science(
        unit: String, pointing: TelescopePointing? = nil, region: [(ra: Double, dec: Double)]? = nil
    ) -> Header {
        var h = unitHeader(unit)
        pointing?.apply(to: &h)
        if let region {
            let corners = region.map { String(format: "%.9f %.9f", $0.ra, $0.dec) }.joined(separator: " ")
            h.set("S_REGION", .string("POLYGON ICRS  \(corners)"), comment: "spatial extent of the observation")
        }
        return h
    }

    /// An extension header that only names the unit of its values (ERR, VAR_*, WAVELENGTH…).
    public static func unitHeader(_ unit: String) -> Header {
        var h = Header()
        h.set("BUNIT", .string(unit), comment: "physical units of the array values")
        return h
    }
}
