import FITS
import Pipeline

/// Who an exposure is: program, observation, visit, exposure number and detector — from which the JWST file
/// name and the identity keywords follow (jwst docs, file naming).
public struct ExposureIdentity: Sendable, Equatable {
    public var program: Int
    public var observation: Int
    public var visit: Int
    public var visitGroup: Int
    public var sequence: Int
    public var activity: Int
    public var exposure: Int
    /// The segment (1-based) of an exposure split into several files, as jwst splits large time series; nil for
    /// an exposure written whole.
    public var segment: Int?
    public var detector: String

    public init(
        program: Int = 4242, observation: Int = 1, visit: Int = 1, visitGroup: Int = 3, sequence: Int = 1,
        activity: Int = 1, exposure: Int = 1, segment: Int? = nil, detector: String
    ) {
        self.program = program
        self.observation = observation
        self.visit = visit
        self.visitGroup = visitGroup
        self.sequence = sequence
        self.activity = activity
        self.exposure = exposure
        self.segment = segment
        self.detector = detector
    }

    /// `value` in decimal, zero-padded to `width` digits, as JWST names and identity keywords write numbers.
    static func padded(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `jw04242001001_03101_00001_nrs1`, or `jw04242001001_03101_00001-seg002_nrs1` for a segment — the
    /// exposure-based stem.
    public var stem: String {
        "jw\(Self.padded(program, 5))\(Self.padded(observation, 3))\(Self.padded(visit, 3))_\(Self.padded(visitGroup, 2))\(sequence)"
            + "\(Self.padded(activity, 2))_\(Self.padded(exposure, 5))\(segment.map { "-seg\(Self.padded($0, 3))" } ?? "")"
            + "_\(detector.lowercased())"
    }

    public func fileName(suffix: String) -> String { "\(stem)_\(suffix).fits" }

    /// Identity keywords as real headers write them: zero-padded strings.
    public func apply(to header: inout Header) {
        header.set("PROGRAM", .string(Self.padded(program, 5)), comment: "program number")
        header.set("OBSERVTN", .string(Self.padded(observation, 3)), comment: "observation number")
        header.set("VISIT", .string(Self.padded(visit, 3)), comment: "visit number")
        header.set("VISITGRP", .string(Self.padded(visitGroup, 2)), comment: "visit group identifier")
        header.set("SEQ_ID", .string(String(sequence)), comment: "parallel sequence identifier")
        header.set("ACT_ID", .string(Self.padded(activity, 2)), comment: "activity identifier")
        header.set("EXPOSURE", .string(String(exposure)), comment: "exposure request number")
        header.set("DETECTOR", .string(detector.uppercased()), comment: "name of detector used to acquire the data")
        header.set(
            "OBS_ID",
            .string(
                "V\(Self.padded(program, 5))\(Self.padded(observation, 3))\(Self.padded(visit, 3))P0000000\(Self.padded(visitGroup, 2))\(sequence)\(Self.padded(activity, 2))"
            ),
            comment: "programmatic observation identifier")
        header.set(
            "VISIT_ID", .string("\(Self.padded(program, 5))\(Self.padded(observation, 3))\(Self.padded(visit, 3))"),
            comment: "visit identifier")
    }
}
