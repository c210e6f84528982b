import FITS
import Foundation

/// What an exposure is, read from its headers and its file name: the facts routing decides on.
public struct ExposureKind: Sendable, Equatable, Codable {
    public var telescope: String
    public var instrument: String
    /// EXP_TYPE, the primary routing key (NRS_IFU, MIR_MRS, NRC_IMAGE…).
    public var exposureType: String
    public var detector: String
    public var filter: String
    public var grating: String
    public var pupil: String
    public var fixedSlit: String
    public var channel: String
    public var band: String
    public var subarray: String
    public var dataModel: String
    /// Product type from the file name: rate, cal, s3d, i2d…
    public var suffix: String
    public var program: String
    public var observation: String
    public var visit: String
    public var targetName: String
    /// Present only in CRDS reference files.
    public var referenceType: String
    /// NUMDTHPT: how many dither/nod positions the exposure's observation has (nil when not written).
    public var ditherPoints: Int?

    /// Reads the kind from a primary header (and the SCI header, which some keywords live in) and the file name.
    public init(primary: Header, science: Header? = nil, name: ProductName) {
        func value(_ key: String) -> String {
            let v = primary[key] ?? science?[key]
            switch v {
            case .string(let s)?: return s.trimmingCharacters(in: .whitespaces)
            case .integer(let i)?: return String(i)
            case .real(let d)?: return String(d)
            case .logical(let b)?: return b ? "T" : "F"
            case nil: return ""
            }
        }
        telescope = value("TELESCOP").uppercased()
        instrument = value("INSTRUME").uppercased()
        exposureType = value("EXP_TYPE").uppercased()
        detector = value("DETECTOR").uppercased()
        filter = value("FILTER").uppercased()
        grating = value("GRATING").uppercased()
        pupil = value("PUPIL").uppercased()
        fixedSlit = value("FXD_SLIT").uppercased()
        channel = value("CHANNEL").uppercased()
        band = value("BAND").uppercased()
        subarray = value("SUBARRAY").uppercased()
        dataModel = value("DATAMODL")
        suffix = name.suffix
        program = value("PROGRAM")
        observation = value("OBSERVTN")
        visit = value("VISIT")
        targetName = value("TARGNAME")
        referenceType = value("REFTYPE")
        ditherPoints = Int(value("NUMDTHPT"))
    }

    /// Optical elements the way JWST level-3 names join them: filter, pupil and grating, sorted, '-'-joined, lower case.
    public var opticalElements: String {
        [filter, pupil, grating].filter { !$0.isEmpty && $0 != "N/A" && $0 != "NONE" }
            .map { $0.lowercased() }
            .sorted()
            .joined(separator: "-")
    }
}
