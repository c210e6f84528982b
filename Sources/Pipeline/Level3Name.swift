/// The name jwst's level-3 associations give the combined product of one observation (jwst associations/lib:
/// `dms_product_name` with `get_opt_element`, `get_slit_name` and `get_subarray`):
/// `jw<program>-o<observation>_<target>_<instrument>_<optical elements>[-<fixed slit>][-<subarray>]_<suffix>.fits`,
/// lower case. The optical elements are FILTER, PUPIL and GRATING sorted case-insensitively ("clear" when there are
/// none), the fixed slit is FXD_SLIT, and the subarray is left out when it is FULL:
/// `jw01309-o022_t001_nirspec_f290lp-g395h-s200a2-allslits_x1d.fits`.
public enum Level3Name {
    /// The product of `kind`'s observation with `suffix` (`x1d`…). The target number is assigned by the association,
    /// not written in exposure headers, so it defaults to t001.
    public static func observation(_ kind: ExposureKind, suffix: String, target: String = "t001") -> String {
        let program = kind.program.isEmpty ? "00000" : kind.program
        let observation = kind.observation.isEmpty ? "001" : kind.observation
        let elements = [kind.opticalElements.isEmpty ? "clear" : kind.opticalElements, kind.fixedSlit, kind.subarray]
            .filter { !isEmpty($0) && $0 != "FULL" }
            .map { $0.lowercased() }
            .joined(separator: "-")
        return "jw\(program)-o\(observation)_\(target)_\(kind.instrument.lowercased())_\(elements)_\(suffix).fits"
    }

    /// Values jwst's association rules treat as no value.
    private static func isEmpty(_ value: String) -> Bool { value.isEmpty || value == "NONE" || value == "N/A" || value == "ANY" }
}
