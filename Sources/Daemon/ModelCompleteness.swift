/// The extensions a JWST pipeline file must carry, by its data model (DATAMODL) and product suffix, as the `jwst`
/// pipeline writes them. A resumed download that paused exactly at an HDU boundary is structurally whole but lacks
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

    /// Why a file of `dataModel` and `suffix` with these extensions is incomplete; nil when nothing is missing or
    /// nothing is known of the model. Old files name the model with its module path (`jwst.datamodels.ImageModel`).
    static func lacking(dataModel: String?, suffix: String, extensions: [String]) -> String? {
        guard let dataModel, let model = dataModel.split(separator: ".").last.map(String.init), imageModels.contains(model),
              let required = requiredBySuffix[suffix] else { return nil }
        let present = Set(extensions.map { $0.uppercased() })
        let missing = required.filter { !present.contains($0) }
        guard !missing.isEmpty else { return nil }
        return "a \(model) _\(suffix) file needs \(required.joined(separator: ", ")); \(missing.joined(separator: ", ")) not there yet"
    }
}
