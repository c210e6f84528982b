/// The extensions a JWST pipeline file must carry, by its data model (DATAMODL) and product suffix, as the `jwst`
/// pipeline writes them: the ASDF extension last, always, and the image set of rate and cal files. A resumed download that paused exactly at an HDU boundary is structurally whole but lacks
/// the extensions still to come: such a file is incomplete, not processed, and taken again when it changes.
enum ModelCompleteness {
    /// Models whose rate and cal files hold one image set: SCI with its errors, quality and variances.
    private static let imageModels: Set<String> = ["ImageModel", "CubeModel", "IFUImageModel", "SlitModel", "MultiSlitModel"]

    /// Extensions each suffix needs, for the models above.
    private static let requiredBySuffix: [String: [String]] = [
        "rate": ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE"],
        "rateints": ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE"],
        "cal": ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT"],
        "calints": ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT"],
    ]

    /// Why a file of `dataModel` and `suffix` with these extensions (in file order) is incomplete; nil when nothing is
    /// missing or the file names no data model. Every file a JWST data model writes ends with its ASDF extension, so
    /// one without it is cut short; the image models also imply their extensions by suffix. Old files name the model
    /// with its module path (`jwst.datamodels.ImageModel`).
    static func lacking(dataModel: String?, suffix: String, extensions: [String]) -> String? {
        guard let dataModel, let model = dataModel.split(separator: ".").last.map(String.init) else { return nil }
        let names = extensions.map { $0.uppercased() }
        let present = Set(names)
        var missing = imageModels.contains(model) ? (requiredBySuffix[suffix] ?? []).filter { !present.contains($0) } : []
        if names.last != "ASDF" { missing.append("ASDF") }
        guard !missing.isEmpty else { return nil }
        let required = imageModels.contains(model) ? requiredBySuffix[suffix].map { $0.joined(separator: ", ") + " and " } ?? "" : ""
        return "a \(model) _\(suffix) file needs \(required)its ASDF extension last; \(missing.joined(separator: ", ")) not there yet"
    }
}
